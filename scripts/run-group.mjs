// Runs a command as the leader of its own process group and hands SIGINT / SIGTERM / SIGHUP on to it, so that a
// signal to this process (npm passes one to its script's process only) stops the command and everything it started
// (tsx's child, the demo's API and worker, node --test's test files and their stacks). spawnSync would leave them
// running: the default action kills this process and orphans the rest.
// The signal goes to the command alone, which stops its own children (the demo stops its API and worker once, so
// that a worker does not read a second signal as "exit now"); the group is the safety net: what is left of it when
// the command exits gets SIGTERM, and all of it SIGKILL if stopping takes longer than the grace period.
// Plain node, no dependencies (used by scripts/bootstrap.mjs and scripts/test.mjs).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** After a forwarded signal, how long the group may take to stop before it is killed. */
const GRACE_MS = Number(process.env.MASKLET_STOP_GRACE_MS ?? 20_000);

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* the group is gone */
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitGroupGone(pgid, ms) {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  return !groupAlive(pgid);
}

/**
 * Runs cmd with inherited stdio in a new process group and resolves to the exit status this process should
 * end with (128 + n when the command died of signal n). After a forwarded signal, what is left of the group
 * once the command exits gets SIGTERM, then SIGKILL after GRACE_MS; so does the whole group if the command
 * itself outlives GRACE_MS.
 */
export function runGroup(cmd, args, opts = {}) {
  return new Promise((resolveStatus) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts, detached: true });
    let stopping = false;
    let force;
    // Once: npm and a terminal may both deliver a Ctrl-C, and a second signal makes some programs skip their
    // clean shutdown. The grace timer is what escalates.
    const forward = (signal) => {
      if (child.pid === undefined || stopping) return;
      stopping = true;
      try {
        process.kill(child.pid, signal);
      } catch {
        /* already gone */
      }
      force = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), GRACE_MS);
    };
    for (const s of SIGNALS) process.on(s, forward);
    child.once('error', (err) => {
      console.error(`${cmd}: ${err.message}`);
      for (const s of SIGNALS) process.off(s, forward);
      resolveStatus(127);
    });
    child.once('exit', async (code, signal) => {
      if (stopping && child.pid !== undefined && groupAlive(child.pid)) {
        signalGroup(child.pid, 'SIGTERM');
        if (!(await waitGroupGone(child.pid, GRACE_MS))) signalGroup(child.pid, 'SIGKILL');
      }
      clearTimeout(force);
      for (const s of SIGNALS) process.off(s, forward);
      resolveStatus(code ?? 128 + (constants.signals[signal] ?? 1));
    });
  });
}
