/**
 * Suggested frames to correct: per object, the tracked frames most likely to be wrong, ranked, from
 * what the engine already records per frame (presence, area and box, object score, predicted IoU)
 * and from the corrections annotators made. Pure: the caller resolves the job's state as of a round
 * (newest round per frame) and hands it in.
 *
 * Each signal gives a contribution in [0, its weight]; a frame's score is the sum. The weights say how
 * strongly each signal, on its own, points at an error an annotator would fix:
 * - presenceFlip (1.0 a blip, 0.5 a lasting change): objects rarely vanish for a frame or two and come
 *   back; a presence blip of at most BLIP_FRAMES is almost always the object score crossing zero by
 *   noise (a missed or a spurious mask). The first frame of a lasting disappearance or re-appearance is
 *   worth a look at half weight: occlusions are real, but their first frame is where the tracker
 *   hesitates and where a re-detection may lock onto a similar object.
 * - lowIou (up to 1.0): the decoder's own estimate of its mask's IoU with the object. SAM 2 is well
 *   calibrated on confident masks (above IOU_OK); below, it is telling us the mask is partial,
 *   ambiguous (part vs whole) or on the wrong object. Linear from IOU_OK down to 0.
 * - areaJump (up to 0.8): at video frame rates a mask's area changes by a few percent per frame. A
 *   sudden factor against the median of its neighbours (a spike, not a steady trend: the median of
 *   +-NEIGHBOURS frames ignores the trend) means a leak into the background or a similar object, or a
 *   lost part. Counts from a factor AREA_FROM, full at AREA_FULL. Slightly below the first two
 *   signals: large deformations and fast zooms are real.
 * - centroidJump (up to 0.8): objects move continuously; the box centre moving by a large fraction of
 *   the object's size against its neighbours means the mask switched to another instance or grew a
 *   distant blob. Counts from MOVE_FROM object sizes (sqrt of area), full at MOVE_FULL.
 * - promptDisagreement (up to 0.6, fading with distance): where an annotator corrected a tracked frame,
 *   the mask memory had produced there disagreed with the prompt (1 - box IoU of the mask before and
 *   after the correction). Tracking drifts gradually, so the frames just before the correction in the
 *   direction memory came from (those its round did not recompute, within PROMPT_REACH frames) likely
 *   carry the same error. Lower weight: it is inferred from a neighbour, not measured on the frame.
 * - promptDrift (up to 1.2, on a frame prompted by clicks or a box): memory disagreeing with the prompt. When
 *   the masks tracked over the DRIFT_FRAMES frames after a prompt (in the direction of travel) differ
 *   in area from the prompt's own mask by a steady factor (their median against it, so a one-frame
 *   blip does not count), tracking is filling in or shedding what the prompt's mask got wrong: the
 *   click selected a part of the object, or too much. Counts from AREA_FROM, full at AREA_FULL. The
 *   prompted frame is a conditioning frame every later frame attends to, so a fix there reaches every
 *   frame tracked from it: the highest weight. A click's or a box's mask is still the model's answer
 *   to it, so a prompted frame stays open to this signal after a corrective click too; a mask prompt
 *   is the annotator's own mask and never is. Otherwise frames annotators corrected are not suggested
 *   again (nor their CORRECTED_MARGIN neighbours): a frame next to one is reached by it already.
 */
import type { FrameTrackStat } from './track-stats';
import type { FrameSignals } from './track-signals';

export const SUGGESTION_WEIGHTS = {
  presenceFlip: 1.0,
  lowIou: 1.0,
  areaJump: 0.8,
  centroidJump: 0.8,
  promptDisagreement: 0.6,
  promptDrift: 1.2,
} as const;

export type SuggestionSignal = keyof typeof SUGGESTION_WEIGHTS;

/** Presence runs this short, with the other state on both sides, are blips. */
export const BLIP_FRAMES = 2;
export const IOU_OK = 0.9;
export const NEIGHBOURS = 2;
export const AREA_FROM = 1.25;
export const AREA_FULL = 2;
export const MOVE_FROM = 0.15;
export const MOVE_FULL = 0.5;
export const PROMPT_REACH = 8;
export const DRIFT_FRAMES = 5;
export const CORRECTED_MARGIN = 1;

/** One frame of an object as of the requested round. */
export interface TimelineFrame {
  frame: number;
  /** The round whose chunk holds this frame (the newest one that has it). */
  round: number;
  stat: FrameTrackStat;
  signals: FrameSignals;
}

/** A prompt on a frame the object was already tracked on: its mask there before and after. */
export interface CorrectionAt {
  frame: number;
  round: number;
  before: FrameTrackStat;
  after: FrameTrackStat;
}

