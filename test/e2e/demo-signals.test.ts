// `npm run demo` stopped by a signal to the npm process alone (what a supervisor or a script sends): npm hands it
// to bootstrap, which stops its command's whole process group, so tsx, the demo, its API and its worker all go.
// DEMO_DATA points nowhere: a fresh clone without ../shared/data runs the generated clip and skips the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { descendants, portOpen, waitGone } from './process-tree';

const ROOT = resolve(__dirname, '..', '..');

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
          API_METRICS_PORT: '0',
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
        const left = await waitGone([...tree.keys()], 30_000, () => npm.exitCode !== null || npm.signalCode !== null);
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
