/**
 * DAVIS video object segmentation metrics: region similarity J and contour accuracy F.
 *
 * Edge cases (empty masks, tolerance radius, which frames are averaged) follow the DAVIS
 * evaluation code rather than first principles, because results are compared against published
 * DAVIS numbers.
 */
import { assertSameSize, type BinaryMask } from './binary-mask';
import { boundaryPoints } from './boundary';
import { countWithinDisk } from './disk';

export const DEFAULT_BOUND_THRESHOLD = 0.008;

/** Region IoU; two empty masks agree perfectly (1), as in DAVIS. */
export function jaccard(pred: BinaryMask, gt: BinaryMask): number {
  assertSameSize(pred, gt);
  let intersection = 0;
  let union = 0;
  const p = pred.data;
  const g = gt.data;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] !== 0;
    const b = g[i] !== 0;
    if (a && b) intersection++;
    if (a || b) union++;
  }
  return union === 0 ? 1 : intersection / union;
}

/**
 * Boundary-matching tolerance in pixels. A threshold below 1 is a fraction of the image diagonal
 * (DAVIS default 0.008, i.e. 8 px at 854x480); from 1 up it is taken as pixels and must be an
 * integer, since skimage's disk() of a fractional radius is an off-centre kernel nobody intends.
 */
export function boundaryTolerancePixels(
  width: number,
  height: number,
  boundThreshold = DEFAULT_BOUND_THRESHOLD,
): number {
  if (!(boundThreshold >= 0)) throw new RangeError(`boundThreshold must be >= 0, got ${boundThreshold}`);
  if (boundThreshold >= 1) {
    if (!Number.isInteger(boundThreshold)) {
      throw new RangeError(`boundThreshold >= 1 is a pixel radius and must be an integer, got ${boundThreshold}`);
    }
    return boundThreshold;
  }
  // sqrt of the sum of squares, as numpy's norm of the shape, rather than Math.hypot.
  return Math.ceil(boundThreshold * Math.sqrt(height * height + width * width));
}

export interface BoundaryScores {
  precision: number;
  recall: number;
  f: number;
}

/** Precision, recall and F of `pred`'s boundary against `gt`'s within the tolerance disk. */
export function boundaryScores(
  pred: BinaryMask,
  gt: BinaryMask,
  boundThreshold = DEFAULT_BOUND_THRESHOLD,
): BoundaryScores {
  assertSameSize(pred, gt);
  const radius = boundaryTolerancePixels(pred.width, pred.height, boundThreshold);
  const predBoundary = boundaryPoints(pred);
  const gtBoundary = boundaryPoints(gt);
  const nPred = predBoundary.xs.length;
  const nGt = gtBoundary.xs.length;

  let precision: number;
  let recall: number;
  // DAVIS's conventions: nothing predicted is perfectly precise but recalls nothing, predicting
  // a boundary where none exists recalls "everything" but is imprecise, and both empty is perfect.
  if (nPred === 0 && nGt === 0) {
    precision = 1;
    recall = 1;
  } else if (nPred === 0) {
    precision = 1;
    recall = 0;
  } else if (nGt === 0) {
    precision = 0;
    recall = 1;
  } else {
    precision = countWithinDisk(predBoundary, gtBoundary, radius) / nPred;
    recall = countWithinDisk(gtBoundary, predBoundary, radius) / nGt;
  }
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f };
}

/** The DAVIS boundary F-measure. */
export function boundaryF(pred: BinaryMask, gt: BinaryMask, boundThreshold = DEFAULT_BOUND_THRESHOLD): number {
  return boundaryScores(pred, gt, boundThreshold).f;
}

export interface FrameScores {
  J: number;
  F: number;
}

export interface SequenceScores {
  /** Mean J over the scored frames. */
  J: number;
  /** Mean F over the scored frames. */
  F: number;
  /** Every frame's scores, including the ones left out of the means. */
  perFrame: FrameScores[];
}

/**
 * Per-sequence mean J and F of masks, scored frame by frame; see `meanSequenceScores` for which
 * frames count.
 */
export function sequenceScores(
  frames: readonly { pred: BinaryMask; gt: BinaryMask }[],
  boundThreshold = DEFAULT_BOUND_THRESHOLD,
): SequenceScores {
  const perFrame = frames.map(({ pred, gt }) => ({ J: jaccard(pred, gt), F: boundaryF(pred, gt, boundThreshold) }));
  return { ...meanSequenceScores(perFrame), perFrame };
}

/**
 * Averages per-frame scores the DAVIS-2016 way: the first frame (its mask is given to the tracker
 * in semi-supervised VOS, so it would inflate the score) and the last frame are left out of the
 * means. With two frames or fewer nothing is left out, so short clips still get a score.
 * For callers that score frames as they stream (keeping no masks); frames missing from a sparse
 * array are skipped after the first/last exclusion, which is by position.
 */
export function meanSequenceScores(perFrame: readonly (FrameScores | undefined)[]): FrameScores {
  const window = perFrame.length > 2 ? perFrame.slice(1, -1) : perFrame;
  // A for loop, not reduce/filter: those skip holes in sparse arrays inconsistently with length.
  let j = 0;
  let f = 0;
  let n = 0;
  for (let i = 0; i < window.length; i++) {
    const s = window[i];
    if (!s) continue;
    j += s.J;
    f += s.F;
    n++;
  }
  if (n === 0) throw new RangeError('meanSequenceScores: no scored frames');
  return { J: j / n, F: f / n };
}
