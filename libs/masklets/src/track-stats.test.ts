import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packTrackStats, unpackTrackStats, type FrameTrackStat } from './track-stats';
import { decodeChunk, encodeChunk, CHUNK_FORMAT } from './chunk-format';
import { packTrackSignals, unpackTrackSignals } from './track-signals';

test('track stats round-trip through their packed form, 9 frames crossing a presence byte', () => {
  const stats: FrameTrackStat[] = Array.from({ length: 9 }, (_, i) =>
    i % 3 === 0
      ? { present: false, area: 0, box: null }
      : { present: true, area: 1000 + i, box: [i, i + 1, 800 + i, 470] },
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
    frames: [
      {
        frame: 0,
        objects: [
          { objectId: 1, rle: { size: [2, 4] as [number, number], counts: '0:0' }, area: 0, bbox: null, score: -1 },
        ],
      },
    ],
  } as const;
  const a = encodeChunk(structuredClone(chunk) as never);
  const b = encodeChunk(structuredClone(chunk) as never);
  assert.equal(a.sha256, b.sha256);
  assert.deepEqual(decodeChunk(a.body), chunk);
  const bad = encodeChunk({ ...chunk, round: 0 } as never);
  assert.throws(() => decodeChunk(bad.body));
});

test('track signals round-trip within their quantisation; unknown and out-of-range values are kept apart', () => {
  const signals = [
    { score: 12.345, iou: 0.91234 },
    { score: -1024, iou: 0.5 },
    { score: null, iou: null },
    { score: 0.004, iou: 1.07 },
    { score: Number.NaN, iou: -0.2 },
  ];
  const packed = packTrackSignals(signals);
  assert.equal(packed.length, 20);
  assert.deepEqual(unpackTrackSignals(packed, 5), [
    { score: 12.35, iou: 0.9123 },
    { score: -327.67, iou: 0.5 },
    { score: null, iou: null },
    { score: 0, iou: 1.07 },
    { score: null, iou: -0.2 },
  ]);
  assert.deepEqual(unpackTrackSignals(null, 2), [
    { score: null, iou: null },
    { score: null, iou: null },
  ]);
});
