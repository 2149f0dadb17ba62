// Synthetic clips with exactly known masks: the ground truth for testing and benchmarking the tracker
// without hand-labelled data. The implementation is split under synthetic/; this is its public face.
export type {
  ShapeKind,
  Rgb,
  Rect,
  BackgroundKind,
  SyntheticScenario,
  OcclusionOptions,
  LateObjectOptions,
  SceneOptions,
  Scene,
  SceneObject,
  Pose,
} from './synthetic/scene';
export { buildScene, poseAt } from './synthetic/scene';
export { renderFrame, maskOf, masksOf, OCCLUDER_LABEL, type RenderedFrame, type Box } from './synthetic/render';
export { frameTruth, type ObjectTruth } from './synthetic/truth';
export {
  writeSyntheticClip,
  frameFileName,
  type SyntheticClipOptions,
  type SyntheticClipMeta,
  type SyntheticObjectMeta,
  type SyntheticClipResult,
} from './synthetic/write-clip';
export { syntheticFrameSource, type SyntheticFrameSource } from './synthetic/synthetic-source';
