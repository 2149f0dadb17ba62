// `npm run demo` while another process holds the dpkg lock, as an apt process does: bootstrap's apt step waits,
// says so, and once the lock is released the demo runs to the end (DEMO_EXIT=1, a short generated clip only).
// apt takes POSIX record locks (fcntl), which flock(1) does not conflict with, so the holder is a python fcntl
// lock. MASKLET_APT_VERIFY=1 sends the installed ffmpeg through apt-get install (a no-op that still takes the
// lock), so the test needs neither the network nor a long install.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../e2e/free-port';

const ROOT = resolve(__dirname, '..', '..');
const LOCK = '/var/lib/dpkg/lock-frontend';
const HOLD_S = 30;

const HOLDER = `
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o640)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
`;

const canRun = (() => {
  if (process.getuid?.() !== 0) return 'needs root to take the dpkg lock';
  for (const bin of ['apt-get', 'python3', 'ffmpeg'])
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `needs ${bin}`;
  return true;
})();

let holder: ChildProcess | undefined;
after(() => {
  holder?.kill('SIGKILL');
});

function holdLock(seconds: number): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const p = spawn('python3', ['-c', HOLDER, LOCK, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) done(p);
    });
    p.once('exit', (code) => fail(new Error(`lock holder exited (${code}) before taking ${LOCK}`)));
  });
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((done) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.once('exit', (code) => done({ code, out, ms: Date.now() - t0 }));
  });
}

test(
  `npm run demo succeeds while another process holds ${LOCK} for ${HOLD_S} s`,
  { skip: canRun === true ? false : canRun, timeout: 300_000 },
  async () => {
    const port = await freePort();
    holder = await holdLock(HOLD_S);
    let released = 0;
    holder.once('exit', () => (released = Date.now()));
    const env = {
      ...process.env,
      MASKLET_APT_VERIFY: '1',
      MASKLET_APT_LOCK_TIMEOUT: '120',
      DEMO_EXIT: '1',
      DEMO_FRAMES: '6',
      DEMO_DATA: '/nonexistent/masklet-demo-data',
      DEMO_API_PORT: String(port),
      WORKER_METRICS_PORT: '0',
      API_METRICS_PORT: '0',
    };
    const r = await run('npm', ['run', 'demo'], env);
    assert.equal(r.code, 0, r.out.slice(-3000));
    assert.match(
      r.out,
      /apt-install: waiting for the apt\/dpkg lock \(\/var\/lib\/dpkg\/lock-frontend\. It is held by process \d+ \(python3\)\)/,
    );
    assert.ok(released > 0, 'the holder released the lock before the demo finished');
    assert.ok(r.ms >= (HOLD_S - 2) * 1000, `the demo waited for the lock (${r.ms} ms)`);
    // The demo itself ran once provisioning was done: both objects of the generated clip scored against the truth.
    assert.equal(
      [...r.out.matchAll(/object \d \(\w+\): mean IoU [0-9.]+ over 6 frames/g)].length,
      2,
      r.out.slice(-3000),
    );
    assert.match(r.out, /stopping the API and the worker/);
  },
);

test(
  'the wait is bounded: with MASKLET_APT_LOCK_TIMEOUT=3 apt-install gives up, naming the lock',
  { skip: canRun === true ? false : canRun, timeout: 60_000 },
  async () => {
    holder = await holdLock(15);
    const r = await run('bash', ['infra/local/apt-install.sh', 'ffmpeg'], {
      ...process.env,
      MASKLET_APT_LOCK_TIMEOUT: '3',
    });
    holder.kill('SIGKILL');
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /still held after 3 s/);
    assert.ok(r.ms < 12_000, `gave up within the bound (${r.ms} ms)`);
  },
);