export interface ObjectTimeline {
  objectId: number;
  /** Ascending by frame; gaps allowed (frames not computed yet). */
  frames: TimelineFrame[];
  /**
   * Frames with a prompt of this object in any included round: never suggested, except those in
   * `clickPrompts` through promptDrift.
   */
  promptedFrames: ReadonlySet<number>;
  /** Prompted frames whose prompts are all clicks or boxes (no mask prompt): their mask is the model's. */
  clickPrompts?: ReadonlySet<number>;
  corrections: CorrectionAt[];
}

export interface SuggestionReason {
  signal: SuggestionSignal;
  /**
   * The raw measurement: presenceFlip the object-score logit (+-1 when not recorded), lowIou the
   * predicted IoU, areaJump area / neighbours' median area, centroidJump the centre's displacement in
   * object sizes, promptDisagreement 1 - box IoU at the correction, promptDrift the median area of
   * the frames tracked after the prompt / the prompt's area.
   */
  value: number;
  /** Its share of the score. */
  contribution: number;
}

export interface Suggestion {
  frame: number;
  objectId: number;
  score: number;
  /** Largest contribution first. */
  reasons: SuggestionReason[];
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const ramp = (v: number, from: number, full: number): number => Math.min(1, Math.max(0, (v - from) / (full - from)));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const centre = (b: readonly number[]): [number, number] => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2];

export function boxIou(a: FrameTrackStat, b: FrameTrackStat): number {
  if (!a.present && !b.present) return 1;
  if (!a.present || !b.present || !a.box || !b.box) return 0;
  const w = Math.max(0, Math.min(a.box[2], b.box[2]) - Math.max(a.box[0], b.box[0]));
  const h = Math.max(0, Math.min(a.box[3], b.box[3]) - Math.max(a.box[1], b.box[1]));
  const inter = w * h;
  const area = (x: readonly number[]) => (x[2]! - x[0]!) * (x[3]! - x[1]!);
  const union = area(a.box) + area(b.box) - inter;
  return union > 0 ? inter / union : 1;
}

type Reasons = Map<number, SuggestionReason[]>;

function add(reasons: Reasons, frame: number, signal: SuggestionSignal, value: number, strength: number): void {
  if (!(strength > 0)) return;
  const list = reasons.get(frame) ?? [];
  const existing = list.find((r) => r.signal === signal);
  const contribution = SUGGESTION_WEIGHTS[signal] * Math.min(1, strength);
  if (existing) {
    // Two corrections reaching one frame: the stronger one speaks.
    if (contribution > existing.contribution) Object.assign(existing, { value, contribution });
  } else list.push({ signal, value, contribution });
  reasons.set(frame, list);
}

/** Presence runs over consecutive frames (a gap in the timeline starts a new run). */
function presenceFlips(frames: TimelineFrame[], reasons: Reasons): void {
  const runs: { start: number; end: number; present: boolean }[] = [];
  frames.forEach((f, i) => {
    const last = runs[runs.length - 1];
    const contiguous = i > 0 && frames[i - 1]!.frame === f.frame - 1;
    if (last && contiguous && last.present === f.stat.present) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, present: f.stat.present });
  });
  const adjacent = (a: { end: number }, b: { start: number }) =>
    frames[b.start]!.frame === frames[a.end - 1]!.frame + 1;
  runs.forEach((run, k) => {
    const prev = runs[k - 1];
    const next = runs[k + 1];
    const afterPrev = prev !== undefined && adjacent(prev, run);
    const beforeNext = next !== undefined && adjacent(run, next);
    const logit = (f: TimelineFrame) => f.signals.score ?? (f.stat.present ? 1 : -1);
    if (afterPrev && beforeNext && run.end - run.start <= BLIP_FRAMES) {
      for (let i = run.start; i < run.end; i++) add(reasons, frames[i]!.frame, 'presenceFlip', logit(frames[i]!), 1);
      return;
    }
    const prevIsBlip =
      prev !== undefined && prev.end - prev.start <= BLIP_FRAMES && k >= 2 && adjacent(runs[k - 2]!, prev);
    if (afterPrev && !prevIsBlip)
      add(reasons, frames[run.start]!.frame, 'presenceFlip', logit(frames[run.start]!), 0.5);
  });
}

function lowIou(frames: TimelineFrame[], reasons: Reasons): void {
  for (const f of frames) {
    const iou = f.signals.iou;
    if (!f.stat.present || iou === null) continue;
    add(reasons, f.frame, 'lowIou', iou, (IOU_OK - iou) / IOU_OK);
  }
}

