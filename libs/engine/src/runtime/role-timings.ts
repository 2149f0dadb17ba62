/** Accumulates wall time per role so benchmarks and worker stats can report ms per role. */
export interface RoleTiming {
  calls: number;
  totalMs: number;
}

export class RoleTimings {
  private readonly byRole = new Map<string, RoleTiming>();

  record(role: string, ms: number): void {
    const entry = this.byRole.get(role) ?? { calls: 0, totalMs: 0 };
    entry.calls += 1;
    entry.totalMs += ms;
    this.byRole.set(role, entry);
  }

  snapshot(): Record<string, RoleTiming & { meanMs: number }> {
    const out: Record<string, RoleTiming & { meanMs: number }> = {};
    for (const [role, t] of this.byRole) out[role] = { ...t, meanMs: t.calls ? t.totalMs / t.calls : 0 };
    return out;
  }

  reset(): void {
    this.byRole.clear();
  }
}
