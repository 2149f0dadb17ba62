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

  frame(): void {
    this.framesProcessed++;
    this.windowFrames++;
  }

  /** Frames per second since the previous call (one heartbeat window), and starts a new window. */
  takeFps(now = Date.now()): number {
    const seconds = (now - this.windowStart) / 1000;
    const fps = seconds > 0 ? this.windowFrames / seconds : 0;
    this.windowFrames = 0;
    this.windowStart = now;
    return fps;
  }
}
