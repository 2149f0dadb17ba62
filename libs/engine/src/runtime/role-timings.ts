/** Accumulates wall time per role so benchmarks and worker stats can report ms per role. */
export interface RoleTiming {
  calls: number;
  totalMs: number;
}

/** Per-role call durations (ms) in the order they ran. */
export type RoleCalls = Record<string, number[]>;

/**
 * Calls kept for `drainCalls` per role: a worker drains at least every frame, so this only bounds the
 * memory of processes that never drain (benchmarks, evaluation), which lose the oldest durations.
 */
const MAX_UNDRAINED_CALLS = 4096;

export class RoleTimings {
  private readonly byRole = new Map<string, RoleTiming>();
  private undrained: RoleCalls = {};

  record(role: string, ms: number): void {
    const entry = this.byRole.get(role) ?? { calls: 0, totalMs: 0 };
    entry.calls += 1;
    entry.totalMs += ms;
    this.byRole.set(role, entry);
    const calls = (this.undrained[role] ??= []);
    if (calls.length >= MAX_UNDRAINED_CALLS) calls.shift();
    calls.push(ms);
  }

  snapshot(): Record<string, RoleTiming & { meanMs: number }> {
    const out: Record<string, RoleTiming & { meanMs: number }> = {};
    for (const [role, t] of this.byRole) out[role] = { ...t, meanMs: t.calls ? t.totalMs / t.calls : 0 };
    return out;
  }

  /** The durations of each call since the previous drain (what a histogram observes). */
  drainCalls(): RoleCalls {
    const out = this.undrained;
    this.undrained = {};
    return out;
  }

  reset(): void {
    this.byRole.clear();
    this.undrained = {};
  }
}
