// A redis-server owned by one fault test: paused, killed and restarted without touching anyone else's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from '../e2e/free-port';

export interface PrivateRedis {
  url: string;
  /** SIGSTOP: the socket stays open, nothing answers (a hung Redis). */
  pause(): void;
  resume(): void;
  /** SIGKILL, then a fresh empty server on the same port (no AOF replayed). */
  restartEmpty(): Promise<void>;
  stop(): Promise<void>;
}

function pingable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let dir = await mkdtemp(join(tmpdir(), 'masklet-fault-redis-'));
  let proc: ChildProcess;
  const launch = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await pingable(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`private redis on ${port} did not start`);
  };
  const kill = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGCONT');
    proc.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    pause: () => proc.kill('SIGSTOP'),
    resume: () => proc.kill('SIGCONT'),
    async restartEmpty() {
      await kill();
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'masklet-fault-redis-'));
      await launch();
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
