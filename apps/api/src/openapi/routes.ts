// The API's route table: one row per public route, the source of the OpenAPI document
// (scripts/openapi.ts) and checked against the controllers' routes by test/api/openapi.test.ts.
import { z } from 'zod';
import { ExportDownloadQuerySchema, ExportListQuerySchema, ExportListSchema, ExportRequestSchema, ExportViewSchema, JobListSchema, JobViewSchema, SessionViewSchema, VideoListSchema, VideoViewSchema } from '@masklet/contract';
import { TenantAnalyticsQuerySchema } from '../analytics/analytics.schema';
import { BatchBodySchema, JobBodySchema, JobListQuerySchema, MaskletQuerySchema } from '../jobs/job-body.schema';
import { PreviewBodySchema, PreviewQuerySchema, RoundBodySchema } from '../jobs/round-body.schema';
import { VideoPreviewBodySchema } from '../jobs/video-preview.schema';
import { SuggestionsQuerySchema, SuggestionsViewSchema } from '../suggestions/suggestions.schema';
import { VideoListQuerySchema } from '../videos/video-list.schema';
import { RegisterVideoBody } from '../videos/videos.controller';

/** The body of every 4xx/5xx answer (common/error-body.ts). */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string().describe('stable, upper snake case'), message: z.string(), details: z.unknown().optional() }),
});

export type HttpMethod = 'get' | 'post' | 'delete';

/** What one status answers: a zod schema (JSON), a media type (binary or stream) or nothing. */
export type ResponseSpec = { description: string; schema?: z.ZodType; mediaType?: string };

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path, as Nest registers it (`:id`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  /** false: no API key (health, metrics). */
  auth?: boolean;
  body?: z.ZodType;
  bodyMediaType?: string;
  /** An object schema (possibly with a transform); its properties become query parameters. */
  query?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /** Error statuses this route answers besides 401/403 (auth) and 500. */
  errors: number[];
}

const json = (description: string, schema?: z.ZodType): ResponseSpec => (schema ? { description, schema } : { description, schema: z.record(z.string(), z.unknown()) });

