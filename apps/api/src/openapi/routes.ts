// The API's route table: one row per public route, the source of the OpenAPI document
// (scripts/openapi.ts) and checked against the controllers' routes by test/api/openapi.test.ts.
// Every JSON body, request or response, is a schema of @masklet/contract (named there), so the
// document, the API and its clients share one definition.
import type { z } from 'zod';
import {
  AdminJobListSchema,
  AdminJobsQuerySchema,
  BatchCreatedSchema,
  BatchRequestSchema,
  BatchViewSchema,
  EXPORT_FORMAT_NAMES,
  ExportDownloadQuerySchema,
  ExportListQuerySchema,
  ExportListSchema,
  ExportRequestSchema,
  ExportViewSchema,
  FleetSnapshotSchema,
  JobAnalyticsViewSchema,
  JobBodySchema,
  JobListQuerySchema,
  JobListSchema,
  JobViewSchema,
  LivenessSchema,
  MaskletFramesSchema,
  MaskletQuerySchema,
  OpenApiDocumentSchema,
  PreviewBodySchema,
  PreviewQuerySchema,
  PreviewResultSchema,
  ReadinessSchema,
  RegisterVideoBodySchema,
  RetriedJobSchema,
  RoundBodySchema,
  RoundListSchema,
  RoundViewSchema,
  SessionViewSchema,
  SuggestionsQuerySchema,
  SuggestionsViewSchema,
  TenantAnalyticsViewSchema,
  TenantListSchema,
  TracksViewSchema,
  VideoListSchema,
  VideoPreviewBodySchema,
  VideoPreviewResultSchema,
  VideoViewSchema,
} from '@masklet/contract';
import { TenantAnalyticsQuerySchema } from '../analytics/analytics.schema';
import { CascadeQuery } from '../lifecycle/deletion.controller';
import { FrameQuery } from '../videos/videos.controller';
import { VideoListQuerySchema } from '../videos/video-list.schema';

export type HttpMethod = 'get' | 'post' | 'delete';

/**
 * What one status answers: a contract schema (JSON), a media type (binary or stream) or nothing;
 * `alsoAs`: binary media types the same status may answer instead (chosen by a query parameter).
 */
export type ResponseSpec = { description: string; schema?: z.ZodType; mediaType?: string; alsoAs?: string[] };

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path, as Nest registers it (`:id`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  /** The error codes per status, and anything else a caller must know. */
  description?: string;
  /** false: no API key (health). */
  auth?: boolean;
  body?: z.ZodType;
  /** The field of a multipart/form-data upload accepted instead of the JSON body. */
  multipartFile?: string;
  /** An object schema (possibly with a transform); its properties become query parameters. */
  query?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /** Error statuses this route answers besides 401/403 (auth) and 500. */
  errors: number[];
}

const json = (description: string, schema: z.ZodType, alsoAs?: string[]): ResponseSpec => ({
  description,
  schema,
  ...(alsoAs ? { alsoAs } : {}),
});
const errors = (text: string): string => `Errors: ${text}.`;
const FORMATS = EXPORT_FORMAT_NAMES.join(', ');

