import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../common/api-error';
import { FrameRenderSlots } from './frame-render-slots';

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

test('runs at most cap tasks at once, hands slots over in arrival order, refuses past maxWaiting with 503 FRAME_RENDER_BUSY', async () => {
  const slots = new FrameRenderSlots(2, 2);
  const gates = [gate(), gate(), gate(), gate()];
  const started: number[] = [];
  const runs = gates.map((g, i) =>
    slots.run(async () => {
      started.push(i);
      await g.wait;
      return i;
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.equal(slots.inFlight, 2);
  await assert.rejects(
    slots.run(() => Promise.resolve(-1)),
    (err: unknown) => err instanceof ApiError && err.status === 503 && err.code === 'FRAME_RENDER_BUSY',
  );
  gates[1]!.open();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2], 'the first waiter takes the freed slot');
  gates[0]!.open();
  gates[2]!.open();
  gates[3]!.open();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
  assert.equal(slots.inFlight, 0);
});

test('a failing task frees its slot', async () => {
  const slots = new FrameRenderSlots(1, 0);
  await assert.rejects(
    slots.run(() => Promise.reject(new Error('ffmpeg died'))),
    /ffmpeg died/,
  );
  assert.equal(await slots.run(() => Promise.resolve(7)), 7);
});
