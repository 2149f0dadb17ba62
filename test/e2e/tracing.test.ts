// Traces across the platform: an OTLP/HTTP receiver in the test collects what the exporter sends, and
// one trace runs from the API request that submits a job through the BullMQ entry (its traceparent) to
// the worker's job span, its engine chunk spans and its S3 writes. The fleet API shows no GPUs on a
// host without nvidia-smi, and frames/s the worker sampled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { FleetSnapshot } from '@masklet/contract';
import { segmentQueueName, QUEUES } from '@masklet/queue';
import { startTelemetry, type Telemetry } from '@masklet/telemetry';
import { skip, testClip, waitFor } from '../worker/support';
import { clickJob, startStack, type Stack } from './stack';

const FRAMES = 24;

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

interface OtlpJson {
  resourceSpans?: {
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: { key: string; value: Record<string, unknown> }[];
      }[];
    }[];
  }[];
}

/** An OTLP/HTTP trace receiver for the JSON encoding (what @opentelemetry/exporter-trace-otlp-http sends). */
function startReceiver(spans: ReceivedSpan[], contentTypes: Set<string>): Promise<Server> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces') return void res.writeHead(404).end();
      contentTypes.add(String(req.headers['content-type']));
      const raw = Buffer.concat(parts);
      const body = JSON.parse(
        (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'),
      ) as OtlpJson;
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              scope: ss.scope?.name ?? '',
              attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]])),
            });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const spans: ReceivedSpan[] = [];
const contentTypes = new Set<string>();
let receiver: Server;
let telemetry: Telemetry;
let stack: Stack;

before(async () => {
  if (skip) return;
  receiver = await startReceiver(spans, contentTypes);
  telemetry = startTelemetry('masklet-e2e', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`);
  assert.equal(telemetry.enabled, true);
  stack = await startStack({ CHUNK_FRAMES: '8', WORKER_NVIDIA_SMI: '/nonexistent/nvidia-smi' });
});
after(async () => {
  await stack?.close();
  await telemetry?.shutdown();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

/** Flushes the exporter until `fn` finds what it needs among the spans received. */
async function received<T>(what: string, fn: () => T | null | undefined | false): Promise<T> {
  return waitFor(
    what,
    async () => {
      await telemetry.flush();
      return fn();
    },
    30_000,
    200,
  );
}

test(
  'one trace covers the job request, the worker job span, its engine chunks and its S3 writes',
  { skip },
  async () => {
    const clip = await testClip(FRAMES, 2, 'tracing');
    const { client } = await stack.client('tracing');
    const video = await client.uploadVideo(clip.mp4Path!);
    const job = await client.createJob(clickJob(video.id, clip));
    assert.equal((await client.waitForJob(job.id)).status, 'SUCCEEDED');

    const request = await received('the POST /v1/jobs span', () =>
      spans.find(
        (s) => s.scope === 'masklet-api' && s.attributes['url.path'] === '/v1/jobs' && s.name.startsWith('POST'),
      ),
    );
    assert.equal(request.parentSpanId, '', 'the request starts the trace');
    assert.equal(request.attributes['http.response.status_code'], 201);
    const queue = segmentQueueName(job.model);
    const jobSpan = await received('the worker job span', () =>
      spans.find((s) => s.traceId === request.traceId && s.name === `${queue} job`),
    );
    assert.equal(jobSpan.scope, 'masklet-worker');
    assert.equal(jobSpan.parentSpanId, request.spanId, 'the job continues the request (traceparent in the job data)');
    assert.equal(jobSpan.attributes.outcome, 'succeeded');

    const chunks = await received('the engine chunk spans', () => {
      const c = spans.filter((s) => s.traceId === request.traceId && s.name === 'engine chunk');
      return c.length === FRAMES / 8 && c;
    });
    for (const c of chunks) {
      assert.equal(c.parentSpanId, jobSpan.spanId);
      assert.equal(c.attributes['masklet.chunk.frames'], 8);
    }
    assert.deepEqual(
      chunks.map((c) => c.attributes['masklet.chunk.first_frame']).sort((a, b) => Number(a) - Number(b)),
      [0, 8, 16],
    );
    const decode = spans.find((s) => s.traceId === request.traceId && s.name === 'decode');
    assert.equal(decode?.parentSpanId, jobSpan.spanId, 'fetching and opening the video');
    const writes = spans.filter((s) => s.traceId === request.traceId && s.name.startsWith('s3 put'));
    const keys = writes.map((w) => String(w.attributes['aws.s3.key']));
    assert.ok(
      keys.filter((k) => k.includes(job.id)).length >= FRAMES / 8,
      `chunk and checkpoint objects written under the job: ${keys.join(', ')}`,
    );
    assert.ok(contentTypes.has('application/json'), [...contentTypes].join());

    // The upload's trace carries the ingest job and its decode step.
    const upload = spans.find(
      (s) => s.scope === 'masklet-api' && s.attributes['url.path'] === '/v1/videos' && s.name.startsWith('POST'),
    );
    assert.ok(upload, 'the upload request span');
    const ingest = spans.find((s) => s.traceId === upload.traceId && s.name === `${QUEUES.ingest} job`);
    assert.equal(ingest?.parentSpanId, upload.spanId);
    assert.ok(
      spans.some((s) => s.traceId === upload.traceId && s.name === 'decode' && s.parentSpanId === ingest.spanId),
    );
  },
);

test('the fleet API reports no GPUs for a CPU worker, and the frames the worker sampled', { skip }, async () => {
  const ops = await stack.admin.createTenant(`ops-${Math.random().toString(36).slice(2, 8)}`);
  const operator = await stack.admin.createKey(ops.id, ['admin'], 'operator', { operator: true });
  const fleet = await waitFor('the frames in the throughput series', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/admin/fleet`, {
      headers: { authorization: `Bearer ${operator.key}` },
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as FleetSnapshot;
    const frames = body.throughput.reduce((n, p) => n + p.framesPerSec * 60, 0);
    return Math.round(frames) >= FRAMES && body;
  });
  assert.equal(fleet.workers.length, 1);
  assert.deepEqual(fleet.workers[0]!.gpus, [], 'no nvidia-smi: no GPUs, not zeroes');
  assert.equal(Math.round(fleet.throughput.reduce((n, p) => n + p.framesPerSec * 60, 0)), FRAMES);
  assert.ok(fleet.framesPerSec >= 0);
  assert.ok(fleet.workers[0]!.inferenceMsPerRole.imageEncoder!.meanMs > 0, 'ms per role from the role histogram data');
});
