// The synthetic scene model: which objects exist, how they look and where each one is at any frame.
// Poses are closed-form functions of the frame index (no simulation state), so frame 2999 can be
// rendered without rendering frames 0..2998; that is what lets clips stream and sources seek freely.
import { makeRng, seedToInt } from './random';

export type ShapeKind = 'disc' | 'roundedRect' | 'ellipse';
export type Rgb = [number, number, number];

export interface OcclusionOptions {
  /** 0-based object index that disappears. Default 0. */
  object?: number;
  /** First frame at which it is guaranteed fully hidden. Default 35% of the clip. */
  start?: number;
  /** Last frame at which it is guaranteed fully hidden. Default 55% of the clip. */
  end?: number;
  /** 'occluder': it slides behind an opaque bar; 'exit': it leaves the frame. Default 'occluder'. */
  mode?: 'occluder' | 'exit';
}

export interface LateObjectOptions {
  /** 0-based object index that appears late. Default: the last object. */
  object?: number;
  /** Frame at which it appears. Default 30% of the clip (at least 1). */
  frame?: number;
}

export interface SyntheticScenario {
  /** Number of tracked objects (1..8). Default 2. */
  objects?: number;
  /** Shapes per object, cycled. Default disc, roundedRect, ellipse. */
  shapes?: ShapeKind[];
  occlusion?: boolean | OcclusionOptions;
  lateObject?: boolean | LateObjectOptions;
  /** Relative size oscillation (0 = rigid). Default 0.2. */
  scaleChange?: number;
  /** Object indices back to front. Default: index order, with the occluded and late objects moved to the front so their returns are visible. */
  zOrder?: number[];
  /**
   * Each object moves in its own vertical strip of the frame (strip i of `objects`), so objects never overlap.
   * Default false: free motion over the whole frame, crossings included.
   */
  lanes?: boolean;
  /** 'blobs' (default): coloured blobs, look-alikes of object colours included; 'neutral': the same texture in grey tones only. */
  background?: BackgroundKind;
}

export type BackgroundKind = 'blobs' | 'neutral';

