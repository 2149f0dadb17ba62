// `npm run demo`'s provisioning (scripts/bootstrap.mjs) while another process holds the dpkg lock, as an apt
// process does: the apt step waits, says so, and succeeds once the lock is released.
// apt takes POSIX record locks (fcntl), which flock(1) does not conflict with, so the holder is a python fcntl
// lock. MASKLET_APT_VERIFY=1 sends the installed ffmpeg through apt-get install (a no-op that still takes the
// lock), so the test needs neither the network nor a long install.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

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
  `bootstrap succeeds while another process holds ${LOCK} for ${HOLD_S} s`,
  { skip: canRun === true ? false : canRun, timeout: 180_000 },
  async () => {
    holder = await holdLock(HOLD_S);
    let released = 0;
    holder.once('exit', () => (released = Date.now()));
    const env = { ...process.env, MASKLET_APT_VERIFY: '1', MASKLET_APT_LOCK_TIMEOUT: '120' };
    const r = await run(
      process.execPath,
      ['scripts/bootstrap.mjs', '--no-browser', '--', 'node', '-e', 'console.log("provisioned")'],
      env,
    );
    assert.equal(r.code, 0, r.out.slice(-3000));
    assert.match(
      r.out,
      /apt-install: waiting for the apt\/dpkg lock \(\/var\/lib\/dpkg\/lock-frontend\. It is held by process \d+ \(python3\)\)/,
    );
    assert.match(r.out, /^provisioned$/m, 'the command after -- ran once provisioning was done');
    assert.ok(released > 0, 'the holder released the lock before bootstrap finished');
    assert.ok(r.ms >= (HOLD_S - 2) * 1000, `bootstrap waited for the lock (${r.ms} ms)`);
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
