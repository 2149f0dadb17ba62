import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packTrackStats, unpackTrackStats, type FrameTrackStat } from './track-stats';
import { decodeChunk, encodeChunk, CHUNK_FORMAT } from './chunk-format';

test('track stats round-trip through their packed form, 9 frames crossing a presence byte', () => {
  const stats: FrameTrackStat[] = Array.from({ length: 9 }, (_, i) =>
    i % 3 === 0 ? { present: false, area: 0, box: null } : { present: true, area: 1000 + i, box: [i, i + 1, 800 + i, 470] },
  );
  const packed = packTrackStats(stats);
  assert.equal(packed.presence.length, 2);
  assert.equal(packed.areas.length, 36);
  assert.deepEqual(unpackTrackStats(packed, 9), stats);
});

test('a chunk encodes to the same bytes twice and decodes to itself; a malformed one is refused', () => {
  const chunk = {
    format: CHUNK_FORMAT,
    jobId: 'j',
    round: 1,
    width: 4,
    height: 2,
    startFrame: 0,
    endFrame: 1,
    frames: [{ frame: 0, objects: [{ objectId: 1, rle: { size: [2, 4] as [number, number], counts: '0:0' }, area: 0, bbox: null, score: -1 }] }],
  } as const;
  const a = encodeChunk(structuredClone(chunk) as never);
  const b = encodeChunk(structuredClone(chunk) as never);
  assert.equal(a.sha256, b.sha256);
  assert.deepEqual(decodeChunk(a.body), chunk);
  const bad = encodeChunk({ ...chunk, round: 0 } as never);
  assert.throws(() => decodeChunk(bad.body));
});
