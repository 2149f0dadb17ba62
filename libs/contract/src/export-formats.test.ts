import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXPORT_FORMAT_KINDS,
  EXPORT_FORMAT_NAMES,
  EXPORT_FORMATS,
  exportFormat,
  exportFormatOfKind,
} from './export-formats';

test('the Prisma ExportKind enum has exactly the registry kinds', () => {
  const schema = readFileSync(join(__dirname, '../../../prisma/schema.prisma'), 'utf8');
  const block = /enum ExportKind \{([^}]*)\}/.exec(schema)?.[1];
  assert.ok(block, 'enum ExportKind in prisma/schema.prisma');
  const values = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'));
  assert.deepEqual([...values].sort(), [...EXPORT_FORMAT_KINDS].sort());
});

test('names, kinds, file names and aliases are unique; lookups are case-insensitive', () => {
  const spellings = EXPORT_FORMATS.flatMap((f) => [f.name, ...f.aliases]);
  assert.equal(new Set(spellings).size, spellings.length);
  assert.equal(new Set(EXPORT_FORMATS.map((f) => f.fileName)).size, EXPORT_FORMATS.length);
  assert.equal(new Set(EXPORT_FORMAT_KINDS).size, EXPORT_FORMATS.length);
  assert.deepEqual(EXPORT_FORMAT_NAMES, ['coco', 'davis', 'yolo', 'cvat', 'mp4']);
  assert.equal(exportFormat('DAVIS_PNG_ZIP')?.name, 'davis');
  assert.equal(exportFormat('Overlay')?.kind, 'OVERLAY_MP4');
  assert.equal(exportFormat('tiff'), undefined);
  assert.equal(exportFormatOfKind('CVAT_VIDEO_XML').fileName, 'annotations-cvat.xml');
  assert.throws(() => exportFormatOfKind('NOPE'), /unknown export kind NOPE/);
});
