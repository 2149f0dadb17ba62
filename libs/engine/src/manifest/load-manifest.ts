/** Reads, validates and checksums a model manifest; every failure names the file and the problem. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { manifestSchema, ModelManifest, RoleName, ROLE_IO } from './manifest-schema';

export class ManifestError extends Error {
  constructor(
    readonly manifestPath: string,
    message: string,
  ) {
    super(`${manifestPath}: ${message}`);
    this.name = 'ManifestError';
  }
}

export interface LoadedManifest {
  readonly path: string;
  readonly manifest: ModelManifest;
  /** Absolute path of each role's graph file. */
  readonly files: Partial<Record<RoleName, string>>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function loadManifest(path: string, opts: { verifyChecksums?: boolean } = {}): Promise<LoadedManifest> {
  const absolute = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(absolute, 'utf8'));
  } catch (err) {
    throw new ManifestError(absolute, `cannot read manifest JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ManifestError(absolute, `invalid manifest: ${issues}`);
  }
  const manifest = parsed.data;
  const files: Partial<Record<RoleName, string>> = {};
  for (const [role, spec] of Object.entries(manifest.roles) as [RoleName, (typeof manifest.roles)[RoleName]][]) {
    if (!spec) continue;
    const expected = ROLE_IO[role];
    for (const name of [...expected.inputs, ...expected.outputs]) {
      const map = (expected.inputs as readonly string[]).includes(name) ? spec.inputs : spec.outputs;
      if (map[name] === undefined) map[name] = name;
    }
    const file = isAbsolute(spec.file) ? spec.file : resolve(dirname(absolute), spec.file);
    if (opts.verifyChecksums !== false) {
      let actual: string;
      try {
        actual = await sha256File(file);
      } catch (err) {
        throw new ManifestError(absolute, `role ${role}: cannot read ${file} (${(err as Error).message})`);
      }
      if (actual !== spec.sha256) {
        throw new ManifestError(absolute, `role ${role}: sha256 of ${file} is ${actual}, manifest says ${spec.sha256}`);
      }
    }
    files[role] = file;
  }
  return { path: absolute, manifest, files };
}
