import { exportFormatOfKind, type ExportView } from '@masklet/contract';
import type { Export } from '@masklet/db';

export function toExportView(row: Export): ExportView {
  const f = exportFormatOfKind(row.kind);
  return {
    id: row.id,
    jobId: row.jobId,
    round: row.round,
    format: f.name,
    fileName: f.fileName,
    contentType: f.contentType,
    status: row.status,
    bytes: row.bytes === null ? null : Number(row.bytes),
    sha256: row.sha256,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    downloadPath: `/v1/jobs/${row.jobId}/exports/${row.id}/download`,
  };
}
