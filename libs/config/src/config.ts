import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `host:port,host:port` (IPv6 hosts in brackets) as a list; a malformed entry is a configuration error naming it. */
function hostPortList(raw: string, ctx: z.RefinementCtx): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not host:port` });
      return z.NEVER;
    }
    out.push({ host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port });
  }
  return out;
}

/** The environment variables of API and worker processes (README's configuration table). */
const EnvSchema = z.object({
  DATABASE_URL: z.string().url(),
  /** The Redis to use; with REDIS_SENTINELS set, only its username, password and database number apply (to the primary). */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Comma-separated Sentinel `host:port` list: when set, the primary is the one these name REDIS_SENTINEL_NAME (failover without losing the queues). */
  REDIS_SENTINELS: z.string().default('').transform(hostPortList),
  /** Master name the Sentinels monitor (their `sentinel monitor <name> ...`). */
  REDIS_SENTINEL_NAME: z.string().min(1).default('masklet'),
  /** Password of the Sentinels themselves (their requirepass), when they have one; the primary's is REDIS_URL's. */
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(1).default('masklet'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  /** S3 socket idle limit per request (connecting gets min(this, 5 s)): an unreachable store fails, never hangs. */
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Limit on one API Redis command: a paused or unreachable Redis gives 503, not a hung request. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
  /** Postgres connection attempt limit (pg pool connectionTimeoutMillis). */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Postgres statement limit (server statement_timeout, and the client stops waiting after it too). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** Buckets (besides S3_BUCKET) whose s3:// URIs may be registered as videos. */
  S3_ALLOWED_BUCKETS: z.string().default(''),
  /**
   * Comma-separated `bucket/prefix` entries: when set, a registered s3:// key must lie under one of them
   * (`{tenant}` stands for the caller's tenant id). Keys under the platform's own `tenants/` prefix of
   * S3_BUCKET are refused whatever this says.
   */
  S3_INGEST_PREFIXES: z.string().default(''),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_PUBLIC_URL: z.string().url().optional(),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  MAX_VIDEO_SECONDS: z.coerce.number().positive().default(3600),
  MAX_VIDEO_FRAMES: z.coerce.number().int().positive().default(200_000),
  /** Wall-clock limit on the API's ffprobe of an upload or registered object (past it: 503 PROBE_TIMEOUT). */
  FFPROBE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** Wall-clock limit on the ffmpeg of one GET /v1/videos/:id/frames/:n (past it: 503 FRAME_RENDER_TIMEOUT). */
  FRAME_RENDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** ffmpeg processes rendering frames at once per API process; further requests wait (up to 16 per slot). */
  FRAME_RENDER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /** Width x height a video may have (default 8K UHD): decoding and previews hold whole frames in memory. */
  MAX_VIDEO_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(7680 * 4320),
  MASKLET_MODEL: z.string().optional(),
  /** Comma-separated manifest paths of the installed models (the job `model` choices); unset: MASKLET_MODEL alone. */
  MASKLET_MODELS: z.string().optional(),
  /** Manifest name of the model a job gets when it names none; unset: the first installed model. */
  MASKLET_DEFAULT_MODEL: z.string().optional(),
  MASKLET_PROVIDERS: z.string().default('cpu'),
  /** onnxruntime intra-op threads per session (unset: one per core); MASKLET_INTRA_OP_THREADS_<ROLE> overrides one role (read by the engine's runtimeFromEnv). */
  MASKLET_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(1024).optional(),
  /** onnxruntime inter-op threads (only used by parallel execution mode; unset: onnxruntime's default). */
  MASKLET_INTER_OP_THREADS: z.coerce.number().int().min(1).max(1024).optional(),
  /** Megabytes of attention scores one memory-attention call may hold; objects beyond it go in further calls (unset: 64 on CPU, 2048 on CUDA). */
  MASKLET_ATTENTION_BUDGET_MB: z.coerce.number().positive().optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(1),
  /** Queue kinds a worker process consumes (comma-separated ingest, segment, export, webhook, preview). */
  WORKER_QUEUES: z.string().default('ingest,segment,export,webhook,preview'),
  /** Installed models (manifest names, comma-separated) a worker loads and takes segment jobs of; unset: the default model. */
  WORKER_MODELS: z.string().optional(),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().positive().default(2000),
  WORKER_SCRATCH_DIR: z.string().default('.tmp/worker'),
  /** Bytes of cached videos one worker keeps in its scratch dir; a video that cannot fit fails with scratch_full. */
  WORKER_SCRATCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 ** 3),
  /** BullMQ job lock: a worker that dies (SIGKILL, node lost) loses its job to another after about this long. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  /** How often a worker re-adds jobs Postgres says are QUEUED/RUNNING but BullMQ lost (a Redis restarted empty). */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** A job is only re-added once its row is this old unchanged, so one being enqueued right now is not doubled. */
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** Infrastructure errors (Redis/Postgres/S3 unreachable) are retried this long without using the job's attempts. */
  INFRA_RETRY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  CHUNK_FRAMES: z.coerce.number().int().positive().default(32),
  /** Lifetime of engine session checkpoints in Redis (the fast path); S3 keeps the durable copy. */
  CHECKPOINT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** Drop what an accepted round no longer needs (CheckpointStore.prune); false keeps every chain (debugging). */
  CHECKPOINT_PRUNE: bool.default(true),
  CHECKPOINT_ENCODER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Run the engine on a worker thread of its own, so the worker's I/O never waits for a graph call nor takes its cycles. */
  WORKER_ENGINE_THREAD: bool.default(true),
  /** Preview sessions (per job, per video) a preview-consuming worker keeps warm (LRU). */
  PREVIEW_SESSIONS: z.coerce.number().int().positive().default(4),
  /** How long the API waits for a worker's preview answer (ms); past it the preview is 503 PREVIEW_UNAVAILABLE. */
  PREVIEW_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Prometheus /metrics port of a worker process; 0 disables the endpoint. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: no tracing SDK starts. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** nvidia-smi a worker runs each heartbeat for GPU utilisation and memory; a host without it reports no GPUs. */
  WORKER_NVIDIA_SMI: z.string().default('nvidia-smi'),
  /** Days a job or video is kept after creation unless its tenant sets retentionDays; unset keeps forever. */
  RETENTION_DAYS: z.coerce.number().int().positive().optional(),
  /** How often a worker runs the retention sweep (ms); 0 disables the sweeper in that process. */
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** A video still PENDING (upload cut) this long after creation is deleted with its multipart upload parts. */
  UPLOAD_PENDING_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600),
  /** Prometheus /metrics port of an API process, a listener apart from API_PORT; 0 disables the endpoint. */
  API_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /** Address the API and worker metrics endpoints bind: loopback unless a scraper must reach them (containers: 0.0.0.0). */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WEBHOOK_ATTEMPTS: z.coerce.number().int().positive().default(6),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(1000),
  /** Webhook targets on private/loopback addresses are refused unless this is true (tests, local demo). */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** Requests per minute one API key may make (per API process); over it: 429 with Retry-After. */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().positive().default(1200),
  /** Requests per minute one client address may make to /v1 (per API process). */
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(3000),
  /** Failed authentications per minute from one client address before it gets 429 (no more key checks). */
  AUTH_FAILURES_PER_IP: z.coerce.number().int().positive().default(30),
  /** Concurrent server-sent event streams per tenant (per API process). */
  MAX_SSE_STREAMS_PER_TENANT: z.coerce.number().int().positive().default(20),
  /** Concurrent previews per tenant (per API process): each runs the model inside the API. */
  MAX_PREVIEWS_PER_TENANT: z.coerce.number().int().positive().default(4),
  /** How often an open event stream re-checks its key: a revoked key's streams end within this time. */
  /** Dashboard sessions (POST /v1/session): lifetime in Redis and of the cookie. */
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 3600),
  /** The session cookie's Secure flag; false only for a dashboard served over plain http off localhost. */
  SESSION_COOKIE_SECURE: bool.default(true),
  /** Origins allowed to send cookie-authenticated changes besides the API's own host (comma-separated). */
  DASHBOARD_ORIGINS: z.string().default(''),
  KEY_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type MaskletConfig = z.infer<typeof EnvSchema> & { allowedBuckets: string[] };

/** Parses the environment; a missing or malformed variable stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MaskletConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  const allowedBuckets = [
    c.S3_BUCKET,
    ...c.S3_ALLOWED_BUCKETS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  return { ...c, allowedBuckets };
}