export interface SceneOptions {
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  seed?: number | string;
  scenario?: SyntheticScenario;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SceneObject {
  /** 1-based; also the object's value in the label map and its mask folder name. */
  id: number;
  shape: ShapeKind;
  colour: Rgb;
  /** Unscaled half extents and corner radius, in pixels. */
  halfW: number;
  halfH: number;
  corner: number;
  /** Radius of a circle containing the shape at its largest scale, any rotation. */
  maxRadius: number;
  textureSeed: number;
  /** First frame the object is drawn (late objects). */
  appearsAt: number;
  motion: FreeMotion | ScriptedMotion;
  scaleAmp: number;
  scalePeriodSec: number;
  scalePhase: number;
  angle0: number;
  spinPerSec: number;
}

interface FreeMotion {
  kind: 'free';
  /** Centre of the horizontal oscillation (the frame's centre, or the object's lane). */
  centreX: number;
  ax: number;
  ay: number;
  periodXSec: number;
  periodYSec: number;
  phaseX: number;
  phaseY: number;
}

/** Occlusion path: x eases from `from` to `hide`, holds over [start, end], then eases to `back`. */
interface ScriptedMotion {
  kind: 'scripted';
  from: number;
  hide: number;
  back: number;
  start: number;
  end: number;
  ay: number;
  periodYSec: number;
  phaseY: number;
}

export interface Scene {
  width: number;
  height: number;
  frames: number;
  fps: number;
  seed: number;
  background: BackgroundKind;
  objects: SceneObject[];
  /** Object indices, back to front. */
  drawOrder: number[];
  /** Opaque bar drawn above all objects (occlusion 'occluder' mode), else null. */
  occluder: Rect | null;
  occlusion: Required<OcclusionOptions> | null;
  lateObject: Required<LateObjectOptions> | null;
}

export interface Pose {
  cx: number;
  cy: number;
  scale: number;
  angle: number;
}

const DEFAULT_SHAPES: ShapeKind[] = ['disc', 'roundedRect', 'ellipse'];
const EDGE_MARGIN = 4;

export function buildScene(opts: SceneOptions = {}): Scene {
  const width = opts.width ?? 854;
  const height = opts.height ?? 480;
  const frames = opts.frames ?? 60;
  const fps = opts.fps ?? 24;
  const scenario = opts.scenario ?? {};
  const count = scenario.objects ?? 2;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64) {
    throw new RangeError(`size ${width}x${height} must be integers >= 64`);
  }
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`frames ${frames} must be a positive integer`);
  if (!(fps > 0)) throw new RangeError(`fps ${fps} must be positive`);
  if (!Number.isInteger(count) || count < 1 || count > 8) throw new RangeError(`objects ${count} must be in 1..8`);
  const seed = seedToInt(opts.seed ?? 1);
  const rng = makeRng(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const shapes = scenario.shapes?.length ? scenario.shapes : DEFAULT_SHAPES;
  const scaleAmp = Math.max(0, Math.min(0.5, scenario.scaleChange ?? 0.2));
  const hue0 = rng();

  const objects: SceneObject[] = [];
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length]!;
    const base = Math.min(width, height) * between(0.09, 0.13);
    const [halfW, halfH] =
      shape === 'disc' ? [base, base] : shape === 'ellipse' ? [base * 1.3, base * 0.75] : [base * 1.15, base * 0.8];
    const corner = shape === 'roundedRect' ? 0.3 * Math.min(halfW, halfH) : 0;
    const maxRadius = (shape === 'roundedRect' ? Math.hypot(halfW, halfH) : Math.max(halfW, halfH)) * (1 + scaleAmp);
    const laneW = scenario.lanes ? width / count : width;
    const centreX = scenario.lanes ? laneW * (i + 0.5) : width / 2;
    const ax = Math.max(0, laneW / 2 - maxRadius - EDGE_MARGIN);
    const ay = Math.max(0, height / 2 - maxRadius - EDGE_MARGIN);
    objects.push({
      id: i + 1,
      shape,
      // Hues spread evenly so objects never share a colour; saturation/value vary a little.
      colour: hsvToRgb((hue0 + i / count) % 1, between(0.6, 0.9), between(0.75, 0.95)),
      halfW,
      halfH,
      corner,
      maxRadius,
      textureSeed: Math.floor(rng() * 2 ** 31),
      appearsAt: 0,
      motion: {
        kind: 'free',
        centreX,
        ax: ax * between(0.55, 1),
        ay: ay * between(0.55, 1),
        periodXSec: between(3, 7),
        periodYSec: between(2.5, 6),
        phaseX: between(0, 2 * Math.PI),
        phaseY: between(0, 2 * Math.PI),
      },
      scaleAmp,
      scalePeriodSec: between(2, 5),
      scalePhase: between(0, 2 * Math.PI),
      angle0: between(0, 2 * Math.PI),
      spinPerSec: between(-0.6, 0.6),
    });
  }

  let occluder: Rect | null = null;
  let occlusion: Required<OcclusionOptions> | null = null;
  if (scenario.occlusion) {
    const o = scenario.occlusion === true ? {} : scenario.occlusion;
    const object = o.object ?? 0;
    const start = o.start ?? Math.round(frames * 0.35);
    const end = o.end ?? Math.round(frames * 0.55);
    const mode = o.mode ?? 'occluder';
    const target = objects[object];
    if (!target) throw new RangeError(`occlusion.object ${object} does not exist`);
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 1 && start <= end && end <= frames - 3)) {
      throw new RangeError(
        `occlusion span [${start}, ${end}] must satisfy 1 <= start <= end <= frames-3 (${frames - 3})`,
      );
    }
    const r = target.maxRadius;
    const left = r + EDGE_MARGIN;
    const hide = mode === 'occluder' ? width / 2 : width + r + EDGE_MARGIN;
    target.motion = {
      kind: 'scripted',
      from: left,
      hide,
      back: mode === 'occluder' ? width - left : left,
      start,
      end,
      ay: Math.max(0, height / 2 - r - EDGE_MARGIN) * 0.4,
      periodYSec: between(2.5, 6),
      phaseY: between(0, 2 * Math.PI),
    };
    if (mode === 'occluder') {
      // Just wider than the object at its largest, so "fully hidden" holds while it is parked at the centre.
      const half = Math.ceil(r) + EDGE_MARGIN;
      occluder = { x: Math.floor(width / 2) - half, y: 0, w: 2 * half, h: height };
    }
    occlusion = { object, start, end, mode };
  }

  let lateObject: Required<LateObjectOptions> | null = null;
  if (scenario.lateObject) {
    const l = scenario.lateObject === true ? {} : scenario.lateObject;
    const object = l.object ?? count - 1;
    const frame = l.frame ?? Math.max(1, Math.round(frames * 0.3));
    const target = objects[object];
    if (!target) throw new RangeError(`lateObject.object ${object} does not exist`);
    if (!Number.isInteger(frame) || frame < 1 || frame >= frames)
      throw new RangeError(`lateObject.frame ${frame} must be in 1..${frames - 1}`);
    target.appearsAt = frame;
    lateObject = { object, frame };
  }

  return {
    width,
    height,
    frames,
    fps,
    seed,
    background: scenario.background ?? 'blobs',
    objects,
    drawOrder: resolveDrawOrder(count, scenario.zOrder, [occlusion?.object, lateObject?.object]),
    occluder,
    occlusion,
    lateObject,
  };
}

