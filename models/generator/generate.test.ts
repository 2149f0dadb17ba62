/** Generation is deterministic and fast, writes a valid manifest, and ensureModel reuses it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../libs/engine/src/manifest/load-manifest';
import { ensureModel } from './ensure-model';
import { generateModel } from './models';

function digests(manifestPath: string): Record<string, string> {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { roles: Record<string, { sha256: string }> };
  return Object.fromEntries(Object.entries(m.roles).map(([role, r]) => [role, r.sha256]));
}

test('reference generation is deterministic (byte-identical files) and takes seconds', async () => {
  const a = mkdtempSync(join(tmpdir(), 'masklet-ref-a-'));
  const b = mkdtempSync(join(tmpdir(), 'masklet-ref-b-'));
  try {
    const t0 = performance.now();
    const first = generateModel('reference', a);
    const ms = performance.now() - t0;
    const second = generateModel('reference', b);
    assert.ok(ms < 5000, `generation took ${ms} ms`);
    assert.deepEqual(digests(first.manifestPath), digests(second.manifestPath));
    assert.equal(readFileSync(first.manifestPath, 'utf8'), readFileSync(second.manifestPath, 'utf8'));
    const loaded = await loadManifest(first.manifestPath);
    assert.equal(Object.keys(loaded.files).length, 7);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('shape-test generation is deterministic too', () => {
  const a = mkdtempSync(join(tmpdir(), 'masklet-shape-a-'));
  const b = mkdtempSync(join(tmpdir(), 'masklet-shape-b-'));
  try {
    assert.deepEqual(
      digests(generateModel('sam21-tiny-shaped', a).manifestPath),
      digests(generateModel('sam21-tiny-shaped', b).manifestPath),
    );
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('ensureModel returns a valid manifest and does not rewrite a current one', async () => {
  const path = await ensureModel('reference');
  const loaded = await loadManifest(path);
  assert.equal(loaded.manifest.family, 'reference');
  const mtime = statSync(path).mtimeMs;
  assert.equal(await ensureModel('reference'), path);
  assert.equal(statSync(path).mtimeMs, mtime);
});
