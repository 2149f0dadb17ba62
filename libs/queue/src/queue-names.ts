/** Every BullMQ queue of the platform. */
export const QUEUES = {
  /** Probe and frame-index a newly stored video. */
  ingest: 'ingest',
  /** Run the engine over a job (round 1) or a correction round. */
  segment: 'segment',
  /** DAVIS PNG zip, overlay MP4, COCO JSON. */
  export: 'export',
  /** Signed webhook deliveries, retried with backoff. */
  webhook: 'webhook',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUES);
