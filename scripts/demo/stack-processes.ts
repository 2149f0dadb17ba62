// The demo's API and worker as child processes, so that Ctrl-C stops them as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface StackProcesses {
  apiUrl: string;
  stop(): Promise<void>;
}

function start(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    // SIGINT / SIGTERM are the demo stopping it (or the whole process group being stopped): not news.
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') console.error(`${name} exited (${code ?? signal})`);
  });
  return child;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API at ${url} was not ready after ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startStackProcesses(apiPort: number): Promise<StackProcesses> {
  const api = start('api', 'apps/api/src/main.ts', { API_PORT: String(apiPort) });
  const worker = start('worker', 'apps/worker/src/main.ts', {});
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  try {
    await waitReady(apiUrl, api, 60_000);
  } catch (err) {
    await Promise.all([stopChild(api), stopChild(worker)]);
    throw err;
  }
  return { apiUrl, stop: () => Promise.all([stopChild(api), stopChild(worker)]).then(() => undefined) };
}