export const ROUTES: RouteSpec[] = [
  { method: 'get', path: '/healthz', operationId: 'health.live', tag: 'health', summary: 'Liveness', auth: false, responses: { 200: json('alive') }, errors: [] },
  { method: 'get', path: '/readyz', operationId: 'health.ready', tag: 'health', summary: 'Readiness of Postgres, Redis and S3', auth: false, responses: { 200: json('ready') }, errors: [503] },
  { method: 'get', path: '/metrics', operationId: 'metrics.get', tag: 'metrics', summary: 'Prometheus metrics', auth: false, responses: { 200: { description: 'Prometheus text', mediaType: 'text/plain' } }, errors: [] },
  { method: 'get', path: '/v1/openapi.json', operationId: 'openapi.get', tag: 'meta', summary: 'This document (also public at /docs-json)', responses: { 200: json('the OpenAPI document') }, errors: [] },

  { method: 'post', path: '/v1/videos', operationId: 'videos.create', tag: 'videos', summary: 'Upload a video (multipart) or register an s3:// URI (JSON)', body: RegisterVideoBody, bodyMediaType: 'application/json', responses: { 201: json('the video', VideoViewSchema) }, errors: [400, 413, 415, 422, 503] },
  { method: 'get', path: '/v1/videos', operationId: 'videos.list', tag: 'videos', summary: 'List videos', query: VideoListQuerySchema, responses: { 200: json('a page of videos', VideoListSchema) }, errors: [400] },
  { method: 'get', path: '/v1/videos/:id', operationId: 'videos.get', tag: 'videos', summary: 'One video', responses: { 200: json('the video', VideoViewSchema) }, errors: [404] },
  { method: 'get', path: '/v1/videos/:id/frames/:frame', operationId: 'videos.frame', tag: 'videos', summary: 'One decoded frame as JPEG', responses: { 200: { description: 'JPEG', mediaType: 'image/jpeg' } }, errors: [400, 404, 409, 422] },
  { method: 'post', path: '/v1/videos/:id/preview', operationId: 'videos.preview', tag: 'videos', summary: 'Preview a mask from prompts on one frame before submitting a job', body: VideoPreviewBodySchema, responses: { 200: json('the preview mask') }, errors: [400, 404, 409, 422, 503] },

  { method: 'post', path: '/v1/jobs', operationId: 'jobs.create', tag: 'jobs', summary: 'Submit a segmentation job (201; 200 when an Idempotency-Key replay returns the existing job)', body: JobBodySchema, responses: { 200: json('replayed job', JobViewSchema), 201: json('the new job', JobViewSchema) }, errors: [400, 404, 409, 422, 503] },
  { method: 'get', path: '/v1/jobs', operationId: 'jobs.list', tag: 'jobs', summary: 'List jobs, newest first (keyset pagination)', query: JobListQuerySchema, responses: { 200: json('a page of jobs', JobListSchema) }, errors: [400] },
  { method: 'get', path: '/v1/jobs/:id', operationId: 'jobs.get', tag: 'jobs', summary: 'Status, progress and per-object stats of a job', responses: { 200: json('the job', JobViewSchema) }, errors: [404] },
  { method: 'get', path: '/v1/jobs/:id/tracks', operationId: 'jobs.tracks', tag: 'jobs', summary: 'Per object the runs of frames where it is present', responses: { 200: json('tracks') }, errors: [404] },
  { method: 'get', path: '/v1/jobs/:id/events', operationId: 'jobs.events', tag: 'jobs', summary: 'Server-sent events until the job is terminal', responses: { 200: { description: 'SSE stream', mediaType: 'text/event-stream' } }, errors: [404] },
  { method: 'post', path: '/v1/jobs/:id/cancel', operationId: 'jobs.cancel', tag: 'jobs', summary: 'Cancel (200 at once when queued, 202 when a running job is signalled)', responses: { 200: json('cancelled', JobViewSchema), 202: json('signalled', JobViewSchema) }, errors: [404, 409] },
  { method: 'get', path: '/v1/jobs/:id/masklets', operationId: 'jobs.masklets', tag: 'jobs', summary: 'Masks as RLE, per frame and object', query: MaskletQuerySchema, responses: { 200: json('masks') }, errors: [400, 404, 409] },
  { method: 'post', path: '/v1/jobs/:id/rounds', operationId: 'rounds.create', tag: 'rounds', summary: 'Submit corrections as a new round', body: RoundBodySchema, responses: { 202: json('the queued round') }, errors: [400, 404, 409, 422, 503] },
  { method: 'get', path: '/v1/jobs/:id/rounds', operationId: 'rounds.list', tag: 'rounds', summary: 'Rounds of a job', responses: { 200: json('rounds') }, errors: [404] },
  { method: 'post', path: '/v1/jobs/:id/preview', operationId: 'rounds.preview', tag: 'rounds', summary: 'Preview a corrected mask on one frame', body: PreviewBodySchema, query: PreviewQuerySchema, responses: { 200: { description: 'JSON mask, or PNG with format=png', schema: z.record(z.string(), z.unknown()) } }, errors: [400, 404, 409, 422, 503] },
  { method: 'get', path: '/v1/jobs/:id/suggestions', operationId: 'jobs.suggestions', tag: 'jobs', summary: 'Frames worth a correction', query: SuggestionsQuerySchema, responses: { 200: json('suggestions', SuggestionsViewSchema) }, errors: [400, 404] },
  { method: 'get', path: '/v1/jobs/:id/analytics', operationId: 'analytics.job', tag: 'analytics', summary: 'Annotation effort of a job', responses: { 200: json('analytics') }, errors: [404] },
  { method: 'get', path: '/v1/analytics', operationId: 'analytics.tenant', tag: 'analytics', summary: 'Annotation effort of the tenant', query: TenantAnalyticsQuerySchema, responses: { 200: json('analytics') }, errors: [400] },

  { method: 'get', path: '/v1/jobs/:id/exports', operationId: 'exports.list', tag: 'exports', summary: "A job's exports per round", query: ExportListQuerySchema, responses: { 200: json('exports', ExportListSchema) }, errors: [400, 404] },
  { method: 'post', path: '/v1/jobs/:id/exports', operationId: 'exports.create', tag: 'exports', summary: 'Request an export of a round (202 queued, 200 when it exists)', body: ExportRequestSchema, responses: { 200: json('existing export', ExportViewSchema), 202: json('queued export', ExportViewSchema) }, errors: [400, 404, 409, 422, 503] },
  { method: 'get', path: '/v1/jobs/:id/exports/:exportId', operationId: 'exports.get', tag: 'exports', summary: 'One export', responses: { 200: json('the export', ExportViewSchema) }, errors: [404] },
  { method: 'get', path: '/v1/jobs/:id/exports/:exportId/download', operationId: 'exports.download', tag: 'exports', summary: 'The file, streamed (200/206) or by presigned URL (302 with redirect=true)', query: ExportDownloadQuerySchema, responses: { 200: { description: 'the file', mediaType: 'application/octet-stream' }, 206: { description: 'a byte range', mediaType: 'application/octet-stream' }, 302: { description: 'presigned URL in Location' } }, errors: [400, 404, 409, 416] },

  { method: 'post', path: '/v1/batches', operationId: 'batches.create', tag: 'batches', summary: 'Submit many jobs at once', body: BatchBodySchema, responses: { 201: json('the batch') }, errors: [400, 404, 409, 422, 503] },
  { method: 'get', path: '/v1/batches/:id', operationId: 'batches.get', tag: 'batches', summary: 'One batch with per-status counts', responses: { 200: json('the batch') }, errors: [404] },

  { method: 'delete', path: '/v1/jobs/:id', operationId: 'jobs.delete', tag: 'jobs', summary: 'Delete a job with its masks, exports, checkpoints and queue entries (cancelled first when running)', responses: { 204: { description: 'deleted' } }, errors: [404, 409] },
  { method: 'delete', path: '/v1/videos/:id', operationId: 'videos.delete', tag: 'videos', summary: 'Delete a video (with its jobs when cascade=true)', responses: { 204: { description: 'deleted' } }, errors: [404, 409] },
  { method: 'delete', path: '/v1/admin/tenants/:id', operationId: 'admin.deleteTenant', tag: 'admin', summary: 'Operators: delete a tenant with every video, job, key and stored object', responses: { 204: { description: 'deleted' } }, errors: [404] },
  { method: 'get', path: '/v1/admin/fleet', operationId: 'admin.fleet', tag: 'admin', summary: 'Queues, workers and jobs across tenants', responses: { 200: json('fleet') }, errors: [] },
  { method: 'get', path: '/v1/admin/fleet/events', operationId: 'admin.fleetEvents', tag: 'admin', summary: 'Fleet snapshots as server-sent events', responses: { 200: { description: 'SSE stream', mediaType: 'text/event-stream' } }, errors: [] },
  { method: 'get', path: '/v1/admin/jobs', operationId: 'admin.jobs', tag: 'admin', summary: 'Jobs across tenants', responses: { 200: json('jobs') }, errors: [400] },
  { method: 'post', path: '/v1/session', operationId: 'session.create', tag: 'session', summary: 'Log in: exchanges the API key of the Authorization header for an opaque HttpOnly, Secure, SameSite=Strict session cookie', responses: { 201: json('the session', SessionViewSchema) }, errors: [] },
  { method: 'get', path: '/v1/session', operationId: 'session.get', tag: 'session', summary: 'Who is logged in (key prefix, tenant, scopes) and until when', responses: { 200: json('the session', SessionViewSchema) }, errors: [] },
  { method: 'delete', path: '/v1/session', operationId: 'session.delete', tag: 'session', summary: 'Log out: ends the session on the server and clears its cookie', responses: { 204: { description: 'logged out' } }, errors: [] },
  { method: 'get', path: '/v1/admin/tenants', operationId: 'admin.tenants', tag: 'admin', summary: 'Tenants', responses: { 200: json('tenants') }, errors: [] },
  { method: 'post', path: '/v1/admin/jobs/:id/retry', operationId: 'admin.retryJob', tag: 'admin', summary: 'Retry a failed job', responses: { 202: json('the job', JobViewSchema) }, errors: [404, 409] },
];
