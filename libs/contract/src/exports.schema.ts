// Wire schemas of the exports API, shared by the API (validation) and its clients (types).
import { z } from 'zod';
import { EXPORT_FORMAT_NAMES } from './export-formats';

/**
 * Body of POST /v1/jobs/:id/exports. `format` is a plain string here so that an unknown one gets
 * 422 UNKNOWN_FORMAT naming the known formats rather than a generic validation error.
 */
export const ExportRequestSchema = z.strictObject({
  format: z
    .string()
    .min(1)
    .max(50)
    .describe(`one of ${EXPORT_FORMAT_NAMES.join(', ')} (aliases such as coco_json accepted)`),
  round: z.number().int().min(1).optional().describe('the round to export (default: the latest SUCCEEDED round)'),
});
export type ExportRequest = z.output<typeof ExportRequestSchema>;

export const ExportListQuerySchema = z.strictObject({
  round: z.coerce.number().int().min(1).optional(),
});

export const ExportDownloadQuerySchema = z.strictObject({
  redirect: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export const ExportViewSchema = z.object({
  id: z.string().uuid(),
  jobId: z.string().uuid(),
  round: z.number().int().min(1),
  format: z.enum(EXPORT_FORMAT_NAMES),
  fileName: z.string(),
  contentType: z.string(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  finishedAt: z.string().nullable(),
  downloadPath: z.string().describe('GET this path (relative to the API base URL) to download the file'),
});
export type ExportView = z.output<typeof ExportViewSchema>;

export const ExportListSchema = z.object({
  jobId: z.string().uuid(),
  items: z.array(ExportViewSchema).describe('by round, then in the order of the format registry'),
});
export type ExportList = z.output<typeof ExportListSchema>;
