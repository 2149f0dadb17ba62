// A real, small filesystem for a fault test: a tmpfs of a few MiB mounted on a temp dir, so the worker's
// scratch writes get ENOSPC from the kernel (not from a budget). Mounting needs CAP_SYS_ADMIN (root, or
// `sudo -n`); without it the suite skips saying so, and under CI=true it fails instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(argv: string[]): void {
  const [cmd, ...args] = process.getuid?.() === 0 ? argv : ['sudo', '-n', ...argv];
  execFileSync(cmd!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function probe(): string | false {
  const dir = mkdtempSync(join(tmpdir(), 'masklet-fs-probe-'));
  try {
    run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    run(['umount', dir]);
    return false;
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return `cannot mount a tmpfs (needs root with CAP_SYS_ADMIN, or passwordless sudo): ${why}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unavailable = probe();
if (unavailable && process.env.CI) throw new Error(`CI: ${unavailable}`);
/** `describe`'s skip option: false where a tmpfs can be mounted, else the reason. */
export const smallFsSkip = unavailable;

export interface SmallFs {
  dir: string;
  /** Writes a filler file until the filesystem answers ENOSPC; returns the bytes it took. */
  fill(): Promise<number>;
  /** Deletes the filler. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

export function mountSmallFs(bytes: number): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), 'masklet-small-fs-'));
  run(['mount', '-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    async fill() {
      const fh = await open(filler, 'a');
      const block = Buffer.alloc(4096, 1);
      let written = 0;
      try {
        for (;;) {
          try {
            written += (await fh.write(block)).bytesWritten;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return written;
            throw err;
          }
        }
      } finally {
        await fh.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async unmount() {
      run(['umount', '-l', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
