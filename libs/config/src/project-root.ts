import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The repository (or image) root: the nearest ancestor of this file whose package.json is named `masklet`.
 * Runtime paths (prisma/migrations, models/, the dashboard bundle) hang off it, so they resolve the same way from
 * the TypeScript sources (tsx) and from the compiled dist/ tree, which sits one level deeper.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'masklet') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json named "masklet" above ${__dirname}`);
    dir = parent;
  }
}