function resolveDrawOrder(count: number, zOrder: number[] | undefined, front: (number | undefined)[]): number[] {
  if (zOrder) {
    const sorted = [...zOrder].sort((a, b) => a - b);
    if (sorted.length !== count || sorted.some((v, i) => v !== i)) {
      throw new RangeError(`zOrder must be a permutation of 0..${count - 1}`);
    }
    return [...zOrder];
  }
  const order = Array.from({ length: count }, (_, i) => i);
  for (const f of front) {
    if (f === undefined) continue;
    order.splice(order.indexOf(f), 1);
    order.push(f);
  }
  return order;
}

/** Where the object is at frame f, or null before it appears. */
export function poseAt(scene: Scene, obj: SceneObject, f: number): Pose | null {
  if (f < obj.appearsAt) return null;
  const t = f / scene.fps;
  const m = obj.motion;
  let cx: number;
  let cy: number;
  if (m.kind === 'free') {
    cx = m.centreX + m.ax * Math.sin((2 * Math.PI * t) / m.periodXSec + m.phaseX);
    cy = scene.height / 2 + m.ay * Math.sin((2 * Math.PI * t) / m.periodYSec + m.phaseY);
  } else {
    if (f <= m.start) cx = m.from + (m.hide - m.from) * smoothstep(f / m.start);
    else if (f <= m.end) cx = m.hide;
    else cx = m.hide + (m.back - m.hide) * smoothstep((f - m.end) / Math.max(1, scene.frames - 1 - m.end));
    cy = scene.height / 2 + m.ay * Math.sin((2 * Math.PI * t) / m.periodYSec + m.phaseY);
  }
  return {
    cx,
    cy,
    scale: 1 + obj.scaleAmp * Math.sin((2 * Math.PI * t) / obj.scalePeriodSec + obj.scalePhase),
    angle: obj.angle0 + obj.spinPerSec * t,
  };
}

function smoothstep(u: number): number {
  const x = Math.min(1, Math.max(0, u));
  return x * x * (3 - 2 * x);
}

function hsvToRgb(h: number, s: number, v: number): Rgb {
  const k = (n: number) => (n + h * 6) % 6;
  const f = (n: number) => v - v * s * Math.max(0, Math.min(k(n), 4 - k(n), 1));
  return [Math.round(f(5) * 255), Math.round(f(3) * 255), Math.round(f(1) * 255)];
}
