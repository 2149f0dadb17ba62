// J and F against hand-computed cases, DAVIS edge cases, and a literal transcription of f_measure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  boundaryF,
  boundaryScores,
  boundaryTolerancePixels,
  createMask,
  jaccard,
  meanSequenceScores,
  readMaskPng,
  sequenceScores,
  type BinaryMask,
  type FrameScores,
} from '@masklet/masks';
import { DAVIS_ROOT, naiveBoundaryF, randomMask, rect, rng } from './test-support';

const full = (w: number, h: number): BinaryMask => {
  const m = createMask(w, h);
  m.data.fill(1);
  return m;
};

describe('jaccard', () => {
  it('scores two overlapping rectangles (hand-computed)', () => {
    // 4x4 at (0,0) and 4x4 at (2,2): overlap is the 2x2 block (2..3, 2..3) = 4 pixels;
    // union = 16 + 16 - 4 = 28, so J = 4 / 28 = 1/7.
    assert.equal(jaccard(rect(10, 10, 0, 0, 4, 4), rect(10, 10, 2, 2, 4, 4)), 4 / 28);
  });

  it('follows DAVIS on empty masks and rejects size mismatches', () => {
    assert.equal(jaccard(createMask(5, 5), createMask(5, 5)), 1);
    assert.equal(jaccard(rect(5, 5, 1, 1, 2, 2), createMask(5, 5)), 0);
    assert.throws(() => jaccard(createMask(5, 4), createMask(4, 5)), /sizes differ/);
  });
});

describe('boundaryF', () => {
  it('derives the tolerance from the diagonal like DAVIS', () => {
    // 0.008 * sqrt(854^2 + 480^2) = 0.008 * 979.6 = 7.84 -> 8 px.
    assert.equal(boundaryTolerancePixels(854, 480), 8);
    // 0.008 * sqrt(2) * 100 = 1.13 -> rounded up to 2, not to nearest.
    assert.equal(boundaryTolerancePixels(100, 100), 2);
    assert.equal(boundaryTolerancePixels(854, 480, 3), 3);
    assert.throws(() => boundaryTolerancePixels(854, 480, 2.5), /integer/);
    assert.throws(() => boundaryTolerancePixels(854, 480, -0.1), />= 0/);
  });

  it('is 1 for identical masks', () => {
    const rand = rng(12);
    for (let t = 0; t < 10; t++) {
      const m = randomMask(rand, 60, 40, 0.5, true);
      assert.equal(boundaryF(m, m), 1);
    }
  });

  it('forgives a 1 px shift within a 1 px tolerance, but not with 0', () => {
    const a = rect(100, 100, 20, 30, 40, 30);
    const b = rect(100, 100, 21, 30, 40, 30);
    assert.equal(boundaryF(a, b, 1), 1);
    assert.ok(boundaryF(a, b, 0) < 0.8);
  });

  it('is low for a shift far beyond the tolerance', () => {
    // 40x40 squares 20 px apart with a 2 px tolerance: only the overlapping stretches of the top
    // and bottom edges can match.
    const a = rect(100, 100, 20, 20, 40, 40);
    const b = rect(100, 100, 40, 20, 40, 40);
    const { precision, recall, f } = boundaryScores(a, b, 2);
    assert.ok(f < 0.5, `F = ${f}`);
    assert.equal(precision, recall); // the situation is symmetric
    // Disjoint objects far apart match nothing at all.
    assert.equal(boundaryF(rect(100, 100, 0, 0, 10, 10), rect(100, 100, 60, 60, 10, 10), 5), 0);
  });

  it('handles empty boundaries the DAVIS way', () => {
    const empty = createMask(20, 20);
    const obj = rect(20, 20, 5, 5, 5, 5);
    assert.deepEqual(boundaryScores(empty, empty), { precision: 1, recall: 1, f: 1 });
    assert.deepEqual(boundaryScores(empty, obj), { precision: 1, recall: 0, f: 0 });
    assert.deepEqual(boundaryScores(obj, empty), { precision: 0, recall: 1, f: 0 });
    // Quirk inherited from seg2bmap: a mask covering the whole frame has no boundary at all, so
    // it scores F = 1 against an empty ground truth (J catches it: 0).
    assert.equal(boundaryF(full(20, 20), empty), 1);
    assert.equal(jaccard(full(20, 20), empty), 0);
  });

  it('matches a literal transcription of the DAVIS f_measure on random masks', () => {
    const rand = rng(13);
    for (let t = 0; t < 40; t++) {
      const w = 5 + Math.floor(rand() * 60);
      const h = 5 + Math.floor(rand() * 60);
      const a = randomMask(rand, w, h, 0.5, true);
      const b = t % 3 === 0 ? randomMask(rand, w, h, 0.1) : randomMask(rand, w, h, 0.5, true);
      const th = [0.008, 0.05, 1, 3][t % 4] as number;
      const r = boundaryTolerancePixels(w, h, th);
      assert.equal(boundaryF(a, b, th), naiveBoundaryF(a, b, r), `t=${t}`);
    }
  });

  it('matches the transcription on consecutive real DAVIS ground-truth frames', (t) => {
    const dir = join(DAVIS_ROOT, 'dog', 'masks');
    if (!existsSync(dir)) {
      t.diagnostic(`skipped: ${dir} not found`);
      console.log(`[masks] DAVIS data absent (${dir}); real-mask metric check skipped`);
      return;
    }
    const load = (f: string): BinaryMask => {
      const { width, height, labels } = readMaskPng(readFileSync(join(dir, f)));
      return { width, height, data: labels };
    };
    const a = load('00000.png');
    const b = load('00005.png');
    const f = boundaryF(b, a);
    assert.equal(f, naiveBoundaryF(b, a, 8));
    assert.ok(f > 0 && f < 1, `F = ${f}`);
    const j = jaccard(b, a);
    assert.ok(j > 0.3 && j < 1, `J = ${j}`);
  });
});

