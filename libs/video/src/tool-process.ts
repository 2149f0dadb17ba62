// Thin wrapper over child_process for ffmpeg/ffprobe: remembers only the tail of stderr (ffmpeg can log
// megabytes on a broken file) and turns a missing binary into an actionable message.
import { spawn, type ChildProcess } from 'node:child_process';

const STDERR_TAIL_BYTES = 4096;

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last few KB of stderr, for error messages. */
  stderr: string;
  /** Killed because it ran past its `timeoutMs`. */
  timedOut?: boolean;
}

export interface ToolOptions {
  /**
   * Wall-clock limit: past it the process is SIGKILLed and exits with `timedOut`. A stalled input (an
   * object store that stopped answering mid-read) would otherwise hold the process, and its caller, forever.
   */
  timeoutMs?: number;
}

export interface ToolProcess {
  readonly child: ChildProcess;
  /** Settles when the process has exited and its stdio is closed; never rejects (spawn failures arrive as code null + stderr). */
  readonly exited: Promise<ToolExit>;
  /** SIGKILL (ffmpeg ignores a polite SIGTERM while blocked on a full pipe) and wait for exit. Idempotent. */
  kill(): Promise<ToolExit>;
  /**
   * Whether this process keeps Node's event loop alive. A decoder parked between reads should not:
   * a source someone forgot to close would otherwise keep a finished script (or test run) from exiting.
   */
  keepAlive(on: boolean): void;
}

interface Refable {
  ref?(): unknown;
  unref?(): unknown;
}

export function spawnTool(
  command: string,
  args: readonly string[],
  stdin: 'ignore' | 'pipe' = 'ignore',
  opts: ToolOptions = {},
): ToolProcess {
  const child = spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'] });
  let tail = '';
  let timedOut = false;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    tail = (tail + s).slice(-STDERR_TAIL_BYTES);
  });
  // A killed reader makes EPIPE/ECONNRESET on our side of the pipes; that is expected, not a crash.
  child.stdout?.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<ToolExit>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ENOENT' ? ` (${command} not found on PATH: run infra/local/ensure-ffmpeg.sh)` : '';
      tail += `${err.message}${hint}`;
      // 'close' does not always follow a failed spawn.
      if (child.pid === undefined) resolve({ code: null, signal: null, stderr: tail });
    });
    child.once('close', (code, signal) =>
      resolve({ code, signal, stderr: tail.trim(), ...(timedOut ? { timedOut } : {}) }),
    );
  });
  if (opts.timeoutMs !== undefined) {
    const timer = setTimeout(() => {
      timedOut = true;
      tail += `${command} ran past its ${opts.timeoutMs} ms limit`;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGKILL');
      child.stdout?.destroy();
    }, opts.timeoutMs);
    timer.unref();
    void exited.then(() => clearTimeout(timer));
  }
  const keepAlive = (on: boolean) => {
    for (const h of [child, child.stdin, child.stdout, child.stderr] as (Refable | null)[]) {
      if (on) h?.ref?.();
      else h?.unref?.();
    }
  };
  return {
    child,
    exited,
    keepAlive,
    kill() {
      keepAlive(true); // until 'close' arrives, or an otherwise idle process would exit with this promise pending
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGKILL');
      // 'close' waits for stdout to end, and a paused stdout with unread bytes never ends: drop it.
      child.stdout?.destroy();
      return exited;
    },
  };
}

/** Runs a tool whose stdout is small (ffprobe JSON of streams/format) and returns it whole. */
export async function runTool(
  command: string,
  args: readonly string[],
  maxStdoutBytes = 8 * 1024 * 1024,
  opts: ToolOptions = {},
): Promise<ToolExit & { stdout: string }> {
  const proc = spawnTool(command, args, 'ignore', opts);
  const chunks: Buffer[] = [];
  let size = 0;
  proc.child.stdout?.on('data', (b: Buffer) => {
    size += b.length;
    if (size > maxStdoutBytes) {
      void proc.kill();
      return;
    }
    chunks.push(b);
  });
  const exit = await proc.exited;
  if (size > maxStdoutBytes) {
    return {
      ...exit,
      code: exit.code ?? -1,
      stderr: `${command} printed more than ${maxStdoutBytes} bytes`,
      stdout: '',
    };
  }
  return { ...exit, stdout: Buffer.concat(chunks).toString('utf8') };
}
