/**
 * @masklet/masks: binary masks, COCO RLE, mask PNGs, DAVIS J/F metrics and the click-protocol
 * interior point.
 * Internal helpers (PNG chunks, unfiltering) stay unexported so they can change freely.
 */
export { createMask, type BinaryMask } from './binary-mask';
export { assertRle, decodeRle, encodeRle, type Rle } from './rle';
export { RleBuilder } from './rle-builder';
export {
  compressRle,
  decompressRle,
  fromCocoRle,
  rleFromString,
  rleToString,
  toCocoRle,
  type CocoRle,
} from './rle-string';
export { rleArea, rleBoundingBox, rleIou, type BoundingBox } from './rle-geometry';
export { davisPalette } from './palette';
export { readMaskPng, writeIndexedPng, type LabelImage } from './png';
export { boundaryMap, boundaryPoints } from './boundary';
export { rowPointsFromMask, rowPointsToMask, type RowPoints } from './row-points';
export { fillPolygons, outerContours, traceContours, type Contour } from './contours';
export { countWithinDisk, dilateDisk, diskRowHalfWidths } from './disk';
export { farthestInteriorPoint, squaredDistanceToBackground } from './interior-point';
export {
  boundaryF,
  boundaryScores,
  boundaryTolerancePixels,
  DEFAULT_BOUND_THRESHOLD,
  jaccard,
  meanSequenceScores,
  sequenceScores,
  type BoundaryScores,
  type FrameScores,
  type SequenceScores,
} from './metrics';