describe('sequenceScores', () => {
  const good = rect(30, 20, 5, 5, 10, 8);
  const miss = rect(30, 20, 20, 0, 5, 5);

  it('leaves the first and last frame out of the means (DAVIS-2016)', () => {
    const frames = [
      { pred: miss, gt: good },
      { pred: good, gt: good },
      { pred: good, gt: good },
      { pred: miss, gt: good },
    ];
    const s = sequenceScores(frames);
    assert.equal(s.J, 1);
    assert.equal(s.F, 1);
    assert.equal(s.perFrame.length, 4);
    assert.equal(s.perFrame[0]?.J, 0);
  });

  it('averages every frame of one- and two-frame sequences', () => {
    assert.equal(
      sequenceScores([
        { pred: good, gt: good },
        { pred: miss, gt: good },
      ]).J,
      0.5,
    );
    assert.equal(sequenceScores([{ pred: miss, gt: good }]).J, 0);
    assert.throws(() => sequenceScores([]), /no scored frames/);
  });

  it('averages streamed per-frame scores with the same convention, skipping holes', () => {
    const frames = [
      { J: 0, F: 0 },
      { J: 1, F: 0.5 },
      { J: 0.5, F: 1 },
      { J: 0, F: 0 },
    ];
    assert.deepEqual(meanSequenceScores(frames), { J: 0.75, F: 0.75 });
    const sparse: FrameScores[] = [];
    sparse[0] = { J: 0, F: 0 };
    sparse[2] = { J: 0.5, F: 0.25 };
    sparse[4] = { J: 0, F: 0 };
    assert.deepEqual(meanSequenceScores(sparse), { J: 0.5, F: 0.25 });
    assert.throws(() => meanSequenceScores([{ J: 1, F: 1 }, undefined, { J: 1, F: 1 }]), /no scored frames/);
  });
});
