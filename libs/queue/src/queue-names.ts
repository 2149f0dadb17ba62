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
} as const;

export type QueueKind = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_KINDS: readonly QueueKind[] = Object.values(QUEUES);
/** A BullMQ queue name: a kind, or `segment.<model>` (segmentQueueName). */
export type QueueName = string;

/** Model names as queue-name parts: no `:` (BullMQ's key separator), nothing a Prometheus label or a log mangles. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The segment queue of one model. A worker consumes only the queues of the models it has loaded, so a
 * job for model X never reaches a worker without X; within one queue the fair priority orders tenants.
 */
export function segmentQueueName(model: string): QueueName {
  if (!MODEL_NAME_PATTERN.test(model)) throw new Error(`model name ${JSON.stringify(model)} cannot name a queue`);
  return `${QUEUES.segment}.${model}`;
}

/** The queues a deployment with these installed models has: ingest, export, webhook and one segment queue per model. */
export function deploymentQueueNames(models: readonly string[]): QueueName[] {
  return [QUEUES.ingest, ...models.map(segmentQueueName), QUEUES.export, QUEUES.webhook];
}

/** The queues one worker consumes: its kinds, the segment kind expanded to the models it serves. */
export function workerQueueNames(kinds: readonly QueueKind[], models: readonly string[]): QueueName[] {
  return kinds.flatMap((k) => (k === QUEUES.segment ? models.map(segmentQueueName) : [k]));
}

/** The kind of a queue name (`segment.<model>` -> segment), or null for a name no registry entry makes. */
export function queueKind(name: QueueName): QueueKind | null {
  if ((QUEUE_KINDS as readonly string[]).includes(name) && name !== QUEUES.segment) return name as QueueKind;
  return name.startsWith(`${QUEUES.segment}.`) && MODEL_NAME_PATTERN.test(name.slice(QUEUES.segment.length + 1))
    ? QUEUES.segment
    : null;
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
