import type { Prisma } from '@masklet/db';
import type { JobRows } from './job-rows';

type Tx = Prisma.TransactionClient;

const ROWS_PER_STATEMENT = 5000;

/**
 * Inserts jobs, objects, prompts and rounds with one `INSERT ... SELECT FROM unnest(arrays)` per table
 * and chunk: a constant number of parameters whatever the row count, which keeps 10,000-job batches
 * well above 1000 jobs/s (Prisma's createMany binds every field of every row).
 */
export async function bulkInsertJobs(tx: Tx, tenantId: string, rows: JobRows[], now: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    await insertJobs(tx, tenantId, part, now);
    await insertObjects(tx, part);
    await insertPrompts(tx, part);
    await insertRounds(tx, part, now);
  }
}

async function insertJobs(tx: Tx, tenantId: string, rows: JobRows[], now: Date): Promise<void> {
  const j = rows.map((r) => r.job);
  await tx.$executeRawUnsafe(
    `INSERT INTO "Job" ("id","tenantId","videoId","batchId","model","options","status","priority","framesTotal","frameStart","frameEnd","idempotencyKey","webhookUrl","currentRound","createdAt","updatedAt")
     SELECT t.id, $1::uuid, t.vid, t.bid, t.model, t.opts::jsonb, 'QUEUED'::"JobStatus", t.prio, t.ft, t.fs, t.fe, t.ik, t.wh, 1, $2::timestamp(3), $2::timestamp(3)
     FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[])
       AS t(id, vid, bid, model, opts, prio, ft, fs, fe, ik, wh)`,
    tenantId,
    now,
    j.map((x) => x.id),
    j.map((x) => x.videoId),
    j.map((x) => x.batchId ?? null),
    j.map((x) => x.model),
    j.map((x) => JSON.stringify(x.options)),
    j.map((x) => x.priority ?? 5),
    j.map((x) => x.framesTotal ?? 0),
    j.map((x) => x.frameStart ?? 0),
    j.map((x) => x.frameEnd ?? -1),
    j.map((x) => x.idempotencyKey ?? null),
    j.map((x) => x.webhookUrl ?? null),
  );
}

async function insertObjects(tx: Tx, rows: JobRows[]): Promise<void> {
  const o = rows.flatMap((r) => r.objects);
  await tx.$executeRawUnsafe(
    `INSERT INTO "JobObject" ("id","jobId","objectId","label","createdInRound")
     SELECT t.id, t.jid, t.oid, t.label, 1 FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[]) AS t(id, jid, oid, label)`,
    o.map((x) => x.id),
    o.map((x) => x.jobId),
    o.map((x) => x.objectId),
    o.map((x) => x.label ?? null),
  );
}

async function insertPrompts(tx: Tx, rows: JobRows[]): Promise<void> {
  const p = rows.flatMap((r) => r.prompts);
  const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
  await tx.$executeRawUnsafe(
    `INSERT INTO "Prompt" ("id","jobId","round","objectId","frame","kind","points","box","mask","createdAt")
     SELECT t.id, t.jid, 1, t.oid, t.frame, t.kind::"PromptKind", t.points::jsonb, t.box::jsonb, t.mask::jsonb, now()
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(id, jid, oid, frame, kind, points, box, mask)`,
    p.map((x) => x.id),
    p.map((x) => x.jobId),
    p.map((x) => x.objectId),
    p.map((x) => x.frame),
    p.map((x) => x.kind),
    p.map((x) => json(x.points)),
    p.map((x) => json(x.box)),
    p.map((x) => json(x.mask)),
  );
}

async function insertRounds(tx: Tx, rows: JobRows[], now: Date): Promise<void> {
  const r = rows.map((x) => x.round);
  const intArray = (v: unknown): string => `{${(Array.isArray(v) ? v : []).join(',')}}`;
  await tx.$executeRawUnsafe(
    `INSERT INTO "Round" ("id","jobId","number","status","direction","apiKeyId","changedFrames","changedObjects","removedObjects","createdAt")
     SELECT t.id, t.jid, 1, 'QUEUED'::"RoundStatus", t.dir, t.kid, '{}'::int[], t.co::int[], '{}'::int[], $1::timestamp(3)
     FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[]) AS t(id, jid, dir, kid, co)`,
    now,
    r.map((x) => x.id),
    r.map((x) => x.jobId),
    r.map((x) => x.direction),
    r.map((x) => x.apiKeyId ?? null),
    r.map((x) => intArray(x.changedObjects)),
  );
}
