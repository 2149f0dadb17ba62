import type { Video } from '@masklet/db';
import { defaultStartFrame, inFrameRange, jobFrameRange, type FrameRange } from '@masklet/masklets';
import { rleFromString, rleToString } from '@masklet/masks';
import type { Issue } from '../common/zod-validation.pipe';
import type { JobBody, PromptBody } from '@masklet/contract';

/** Checks a syntactically valid job against its video; issue paths carry `prefix` (e.g. "jobs[12]."). */
export function checkJobAgainstVideo(body: JobBody, video: Video, prefix = ''): Issue[] {
  const issues: Issue[] = [];
  const frames = video.frameCount ?? 0;
  const at = (p: string): string => `${prefix}${p}`;
  const start = body.options?.startFrame;
  if (start !== undefined && start >= frames) {
    issues.push({
      path: at('options.startFrame'),
      code: 'START_FRAME_OUT_OF_RANGE',
      message: `startFrame ${start} is outside the video (frames 0..${frames - 1})`,
    });
  }
  if (body.webhookUrl && hasCredentials(body.webhookUrl)) {
    // Credentials in a webhook URL would be stored and echoed in every job view; the worker refuses them anyway.
    issues.push({
      path: at('webhookUrl'),
      code: 'WEBHOOK_URL_CREDENTIALS',
      message:
        'webhookUrl must not carry a user name or password (user:pass@); use a secret in the path or a signature check instead',
    });
  }
  body.objects.forEach((o, oi) => {
    o.prompts.forEach((p, pi) =>
      issues.push(...checkPromptAgainstVideo(p, video, at(`objects[${oi}].prompts[${pi}]`))),
    );
  });
  if (issues.length === 0) {
    const direction = body.options?.direction ?? 'forward';
    const startFrame =
      start ??
      defaultStartFrame(
        direction,
        body.objects.flatMap((o) => o.prompts.map((p) => p.frame)),
      );
    const range = jobFrameRange({ direction, startFrame, maxFrames: body.options?.maxFrames }, frames);
    body.objects.forEach((o, oi) => {
      o.prompts.forEach((p, pi) =>
        issues.push(...checkFrameInJob(p.frame, range, at(`objects[${oi}].prompts[${pi}].frame`))),
      );
    });
  }
  return issues;
}

function hasCredentials(url: string): boolean {
  const u = new URL(url);
  return u.username !== '' || u.password !== '';
}

/** A prompt outside the frames the job covers would never be propagated nor reported. */
export function checkFrameInJob(frame: number, range: FrameRange, path: string): Issue[] {
  if (inFrameRange(range, frame)) return [];
  return [
    {
      path,
      code: 'FRAME_OUT_OF_RANGE',
      message: `frame ${frame} is outside the job's frames ${range.start}..${range.end}`,
    },
  ];
}

/**
 * One prompt against the video: frame in range, points / box inside the frame, a mask of the right size
 * that decodes. An empty mask is refused unless `allowEmptyMask`: it cannot start a track, but as a
 * correction it says "the object is not on this frame".
 */
export function checkPromptAgainstVideo(
  p: PromptBody,
  video: Pick<Video, 'frameCount' | 'width' | 'height'>,
  base: string,
  opts: { allowEmptyMask?: boolean } = {},
): Issue[] {
  const issues: Issue[] = [];
  const frames = video.frameCount ?? 0;
  const w = video.width ?? 0;
  const h = video.height ?? 0;
  if (p.frame >= frames) {
    issues.push({
      path: `${base}.frame`,
      code: 'FRAME_OUT_OF_RANGE',
      message: `frame ${p.frame} is outside the video (frames 0..${frames - 1})`,
    });
  }
  p.points?.forEach((pt, k) => {
    if (pt.x < 0 || pt.y < 0 || pt.x >= w || pt.y >= h) {
      issues.push({
        path: `${base}.points[${k}]`,
        code: 'POINT_OUTSIDE_FRAME',
        message: `point (${pt.x}, ${pt.y}) is outside the ${w}x${h} frame`,
      });
    }
  });
  if (p.box) {
    const b = p.box;
    if (b.x0 < 0 || b.y0 < 0 || b.x1 > w || b.y1 > h) {
      issues.push({
        path: `${base}.box`,
        code: 'BOX_OUTSIDE_FRAME',
        message: `box (${b.x0}, ${b.y0}, ${b.x1}, ${b.y1}) is outside the ${w}x${h} frame`,
      });
    }
  }
  if (p.mask) {
    const [mh, mw] = p.mask.size;
    if (mh !== h || mw !== w) {
      issues.push({
        path: `${base}.mask.size`,
        code: 'MASK_SIZE_MISMATCH',
        message: `mask size [${mh}, ${mw}] differs from the video's [height, width] [${h}, ${w}]`,
      });
    } else {
      const problem = rleProblem(p.mask.counts, h * w, opts.allowEmptyMask ?? false);
      if (problem) issues.push({ path: `${base}.mask.counts`, code: 'INVALID_MASK', message: problem });
    }
  }
  return issues;
}

function rleProblem(counts: string | number[], pixels: number, allowEmpty: boolean): string | null {
  let list: number[];
  try {
    list = typeof counts === 'string' ? rleFromString(counts) : counts;
  } catch (err) {
    return `mask counts are not a valid COCO RLE string: ${(err as Error).message}`;
  }
  const total = list.reduce((a, b) => a + b, 0);
  if (total !== pixels) return `mask counts cover ${total} pixels; the frame has ${pixels}`;
  if (!allowEmpty && list.slice(1).every((c, i) => i % 2 === 1 || c === 0)) return 'mask is empty';
  return null;
}

/** The stored form of a mask prompt: COCO compressed string counts. */
export function normalizeMaskCounts(counts: string | number[]): string {
  return typeof counts === 'string' ? counts : rleToString(counts);
}
