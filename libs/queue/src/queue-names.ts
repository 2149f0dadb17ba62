/** Every kind of BullMQ queue of the platform. */
export const QUEUES = {
  /** Probe and frame-index a newly stored video. */
  ingest: 'ingest',
  /** Run the engine over a job (round 1) or a correction round: one queue per model (segmentQueueName). */
  segment: 'segment',
  /** DAVIS PNG zip, overlay MP4, COCO JSON. */
  export: 'export',
  /** Signed webhook deliveries, retried with backoff. */
  webhook: 'webhook',
  /** Interactive previews (one frame, request/reply): one queue per model (previewQueueName). */
  preview: 'preview',
} as const;

export type QueueKind = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_KINDS: readonly QueueKind[] = Object.values(QUEUES);
/** A BullMQ queue name: a kind, or `segment.<model>` / `preview.<model>` (per-model kinds). */
export type QueueName = string;

/** Model names as queue-name parts: no `:` (BullMQ's key separator), nothing a Prometheus label or a log mangles. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Kinds with one queue per model: a worker consumes them only for the models it has loaded. */
const PER_MODEL: readonly QueueKind[] = [QUEUES.segment, QUEUES.preview];

function perModelQueueName(kind: QueueKind, model: string): QueueName {
  if (!MODEL_NAME_PATTERN.test(model)) throw new Error(`model name ${JSON.stringify(model)} cannot name a queue`);
  return `${kind}.${model}`;
}

/**
 * The segment queue of one model. A worker consumes only the queues of the models it has loaded, so a
 * job for model X never reaches a worker without X; within one queue the fair priority orders tenants.
 */
export function segmentQueueName(model: string): QueueName {
  return perModelQueueName(QUEUES.segment, model);
}

/** The preview queue of one model: the API asks there and waits for the answer of a worker holding that model. */
export function previewQueueName(model: string): QueueName {
  return perModelQueueName(QUEUES.preview, model);
}

/** The queues a deployment with these installed models has: ingest, one segment and one preview queue per model, export, webhook. */
export function deploymentQueueNames(models: readonly string[]): QueueName[] {
  return [
    QUEUES.ingest,
    ...models.map(segmentQueueName),
    ...models.map(previewQueueName),
    QUEUES.export,
    QUEUES.webhook,
  ];
}

/** The queues one worker consumes: its kinds, the per-model kinds expanded to the models it serves. */
export function workerQueueNames(kinds: readonly QueueKind[], models: readonly string[]): QueueName[] {
  return kinds.flatMap((k) => (PER_MODEL.includes(k) ? models.map((m) => perModelQueueName(k, m)) : [k]));
}

/** Whether a worker of these kinds needs a loaded model (it segments or previews). */
export function kindsNeedModel(kinds: readonly QueueKind[]): boolean {
  return kinds.some((k) => PER_MODEL.includes(k));
}

/** The kind of a queue name (`segment.<model>` -> segment, `preview.<model>` -> preview), or null for a name no registry entry makes. */
export function queueKind(name: QueueName): QueueKind | null {
  if ((QUEUE_KINDS as readonly string[]).includes(name) && !(PER_MODEL as readonly string[]).includes(name))
    return name as QueueKind;
  return PER_MODEL.find((k) => name.startsWith(`${k}.`) && MODEL_NAME_PATTERN.test(name.slice(k.length + 1))) ?? null;
}

/** WORKER_QUEUES (comma-separated kinds) parsed; an unknown or empty entry fails naming the known kinds. */
export function parseQueueKinds(csv: string): QueueKind[] {
  const names = csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(QUEUE_KINDS as readonly string[]).includes(n));
  if (bad.length || names.length === 0) {
    throw new Error(
      `WORKER_QUEUES=${JSON.stringify(csv)}: ${bad.length ? `unknown ${bad.join(', ')}` : 'no queue'}; kinds are ${QUEUE_KINDS.join(', ')}`,
    );
  }
  return [...new Set(names)] as QueueKind[];
}
