/** What a limiter answers: allowed, or refused until `retryAfterSeconds` from now. */
export interface LimitDecision {
  ok: boolean;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counter per id, in process memory: cheap enough to run before any key check. With N API
 * replicas behind a balancer a client gets up to N times the limit; a shared store would close that,
 * at the price of a Redis round trip in front of every request.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `id` and says whether it was within the limit. */
  hit(id: string): LimitDecision {
    const w = this.current(id);
    w.count += 1;
    return this.decide(w);
  }

  /** Whether one more event for `id` would be within the limit, without counting it. */
  peek(id: string): LimitDecision {
    const w = this.current(id);
    return this.decide({ start: w.start, count: w.count + 1 });
  }

  private current(id: string): { start: number; count: number } {
    const t = this.now();
    let w = this.windows.get(id);
    if (!w || t - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.prune(t);
      w = { start: t, count: 0 };
      this.windows.set(id, w);
    }
    return w;
  }

  private decide(w: { start: number; count: number }): LimitDecision {
    const ok = w.count <= this.limit;
    return { ok, retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000)) };
  }

  private prune(t: number): void {
    for (const [id, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(id);
  }
}
