/**
 * CPU seconds spent by this process and by the local services (Postgres, Redis, the S3 server) over a
 * span: on a small machine the platform's overhead is mostly CPU taken from the engine, and this says
 * by whom. Linux /proc only; elsewhere the services' column is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

const SERVICES: { name: string; match: RegExp }[] = [
  { name: 'postgres', match: /postgres/ },
  { name: 'redis', match: /redis-server/ },
  { name: 's3', match: /s3rver|minio/ },
];

const TICKS_PER_SECOND = 100;

function serviceTicks(): Map<string, number> {
  const totals = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return totals;
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const service = SERVICES.find((s) => s.match.test(cmdline));
      if (!service) continue;
      // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      totals.set(service.name, (totals.get(service.name) ?? 0) + ticks);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return totals;
}

export interface CpuSpan {
  /** Seconds of CPU per consumer over the span: `self` is this process (engine, worker, API). */
  stop(): Record<string, number>;
}

export function startCpuSpan(): CpuSpan {
  const self = process.cpuUsage();
  const services = serviceTicks();
  const wall = performance.now();
  return {
    stop() {
      const used = process.cpuUsage(self);
      const out: Record<string, number> = {
        wall: (performance.now() - wall) / 1000,
        self: (used.user + used.system) / 1e6,
      };
      for (const [name, ticks] of serviceTicks()) out[name] = (ticks - (services.get(name) ?? 0)) / TICKS_PER_SECOND;
      for (const k of Object.keys(out)) out[k] = +out[k]!.toFixed(2);
      return out;
    },
  };
}
