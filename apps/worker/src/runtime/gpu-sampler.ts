import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from './logger';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi, type GpuSample } from './nvidia-smi';

const run = promisify(execFile);

/**
 * Reads the host's GPUs through nvidia-smi once per heartbeat. A host without nvidia-smi (a CPU worker)
 * reports none and is not asked again; a run that fails, hangs past `timeoutMs` or prints something
 * unparseable reports none for that beat and is logged (at warn when the problem is new, so a host whose
 * driver is gone does not warn every beat).
 */
export class GpuSampler {
  private missing = false;
  private lastProblem: string | null = null;

  constructor(
    private readonly log: Logger,
    private readonly command = 'nvidia-smi',
    private readonly timeoutMs = 2000,
  ) {}

  /** The GPUs now, or null where there is no nvidia-smi or it gave no usable answer. */
  async sample(): Promise<GpuSample[] | null> {
    if (this.missing) return null;
    let stdout: string;
    try {
      ({ stdout } = await run(this.command, [...NVIDIA_SMI_ARGS], {
        timeout: this.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1 << 20,
      }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.missing = true;
        this.log.debug({ command: this.command }, 'no nvidia-smi: no GPU figures');
      } else {
        this.problem({ err: (err as Error).message, command: this.command }, 'nvidia-smi failed');
      }
      return null;
    }
    try {
      const gpus = parseNvidiaSmi(stdout);
      this.lastProblem = null;
      return gpus;
    } catch (err) {
      this.problem({ err: (err as Error).message, output: stdout.slice(0, 500) }, 'nvidia-smi output not understood');
      return null;
    }
  }

  private problem(obj: { err: string } & Record<string, unknown>, msg: string): void {
    const repeated = this.lastProblem === obj.err;
    this.lastProblem = obj.err;
    this.log[repeated ? 'debug' : 'warn'](obj, msg);
  }
}