/** Area and centre against the median of the present frames within +-NEIGHBOURS. */
function jumps(frames: TimelineFrame[], reasons: Reasons): void {
  const byFrame = new Map(frames.map((f) => [f.frame, f]));
  for (const f of frames) {
    if (!f.stat.present || !f.stat.box || f.stat.area <= 0) continue;
    const around: FrameTrackStat[] = [];
    for (let d = -NEIGHBOURS; d <= NEIGHBOURS; d++) {
      const n = d === 0 ? undefined : byFrame.get(f.frame + d);
      if (n && n.stat.present && n.stat.box && n.stat.area > 0) around.push(n.stat);
    }
    if (around.length === 0) continue;
    const refArea = median(around.map((s) => s.area));
    const ratio = f.stat.area / refArea;
    const factor = Math.max(ratio, 1 / ratio);
    add(reasons, f.frame, 'areaJump', round4(ratio), ramp(Math.log(factor), Math.log(AREA_FROM), Math.log(AREA_FULL)));
    const [cx, cy] = centre(f.stat.box);
    const refX = median(around.map((s) => centre(s.box!)[0]));
    const refY = median(around.map((s) => centre(s.box!)[1]));
    const moved = Math.hypot(cx - refX, cy - refY) / Math.sqrt(refArea);
    add(reasons, f.frame, 'centroidJump', round4(moved), ramp(moved, MOVE_FROM, MOVE_FULL));
  }
}

function promptDisagreement(timeline: ObjectTimeline, reasons: Reasons): void {
  const byFrame = new Map(timeline.frames.map((f) => [f.frame, f]));
  for (const c of timeline.corrections) {
    const disagreement = 1 - boxIou(c.before, c.after);
    if (disagreement <= 0) continue;
    for (let d = 1; d <= PROMPT_REACH; d++) {
      for (const frame of [c.frame - d, c.frame + d]) {
        const f = byFrame.get(frame);
        // Only frames that still hold a mask from before the correction's round.
        if (!f || f.round >= c.round) continue;
        add(reasons, frame, 'promptDisagreement', round4(disagreement), disagreement * (1 - (d - 1) / PROMPT_REACH));
      }
    }
  }
}

/** A click- or box-prompted frame whose mask tracking keeps growing or shrinking away from (see promptDrift above). */
function promptDrift(timeline: ObjectTimeline, reasons: Reasons): void {
  const byFrame = new Map(timeline.frames.map((f) => [f.frame, f]));
  for (const frame of timeline.clickPrompts ?? []) {
    const at = byFrame.get(frame);
    if (!at || !at.stat.present || at.stat.area <= 0) continue;
    // The direction tracking left the prompt in: the side with tracked frames (forward when both).
    for (const step of [1, -1]) {
      const areas: number[] = [];
      for (let d = 1; d <= DRIFT_FRAMES; d++) {
        const f = byFrame.get(frame + step * d);
        if (!f || timeline.promptedFrames.has(f.frame)) break;
        areas.push(f.stat.present ? f.stat.area : 0);
      }
      if (areas.length < DRIFT_FRAMES) continue;
      const ratio = median(areas) / at.stat.area;
      const factor = ratio > 0 ? Math.max(ratio, 1 / ratio) : Number.POSITIVE_INFINITY;
      add(
        reasons,
        frame,
        'promptDrift',
        round4(ratio),
        ramp(Math.log(factor), Math.log(AREA_FROM), Math.log(AREA_FULL)),
      );
      break;
    }
  }
}

/** Frames never suggested: prompted ones (click prompts only through promptDrift) and the neighbours of corrections. */
function excluded(timeline: ObjectTimeline, frame: number, list: SuggestionReason[]): boolean {
  if (timeline.clickPrompts?.has(frame) && list.some((r) => r.signal === 'promptDrift')) return false;
  if (timeline.promptedFrames.has(frame)) return true;
  return timeline.corrections.some((c) => Math.abs(c.frame - frame) <= CORRECTED_MARGIN);
}

export function suggestForObject(timeline: ObjectTimeline): Suggestion[] {
  const reasons: Reasons = new Map();
  presenceFlips(timeline.frames, reasons);
  lowIou(timeline.frames, reasons);
  jumps(timeline.frames, reasons);
  promptDisagreement(timeline, reasons);
  promptDrift(timeline, reasons);
  const out: Suggestion[] = [];
  for (const [frame, list] of reasons) {
    if (excluded(timeline, frame, list)) continue;
    const sorted = list
      .map((r) => ({ ...r, contribution: round4(r.contribution) }))
      .sort((a, b) => b.contribution - a.contribution || a.signal.localeCompare(b.signal));
    out.push({
      frame,
      objectId: timeline.objectId,
      score: round4(sorted.reduce((s, r) => s + r.contribution, 0)),
      reasons: sorted,
    });
  }
  return out;
}

/** Every object's suggestions, best first; ties by frame then object id, so the order is stable. */
export function rankSuggestions(timelines: readonly ObjectTimeline[], limit: number): Suggestion[] {
  return timelines
    .flatMap(suggestForObject)
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.frame - b.frame || a.objectId - b.objectId)
    .slice(0, limit);
}
