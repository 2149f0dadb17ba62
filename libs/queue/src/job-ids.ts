/**
 * BullMQ job ids are the database ids, so a duplicate add is a no-op and any process can find a job's
 * queue entry from the database row. Later rounds of the same job get their own id.
 */
export function segmentJobId(jobId: string, round: number): string {
  return round === 1 ? jobId : `${jobId}-r${round}`;
}

export function ingestJobId(videoId: string): string {
  return `ingest-${videoId}`;
}

/** One queue entry per Export row: re-enqueueing the same export is a no-op. */
export function exportJobId(exportId: string): string {
  return `export-${exportId}`;
}

/** One queue entry per WebhookDelivery row (unique per job and event). */
export function webhookJobId(deliveryId: string): string {
  return `webhook-${deliveryId}`;
}
