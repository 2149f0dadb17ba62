// `npm run demo` stopped by a signal to the npm process alone (what a supervisor or a script sends): npm hands it
// to bootstrap, which stops its command's whole process group, so tsx, the demo, its API and its worker all go.
// DEMO_DATA points nowhere: a fresh clone without ../shared/data runs the generated clip and skips the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from './free-port';

const ROOT = resolve(__dirname, '..', '..');

function portOpen(port: number): Promise<boolean> {
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

function descendants(root: number): Map<number, string> {
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

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(
    `${signal} to the npm process of \`npm run demo\` stops the API, the worker and every process it started`,
    { timeout: 300_000 },
    async () => {
      const port = await freePort();
      const npm = spawn('npm', ['run', 'demo'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DEMO_API_PORT: String(port),
          DEMO_FRAMES: '6',
          DEMO_DATA: '/nonexistent/masklet-demo-data',
          WORKER_METRICS_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
      npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
        npm.once('exit', (code, sig) => done({ code, signal: sig })),
      );
      try {
        const deadline = Date.now() + 240_000;
        while (!/the stack stays up/.test(out)) {
          assert.ok(npm.exitCode === null, `npm run demo exited early:\n${out.slice(-3000)}`);
          assert.ok(Date.now() < deadline, `no URLs after 240 s:\n${out.slice(-3000)}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        assert.match(out, new RegExp(`dashboard {2}http://127\\.0\\.0\\.1:${port}/ui/`));
        assert.match(out, /object 1 \(\w+\): mean IoU [0-9.]+ over 6 frames/);
        assert.match(out, /no real clips at \/nonexistent\/masklet-demo-data\/videos; skipped/);
        assert.match(out, /no DAVIS sequence blackswan at \/nonexistent\/masklet-demo-data\/davis2016; skipped/);
        assert.equal(await portOpen(port), true, 'the API listens while the demo is up');
        const tree = descendants(npm.pid!);
        const cmds = [...tree.values()];
        assert.ok(
          cmds.some((c) => c.includes('apps/api/src/main.ts')),
          `the API is in npm's process tree: ${cmds.join('\n')}`,
        );
        assert.ok(
          cmds.some((c) => c.includes('apps/worker/src/main.ts')),
          `the worker is in npm's process tree: ${cmds.join('\n')}`,
        );

        process.kill(npm.pid!, signal);
        const stopBy = Date.now() + 30_000;
        let left = [...tree.keys()].filter(alive);
        while ((left.length > 0 || npm.exitCode === null) && Date.now() < stopBy) {
          await new Promise((r) => setTimeout(r, 200));
          left = [...tree.keys()].filter(alive);
        }
        assert.deepEqual(
          left.map((pid) => `${pid} ${tree.get(pid)}`),
          [],
          `processes left 30 s after ${signal}`,
        );
        const end = await exited;
        assert.equal(end.signal, null, `npm exited by itself (${JSON.stringify(end)})`);
        assert.equal(await portOpen(port), false, 'the API port is closed');
        assert.match(out, /stopping the API and the worker/);
        // One signal per process: a worker that gets a second one skips its clean shutdown and says so.
        assert.doesNotMatch(out, /second signal/);
      } finally {
        if (npm.exitCode === null) npm.kill('SIGKILL');
        for (const pid of descendants(npm.pid!).keys()) process.kill(pid, 'SIGKILL');
      }
    },
  );
}
