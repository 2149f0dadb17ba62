/** S3 keys of everything a job writes; deterministic, so a retried write replaces rather than duplicates. */
export function videoKey(tenantId: string, videoId: string): string {
  return `tenants/${tenantId}/videos/${videoId}/source`;
}

export function chunkKey(tenantId: string, jobId: string, round: number, startFrame: number): string {
  return `tenants/${tenantId}/jobs/${jobId}/rounds/${round}/masklets/${String(startFrame).padStart(7, '0')}.json.gz`;
}

export function exportKey(tenantId: string, jobId: string, round: number, fileName: string): string {
  return `tenants/${tenantId}/jobs/${jobId}/rounds/${round}/exports/${fileName}`;
}
