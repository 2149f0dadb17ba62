/** What the heartbeat reports: counters since start and a frame-rate window. */
export class WorkerStats {
  framesProcessed = 0;
  jobsCompleted = 0;
  jobsFailed = 0;
  readonly activeJobs = new Set<string>();
  /** Engine checkpoints: saves (with the last one's size), restores by source, resumed attempts. */
  readonly checkpoints = { saved: 0, lastBytes: 0, restoredFromRedis: 0, restoredFromS3: 0, resumes: 0 };
  private windowFrames = 0;
  private windowStart = Date.now();
  /** Frames per wall-clock minute (epoch ms of its start) over the last hour: the fleet's throughput series. */
  private readonly perMinute = new Map<number, number>();

  frame(): void {
    this.framesProcessed++;
    this.windowFrames++;
  }

  /**
   * Frames per second since the previous call (one heartbeat window), and starts a new window. The
   * window's frames count toward the minute it ends in.
   */
  takeFps(now = Date.now()): number {
    const seconds = (now - this.windowStart) / 1000;
    const fps = seconds > 0 ? this.windowFrames / seconds : 0;
    const minute = Math.floor(now / 60_000) * 60_000;
    if (this.windowFrames > 0) this.perMinute.set(minute, (this.perMinute.get(minute) ?? 0) + this.windowFrames);
    for (const m of this.perMinute.keys()) if (m <= minute - 3600_000) this.perMinute.delete(m);
    this.windowFrames = 0;
    this.windowStart = now;
    return fps;
  }

  /** [minute start (epoch ms), frames] of the last hour's minutes with frames, oldest first. */
  framesPerMinute(): [number, number][] {
    return [...this.perMinute.entries()].sort((a, b) => a[0] - b[0]);
  }
}