export const ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health.live',
    tag: 'health',
    summary: 'Liveness (no dependencies)',
    auth: false,
    responses: { 200: json('alive', LivenessSchema) },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'health.ready',
    tag: 'health',
    summary: 'Readiness of Postgres, Redis and S3',
    description:
      'Postgres SELECT 1, Redis PING, S3 HeadBucket. 503 NOT_READY names what failed (details: ok or unavailable per dependency).',
    auth: false,
    responses: { 200: json('ready', ReadinessSchema) },
    errors: [503],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openapi.get',
    tag: 'meta',
    summary: 'This document (also public at /docs-json)',
    responses: { 200: json('the OpenAPI document', OpenApiDocumentSchema) },
    errors: [],
  },

  {
    method: 'post',
    path: '/v1/videos',
    operationId: 'videos.create',
    tag: 'videos',
    summary: 'Upload a video (multipart, field "file") or register an s3:// URI (JSON)',
    description: errors(
      '400 MISSING_FILE / INVALID_S3_URI / INVALID_S3_KEY, 403 BUCKET_NOT_ALLOWED / S3_KEY_NOT_ALLOWED, 413 UPLOAD_TOO_LARGE, 415 NOT_A_VIDEO / UNSUPPORTED_MEDIA_TYPE, 422 NO_VIDEO_STREAM / NO_FRAMES / VIDEO_TOO_LONG / VIDEO_TOO_MANY_FRAMES / VIDEO_TOO_LARGE / SOURCE_OBJECT_NOT_FOUND, 503 PROBE_TIMEOUT',
    ),
    body: RegisterVideoBodySchema,
    multipartFile: 'file',
    responses: { 201: json('the video', VideoViewSchema) },
    errors: [400, 413, 415, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/videos',
    operationId: 'videos.list',
    tag: 'videos',
    summary: "The tenant's videos, newest first (keyset pagination: pass nextCursor as cursor)",
    description: errors('400 VALIDATION_FAILED / INVALID_CURSOR'),
    query: VideoListQuerySchema,
    responses: { 200: json('a page of videos', VideoListSchema) },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/videos/:id',
    operationId: 'videos.get',
    tag: 'videos',
    summary: 'One video',
    description: errors('404 VIDEO_NOT_FOUND'),
    responses: { 200: json('the video', VideoViewSchema) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/videos/:id/frames/:frame',
    operationId: 'videos.frame',
    tag: 'videos',
    summary: 'One decoded frame as JPEG (width <= maxWidth)',
    description: errors(
      '400 VALIDATION_FAILED, 404 VIDEO_NOT_FOUND / FRAME_NOT_AVAILABLE, 409 VIDEO_NOT_READY, 503 FRAME_RENDER_TIMEOUT / FRAME_RENDER_BUSY',
    ),
    query: FrameQuery,
    responses: { 200: { description: 'JPEG', mediaType: 'image/jpeg' } },
    errors: [400, 404, 409, 422, 503],
  },
  {
    method: 'post',
    path: '/v1/videos/:id/preview',
    operationId: 'videos.preview',
    tag: 'videos',
    summary: 'The mask a prompt gives on one frame before any job exists (nothing stored)',
    description: errors(
      '400 VALIDATION_FAILED / UNKNOWN_FIELD / EMPTY_PROMPT, 404 VIDEO_NOT_FOUND, 409 VIDEO_NOT_READY, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / PREVIEW_REJECTED, 503 PREVIEW_UNAVAILABLE (no worker answered within PREVIEW_TIMEOUT_MS)',
    ),
    body: VideoPreviewBodySchema,
    responses: { 200: json('the preview mask', VideoPreviewResultSchema) },
    errors: [400, 404, 409, 422, 503],
  },

  {
    method: 'post',
    path: '/v1/jobs',
    operationId: 'jobs.create',
    tag: 'jobs',
    summary: 'Submit a segmentation job (201; 200 when an Idempotency-Key replay returns the existing job)',
    description: errors(
      '400 VALIDATION_FAILED / UNKNOWN_FIELD / DUPLICATE_OBJECT_ID / OBJECT_WITHOUT_PROMPTS / EMPTY_PROMPT / INVALID_IDEMPOTENCY_KEY, 404 VIDEO_NOT_FOUND, 409 VIDEO_NOT_READY / IDEMPOTENCY_KEY_REUSED, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / MASK_SIZE_MISMATCH / INVALID_MASK / START_FRAME_OUT_OF_RANGE / WEBHOOK_URL_CREDENTIALS, 503 QUEUE_UNAVAILABLE',
    ),
    body: JobBodySchema,
    responses: { 200: json('replayed job', JobViewSchema), 201: json('the new job', JobViewSchema) },
    errors: [400, 404, 409, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/jobs',
    operationId: 'jobs.list',
    tag: 'jobs',
    summary: 'List jobs, newest first (keyset pagination: pass nextCursor as cursor)',
    description: errors('400 VALIDATION_FAILED / INVALID_CURSOR'),
    query: JobListQuerySchema,
    responses: { 200: json('a page of jobs', JobListSchema) },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id',
    operationId: 'jobs.get',
    tag: 'jobs',
    summary: 'Status, progress and per-object stats of a job',
    description: errors('404 JOB_NOT_FOUND'),
    responses: { 200: json('the job', JobViewSchema) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/tracks',
    operationId: 'jobs.tracks',
    tag: 'jobs',
    summary: 'Swim lanes: per object the runs of frames where it is present, and its prompt frames',
    description: errors('404 JOB_NOT_FOUND'),
    responses: { 200: json('tracks', TracksViewSchema) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/events',
    operationId: 'jobs.events',
    tag: 'jobs',
    summary: 'Server-sent events: `progress` and `status` until the job is terminal',
    description: errors('404 JOB_NOT_FOUND'),
    responses: { 200: { description: 'SSE stream', mediaType: 'text/event-stream' } },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/jobs/:id/cancel',
    operationId: 'jobs.cancel',
    tag: 'jobs',
    summary: 'Cancel (200 at once when queued, 202 when a running job is signalled)',
    description: errors('404 JOB_NOT_FOUND, 409 JOB_ALREADY_FINISHED'),
    responses: { 200: json('cancelled', JobViewSchema), 202: json('signalled', JobViewSchema) },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/masklets',
    operationId: 'jobs.masklets',
    tag: 'jobs',
    summary: 'Masks: format=rle streams JSON over [from, to); format=png returns one frame as a DAVIS-palette PNG',
    description: errors(
      '400 INVALID_RANGE / PNG_SINGLE_FRAME, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND / FRAME_NOT_AVAILABLE, 422 OBJECT_ID_TOO_LARGE_FOR_PNG',
    ),
    query: MaskletQuerySchema,
    responses: {
      200: json('masks as COCO RLE per frame and object (or a PNG with format=png)', MaskletFramesSchema, [
        'image/png',
      ]),
    },
    errors: [400, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/v1/jobs/:id/rounds',
    operationId: 'rounds.create',
    tag: 'rounds',
    summary:
      'Correction round: corrections / addObjects / removeObjects on the latest SUCCEEDED round; only the frames they reach are recomputed',
    description: `One round at a time: while the current round is QUEUED or RUNNING the answer is 409 ROUND_IN_PROGRESS. ${errors('400 VALIDATION_FAILED / UNKNOWN_FIELD / EMPTY_ROUND / EMPTY_PROMPT / DUPLICATE_OBJECT_ID / OBJECT_WITHOUT_PROMPTS, 404 JOB_NOT_FOUND, 409 ROUND_IN_PROGRESS / JOB_NOT_CORRECTABLE, 422 UNKNOWN_OBJECT / OBJECT_REMOVED / DUPLICATE_OBJECT_ID / FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / MASK_SIZE_MISMATCH / INVALID_MASK, 503 QUEUE_UNAVAILABLE')}`,
    body: RoundBodySchema,
    responses: { 202: json('the queued round', RoundViewSchema) },
    errors: [400, 404, 409, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/rounds',
    operationId: 'rounds.list',
    tag: 'rounds',
    summary: 'Round history: who, when, changed frames and objects, framesRecomputed, meanIouDelta, worker stats',
    description: errors('404 JOB_NOT_FOUND'),
    responses: { 200: json('rounds', RoundListSchema) },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/jobs/:id/preview',
    operationId: 'rounds.preview',
    tag: 'rounds',
    summary: 'The mask clicks would give on one frame from the latest SUCCEEDED round (no propagation, nothing stored)',
    description: errors(
      '400 VALIDATION_FAILED / EMPTY_PROMPT, 404 JOB_NOT_FOUND, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / UNKNOWN_OBJECT / PREVIEW_REJECTED, 503 PREVIEW_UNAVAILABLE (no worker answered within PREVIEW_TIMEOUT_MS)',
    ),
    body: PreviewBodySchema,
    query: PreviewQuerySchema,
    responses: { 200: json('the preview mask (a PNG with format=png)', PreviewResultSchema, ['image/png']) },
    errors: [400, 404, 409, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/suggestions',
    operationId: 'jobs.suggestions',
    tag: 'jobs',
    summary: 'Frames worth a correction, ranked by how likely their mask is wrong',
    description: errors('400 VALIDATION_FAILED / UNKNOWN_FIELD, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND'),
    query: SuggestionsQuerySchema,
    responses: { 200: json('suggestions', SuggestionsViewSchema) },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/analytics',
    operationId: 'analytics.job',
    tag: 'analytics',
    summary: 'Annotation effort of a job: per round, per API key and in total, and previews not committed yet',
    description: errors('404 JOB_NOT_FOUND'),
    responses: { 200: json('analytics', JobAnalyticsViewSchema) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/analytics',
    operationId: 'analytics.tenant',
    tag: 'analytics',
    summary:
      'Annotation effort of the tenant per API key over the rounds committed in [from, to) (default: the last 30 days)',
    description: errors('400 VALIDATION_FAILED / UNKNOWN_FIELD'),
    query: TenantAnalyticsQuerySchema,
    responses: { 200: json('analytics', TenantAnalyticsViewSchema) },
    errors: [400],
  },

  {
    method: 'get',
    path: '/v1/jobs/:id/exports',
    operationId: 'exports.list',
    tag: 'exports',
    summary: `A job's exports by round (${FORMATS}): status, bytes, sha256, download path`,
    description: errors('400 VALIDATION_FAILED, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND'),
    query: ExportListQuerySchema,
    responses: { 200: json('exports', ExportListSchema) },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/jobs/:id/exports',
    operationId: 'exports.create',
    tag: 'exports',
    summary: 'Export a SUCCEEDED round in a format (202 queued, 200 when it exists and is done)',
    description: errors(
      `400 VALIDATION_FAILED / UNKNOWN_FIELD, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND, 409 ROUND_NOT_READY / JOB_NOT_SUCCEEDED, 422 UNKNOWN_FORMAT (known: ${FORMATS}), 503 QUEUE_UNAVAILABLE`,
    ),
    body: ExportRequestSchema,
    responses: { 200: json('existing export', ExportViewSchema), 202: json('queued export', ExportViewSchema) },
    errors: [400, 404, 409, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/exports/:exportId',
    operationId: 'exports.get',
    tag: 'exports',
    summary: 'One export',
    description: errors('404 JOB_NOT_FOUND / EXPORT_NOT_FOUND'),
    responses: { 200: json('the export', ExportViewSchema) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/jobs/:id/exports/:exportId/download',
    operationId: 'exports.download',
    tag: 'exports',
    summary:
      'The file, streamed (200/206; ETag and X-Masklet-Sha256 carry its sha256) or by presigned URL (302 with redirect=true)',
    description: errors(
      '400 VALIDATION_FAILED, 404 JOB_NOT_FOUND / EXPORT_NOT_FOUND, 409 EXPORT_NOT_READY / EXPORT_FAILED, 416 a range past the end',
    ),
    query: ExportDownloadQuerySchema,
    responses: {
      200: { description: 'the file', mediaType: 'application/octet-stream' },
      206: { description: 'a byte range', mediaType: 'application/octet-stream' },
      302: { description: 'presigned URL in Location' },
    },
    errors: [400, 404, 409, 416],
  },

  {
    method: 'post',
    path: '/v1/batches',
    operationId: 'batches.create',
    tag: 'batches',
    summary: 'Submit up to 10,000 jobs at once, validated all-or-nothing',
    description: `Errors name the index (jobs[12].objects[0].prompts[0].frame ...). ${errors('413 BATCH_TOO_LARGE past 10,000 jobs; otherwise those of POST /v1/jobs')}`,
    body: BatchRequestSchema,
    responses: { 201: json('the batch', BatchCreatedSchema) },
    errors: [400, 404, 409, 413, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/batches/:id',
    operationId: 'batches.get',
    tag: 'batches',
    summary: 'Job counts by status and mean progress of a batch',
    description: errors('404 BATCH_NOT_FOUND'),
    responses: { 200: json('the batch', BatchViewSchema) },
    errors: [404],
  },

  {
    method: 'delete',
    path: '/v1/jobs/:id',
    operationId: 'jobs.delete',
    tag: 'jobs',
    summary: 'Delete a job with its masks, exports, checkpoints and queue entries (cancelled first when running)',
    description: `A repeated DELETE answers 404. ${errors('404 JOB_NOT_FOUND, 409 JOB_STOPPING (the worker has not stopped within 20 s; repeat)')}`,
    responses: { 204: { description: 'deleted' } },
    errors: [404, 409],
  },
  {
    method: 'delete',
    path: '/v1/videos/:id',
    operationId: 'videos.delete',
    tag: 'videos',
    summary: 'Delete a video (with its jobs when cascade=true)',
    description: `A repeated DELETE answers 404. ${errors('404 VIDEO_NOT_FOUND, 409 VIDEO_IN_USE (names the jobs; pass cascade=true) / JOB_STOPPING')}`,
    query: CascadeQuery,
    responses: { 204: { description: 'deleted' } },
    errors: [400, 404, 409],
  },
  {
    method: 'delete',
    path: '/v1/admin/tenants/:id',
    operationId: 'admin.deleteTenant',
    tag: 'admin',
    summary: 'Operators: delete a tenant with every video, job, key and stored object',
    description: errors('404 TENANT_NOT_FOUND'),
    responses: { 204: { description: 'deleted' } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/admin/fleet',
    operationId: 'admin.fleet',
    tag: 'admin',
    summary:
      'Workers (BUSY / IDLE / STALE / STOPPED), queue counts by state, jobs/min and frames/s per minute of the last hour, recent failed jobs',
    responses: { 200: json('fleet', FleetSnapshotSchema) },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/admin/fleet/events',
    operationId: 'admin.fleetEvents',
    tag: 'admin',
    summary: 'Server-sent events: a `fleet` snapshot (FleetSnapshot) every 2 s until the client disconnects',
    responses: { 200: { description: 'SSE stream', mediaType: 'text/event-stream' } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/admin/jobs',
    operationId: 'admin.jobs',
    tag: 'admin',
    summary: 'Jobs of every tenant, newest first, filtered by tenant, status and batch',
    description: errors('400 VALIDATION_FAILED / UNKNOWN_FIELD'),
    query: AdminJobsQuerySchema,
    responses: { 200: json('jobs', AdminJobListSchema) },
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/session',
    operationId: 'session.create',
    tag: 'session',
    summary:
      'Log in: exchanges the API key of the Authorization header for an opaque HttpOnly, Secure, SameSite=Strict session cookie',
    responses: { 201: json('the session', SessionViewSchema) },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/session',
    operationId: 'session.get',
    tag: 'session',
    summary: 'Who is logged in (key prefix, tenant, scopes) and until when',
    responses: { 200: json('the session', SessionViewSchema) },
    errors: [],
  },
  {
    method: 'delete',
    path: '/v1/session',
    operationId: 'session.delete',
    tag: 'session',
    summary: 'Log out: ends the session on the server and clears its cookie',
    responses: { 204: { description: 'logged out' } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/admin/tenants',
    operationId: 'admin.tenants',
    tag: 'admin',
    summary: 'Tenants (id, name) for the job filters',
    responses: { 200: json('tenants', TenantListSchema) },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/admin/jobs/:id/retry',
    operationId: 'admin.retryJob',
    tag: 'admin',
    summary: "Re-queue a FAILED job's current round",
    description: errors('404 JOB_NOT_FOUND, 409 JOB_NOT_FAILED'),
    responses: { 202: json('the job, queued again', RetriedJobSchema) },
    errors: [404, 409],
  },
];
