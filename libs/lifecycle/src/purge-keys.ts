/**
 * Every S3 prefix and Redis key pattern the platform writes for a job or a video (libs/masklets
 * chunk-keys.ts and checkpoint-store.ts are the writers). A new writer adds its prefix here, and the
 * deletion test lists the whole bucket, so a forgotten prefix fails it.
 */
export function jobS3Prefixes(tenantId: string, jobId: string): string[] {
  return [`tenants/${tenantId}/jobs/${jobId}/`, `tenants/${tenantId}/checkpoints/${jobId}/`];
}

export function videoS3Prefixes(tenantId: string, videoId: string): string[] {
  return [`tenants/${tenantId}/videos/${videoId}/`];
}

export function tenantS3Prefixes(tenantId: string): string[] {
  return [`tenants/${tenantId}/`];
}

/** Redis keys outside BullMQ: checkpoints (masklet:ckpt:<job>:...) and the cancel flag. */
export function jobRedisPatterns(jobId: string): string[] {
  return [`masklet:ckpt:${jobId}:*`, `masklet:cancelled:${jobId}`];
}
