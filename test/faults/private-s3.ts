// An s3rver owned by one fault test: stopped and started again on the same port and data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../e2e/free-port';

const BIN = resolve(__dirname, '..', '..', 'node_modules', 's3rver', 'bin', 's3rver.js');

export interface PrivateS3 {
  endpoint: string;
  /** SIGKILL: connections are refused until start(). */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: connections are accepted but nothing is answered (a hung store) until resume(). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startPrivateS3(bucket: string): Promise<PrivateS3> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'masklet-fault-s3-'));
  const endpoint = `http://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    proc = spawn(
      process.execPath,
      [BIN, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`${endpoint}/${bucket}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`private s3rver on ${port} did not start`);
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    endpoint,
    kill,
    start,
    pause: () => void proc?.kill('SIGSTOP'),
    resume: () => void proc?.kill('SIGCONT'),
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
