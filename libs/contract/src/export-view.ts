import { exportFormatOfKind } from './export-formats';
import type { ExportView } from './exports.schema';

/** The columns of an Export row the wire view reads (structural, so the contract needs no database types). */
export interface ExportRowLike {
  id: string;
  jobId: string;
  round: number;
  kind: string;
  status: string;
  bytes: bigint | null;
  sha256: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** An export as the API and the round webhooks describe it: enough to download it through the API. */
export function toExportView(row: ExportRowLike): ExportView {
  const f = exportFormatOfKind(row.kind);
  return {
    id: row.id,
    jobId: row.jobId,
    round: row.round,
    format: f.name,
    fileName: f.fileName,
    contentType: f.contentType,
    status: row.status as ExportView['status'],
    bytes: row.bytes === null ? null : Number(row.bytes),
    sha256: row.sha256,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    downloadPath: `/v1/jobs/${row.jobId}/exports/${row.id}/download`,
  };
}
