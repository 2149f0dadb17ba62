// `npm test` stopped by a signal to the npm process alone, while a test file runs the demo (which starts an API and
// a worker of its own): scripts/test.mjs hands the signal to node's test runner and sweeps its process group, so the
// runner, the test file, the demo, its API and its worker all go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { descendants, portOpen, waitGone } from './process-tree';

const ROOT = resolve(__dirname, '..', '..');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(
    `${signal} to the npm process of \`npm test\` stops the test runner, its test files and the stacks they started`,
    { timeout: 300_000 },
    async () => {
      const port = await freePort();
      const npm = spawn('npm', ['test', '--', '--no-bootstrap', 'test/e2e/demo.test.ts'], {
        cwd: ROOT,
        // demo.test.ts passes its environment on to the demo: a short clip on a known port, no real clips.
        env: {
          ...process.env,
          DEMO_API_PORT: String(port),
          DEMO_FRAMES: '6',
          DEMO_DATA: '/nonexistent/masklet-demo-data',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
      npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const deadline = Date.now() + 240_000;
        let tree = new Map<number, string>();
        // Up once the demo's API answers on its port (the worker starts beside it).
        while (!(await portOpen(port))) {
          assert.ok(npm.exitCode === null, `npm test exited early:\n${out.slice(-3000)}`);
          assert.ok(Date.now() < deadline, `the demo's API was not up after 240 s:\n${out.slice(-3000)}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        tree = descendants(npm.pid!);
        const cmds = [...tree.values()];
        assert.ok(
          cmds.some((c) => c.includes('--test')),
          `node's test runner is in npm's process tree: ${cmds.join('\n')}`,
        );
        assert.ok(
          cmds.some((c) => c.includes('apps/api/src/main.ts')),
          `the demo's API is in npm's process tree: ${cmds.join('\n')}`,
        );
        assert.ok(
          cmds.some((c) => c.includes('apps/worker/src/main.ts')),
          `the demo's worker is in npm's process tree: ${cmds.join('\n')}`,
        );

        process.kill(npm.pid!, signal);
        // run-group's grace period (20 s) bounds how long the group may take before it is killed.
        const left = await waitGone([...tree.keys()], 40_000, () => npm.exitCode !== null || npm.signalCode !== null);
        assert.deepEqual(
          left.map((pid) => `${pid} ${tree.get(pid)}`),
          [],
          `processes left 40 s after ${signal}`,
        );
        assert.ok(npm.exitCode !== null || npm.signalCode !== null, 'npm exited');
        assert.notEqual(npm.exitCode, 0, 'an interrupted test run does not report success');
        assert.equal(await portOpen(port), false, "the demo's API port is closed");
      } finally {
        if (npm.exitCode === null) npm.kill('SIGKILL');
        for (const pid of descendants(npm.pid!).keys()) process.kill(pid, 'SIGKILL');
      }
    },
  );
}
