import { hostname } from 'node:os';

/** Stable per process: host-pid-start (base 36 ms), as the Worker table expects. */
export function makeWorkerId(startedAt: Date = new Date()): string {
  return `${hostname()}-${process.pid}-${startedAt.getTime().toString(36)}`;
}
