// `npm test` stopped by a signal to the npm process alone, while a test file runs the demo (which starts an API and
// a worker of its own): scripts/test.mjs hands the signal to node's test runner and sweeps its process group, so the
// runner, the test file, the demo, its API and its worker all go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { descendants, portOpen, waitGone } from './process-tree';

const ROOT = resolve(__dirname, '..', '..');

/** The API_PORT a process was started with (demo.test.ts gives the demo a free port of its own choosing). */
function apiPort(pid: number): number {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return Number(env.find((e) => e.startsWith('API_PORT='))?.slice('API_PORT='.length) ?? 0);
  } catch {
    return 0; // exited while listed
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(
    `${signal} to the npm process of \`npm test\` stops the test runner, its test files and the stacks they started`,
    { timeout: 300_000 },
    async () => {
      // NODE_TEST_CONTEXT is this runner's mark: the nested runner would take itself for a recursive call and run nothing.
      const { NODE_TEST_CONTEXT: _ownRunner, ...env } = process.env;
      // demo.test.ts picks the demo's API port itself; no real clips keeps the demo on the generated clip.
      const npm = spawn('npm', ['test', '--', '--no-bootstrap', 'test/e2e/demo.test.ts'], {
        cwd: ROOT,
        env: { ...env, DEMO_DATA: '/nonexistent/masklet-demo-data' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
      npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const deadline = Date.now() + 240_000;
        let tree = new Map<number, string>();
        let port = 0;
        // Up once the demo's API answers on the port it was started with (the worker starts beside it).
        while (port === 0 || !(await portOpen(port))) {
          assert.ok(npm.exitCode === null, `npm test exited early:\n${out.slice(-3000)}`);
          assert.ok(Date.now() < deadline, `the demo's API was not up after 240 s:\n${out.slice(-3000)}`);
          await new Promise((r) => setTimeout(r, 250));
          tree = descendants(npm.pid!);
          const api = [...tree].find(([, cmd]) => cmd.includes('apps/api/src/main.ts'));
          if (api) port = apiPort(api[0]);
        }
        tree = descendants(npm.pid!);
        const cmds = [...tree.values()];
        assert.ok(
          cmds.some((c) => c.includes('--test')),
          `node's test runner is in npm's process tree: ${cmds.join('\n')}`,
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
