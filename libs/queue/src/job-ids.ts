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
