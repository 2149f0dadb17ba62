// A process's descendants read from /proc, and whether they and a port are still there: what a signal test asserts
// once `npm run demo` or `npm test` has been stopped.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}

/** pid -> (ppid, command line) of every process, from /proc. */
function processTable(): Map<number, { ppid: number; cmd: string }> {
  const out = new Map<number, { ppid: number; cmd: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name in field 2 may contain spaces and parentheses: fields resume after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.set(Number(name), { ppid, cmd });
    } catch {
      /* exited while listed */
    }
  }
  return out;
}

/** pid -> command line of every process below root. */
export function descendants(root: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, p] of table) {
      if (p.ppid !== parent || found.has(pid)) continue;
      found.set(pid, p.cmd);
      queue.push(pid);
    }
  }
  return found;
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until none of pids is alive and check() holds, up to ms; returns the pids still alive. */
export async function waitGone(pids: number[], ms: number, check: () => boolean = () => true): Promise<number[]> {
  const stopBy = Date.now() + ms;
  let left = pids.filter(alive);
  while ((left.length > 0 || !check()) && Date.now() < stopBy) {
    await new Promise((r) => setTimeout(r, 200));
    left = pids.filter(alive);
  }
  return left;
}
