// A FrameSource that renders synthetic frames on request instead of reading files, so engine
// benchmarks can run on thousands of frames with no disk, no codec and exact ground truth at hand.
import { assertFrameRequest, type FrameSource, type VideoInfo } from '../frame-source';
import { resizeRgbToSquare } from '../resize-square';
import { renderBackground } from './background';
import { renderFrame, type RenderedFrame } from './render';
import { buildScene, type Scene, type SceneOptions } from './scene';
import { frameTruth, type ObjectTruth } from './truth';

export interface SyntheticFrameSource extends FrameSource {
  readonly scene: Scene;
  /** The native-size frame and its label map. */
  render(index: number): RenderedFrame;
  /** Visibility, area and click point of every object at this frame. */
  truth(index: number): ObjectTruth[];
}

export function syntheticFrameSource(opts: SceneOptions = {}): SyntheticFrameSource {
  const scene = buildScene(opts);
  // The only per-source buffer: one frame's worth, shared by every render.
  const background = renderBackground(scene.width, scene.height, scene.seed, scene.background);
  const info: VideoInfo = { numFrames: scene.frames, width: scene.width, height: scene.height, fps: scene.fps };
  const ids = scene.objects.map((o) => o.id);
  const render = (index: number): RenderedFrame => {
    assertFrameRequest(info, index, 1);
    return renderFrame(scene, background, index);
  };
  return {
    info,
    scene,
    render,
    truth: (index) => {
      const { labels, boxes } = render(index);
      return frameTruth(labels, scene.width, scene.height, ids, boxes);
    },
    async readSquare(index: number, size: number): Promise<Uint8Array> {
      assertFrameRequest(info, index, size);
      const { rgb } = renderFrame(scene, background, index);
      return resizeRgbToSquare(rgb, scene.width, scene.height, size);
    },
    async close(): Promise<void> {
      // Nothing to release beyond the background, which the garbage collector takes with the source.
    },
  };
}
