// Shared by the correction-round tests: raw HTTP calls with a key, and the uninterrupted engine
// session the platform's results must equal bit for bit.
import { MaskletClient } from '@masklet/client';
import type { Box, SamModel, Point } from '@masklet/engine';
import { jobSessionOptions } from '@masklet/masklets';
import type { BinaryMask } from '@masklet/masks';
import { VideoSession } from '@masklet/engine';
import { rleToString } from '@masklet/masks';
import { openVideoFile, type SyntheticClipResult } from '@masklet/video';
import type { Stack } from '../e2e/stack';

export interface Api {
  tenantId: string;
  client: MaskletClient;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function apiFor(stack: Stack, label: string): Promise<Api> {
  const tenant = await stack.admin.createTenant(`${label}-${Math.random().toString(36).slice(2, 8)}`);
  const key = await stack.admin.createKey(tenant.id, ['submit', 'read', 'correct'], label);
  return {
    tenantId: tenant.id,
    client: new MaskletClient(stack.baseUrl, key.key),
    async call(method, path, body) {
      const res = await fetch(new URL(path, stack.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${key.key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
  };
}

/** The first-visible-frame click of each object, as `clickJob` sends it. */
export function firstClicks(clip: SyntheticClipResult): { objectId: number; frame: number; points: Point[] }[] {
  return clip.meta.objects.map((o) => {
    const frame = o.clicks.findIndex((c) => c !== null);
    const [x, y] = o.clicks[frame]!;
    return { objectId: o.id, frame, points: [{ x, y, label: 1 as const }] };
  });
}

export type Step =
  | { kind: 'click'; frame: number; objectId: number; points: Point[]; append?: boolean }
  | { kind: 'box'; frame: number; objectId: number; box: Box; points?: Point[] }
  | { kind: 'mask'; frame: number; objectId: number; mask: BinaryMask }
  | { kind: 'remove'; objectId: number }
  | { kind: 'propagate'; startFrame: number; direction: 'forward' | 'backward'; maxFrames?: number };

/** frame -> objectId -> COCO RLE string, the newest result of each frame winning (like the round view). */
export type FrameMasks = Map<number, Map<number, string>>;

export async function uninterrupted(model: SamModel, clip: SyntheticClipResult, steps: Step[]): Promise<FrameMasks[]> {
  const source = await openVideoFile(clip.mp4Path!);
  const session = new VideoSession(model, source, jobSessionOptions({}));
  const out: FrameMasks[] = [];
  const state: FrameMasks = new Map();
  try {
    for (const s of steps) {
      if (s.kind === 'click') {
        await session.addPoints(s.frame, s.objectId, s.points, { clearOld: !s.append });
        continue;
      }
      if (s.kind === 'box') {
        await session.addBox(s.frame, s.objectId, s.box, s.points ?? []);
        continue;
      }
      if (s.kind === 'mask') {
        await session.addMask(s.frame, s.objectId, s.mask);
        continue;
      }
      if (s.kind === 'remove') {
        await session.removeObject(s.objectId);
        for (const m of state.values()) m.delete(s.objectId);
        continue;
      }
      for await (const r of session.propagate({
        startFrame: s.startFrame,
        direction: s.direction,
        ...(s.maxFrames !== undefined ? { maxFrames: s.maxFrames } : {}),
      })) {
        state.set(r.frame, new Map(r.objects.map((o) => [o.objectId, rleToString(o.rle.counts)])));
      }
      out.push(new Map([...state].map(([f, m]) => [f, new Map(m)])));
    }
  } finally {
    await session.close();
    await source.close();
  }
  return out;
}

export function toFrameMasks(data: {
  frames: { frame: number; objects: { objectId: number; rle: { counts: string } }[] }[];
}): FrameMasks {
  return new Map(data.frames.map((f) => [f.frame, new Map(f.objects.map((o) => [o.objectId, o.rle.counts]))]));
}

export function diffMasks(a: FrameMasks, b: FrameMasks): string[] {
  const problems: string[] = [];
  const frames = new Set([...a.keys(), ...b.keys()]);
  for (const f of [...frames].sort((x, y) => x - y)) {
    const ma = a.get(f);
    const mb = b.get(f);
    if (!ma || !mb) {
      problems.push(`frame ${f}: present in ${ma ? 'first' : 'second'} only`);
      continue;
    }
    for (const id of new Set([...ma.keys(), ...mb.keys()]))
      if (ma.get(id) !== mb.get(id)) problems.push(`frame ${f} object ${id} differs`);
  }
  return problems;
}

/** Polls the job until its round `round` has finished (any terminal status). */
export async function waitJob(api: Api, id: string, round: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { body } = await api.call('GET', `/v1/jobs/${id}`);
    if (body['currentRound'] === round && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(body['status'] as string))
      return body;
    if (Date.now() > deadline) throw new Error(`job ${id} round ${round} not finished: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function waitVideo(api: Api, id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.call('GET', `/v1/videos/${id}`);
    if (body['status'] === 'READY') return;
    if (body['status'] === 'FAILED') throw new Error(JSON.stringify(body));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('video not ready');
}
