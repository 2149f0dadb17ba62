/**
 * npm run demo — the platform end to end on this machine: starts the API and a worker, creates a tenant and an
 * API key, then
 *   1. a generated clip whose masks are known exactly: one click per object, IoU per object against the truth;
 *   2. each real clip in ../shared/data/videos with prompts chosen on its first frame (scripts/demo/prompts/);
 *   3. a DAVIS-2016 sequence from ../shared/data/davis2016, prompted with its frame-0 ground truth: J&F.
 * Every part uploads, submits a job, follows it with a progress bar and writes the masks as DAVIS-palette PNGs
 * under .tmp/demo/. Parts 2 and 3 are skipped when ../shared/data is absent. The stack stays up with its URLs
 * printed until Ctrl-C (DEMO_EXIT=1 stops at once).
 *
 * DEMO_FRAMES (120): length of the generated clip. DEMO_REAL_FRAMES (90): frames per real clip.
 * DEMO_DAVIS (blackswan) / DEMO_DAVIS_FRAMES (all): the DAVIS sequence and how much of it.
 */
import { resolve } from 'node:path';
import { MaskletClient } from '@masklet/client';
import { loadConfig } from '@masklet/config';
import { createPrismaClient } from '@masklet/db';
import { TenantAdminService } from '../apps/api/src/auth/tenant-admin.service';
import { davisPart } from './demo/davis-part';
import { realClipsPart } from './demo/real-clips-part';
import { startStackProcesses } from './demo/stack-processes';
import { syntheticPart } from './demo/synthetic-part';

const OUT = resolve('.tmp/demo');
// DEMO_DATA: where the real clips and DAVIS sequences are (default ../shared/data beside the checkout).
const SHARED = resolve(process.env.DEMO_DATA ?? '../shared/data');

async function createTenantKey(databaseUrl: string): Promise<{ tenant: string; key: string }> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const admin = new TenantAdminService(prisma);
    const tenant = await admin.createTenant(`demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], 'demo');
    return { tenant: tenant.id, key: key.key };
  } finally {
    await prisma.$disconnect();
  }
}

function envInt(name: string, fallback: number | undefined): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${v}: expected a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const port = Number(process.env.DEMO_API_PORT ?? config.API_PORT);
  console.log('starting the API and a worker ...');
  const stack = await startStackProcesses(port);
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log('\nstopping the API and the worker ...');
      await stack.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const { tenant, key } = await createTenantKey(config.DATABASE_URL);
    console.log(`tenant ${tenant}\napi key ${key}`);
    console.log(`dashboard ${stack.apiUrl}/ui/ (log in with the api key; the jobs below appear as they run)`);
    const client = new MaskletClient(stack.apiUrl, key);
    const synthetic = await syntheticPart(client, OUT, envInt('DEMO_FRAMES', 120)!);
    const real = await realClipsPart(client, resolve(SHARED, 'videos'), OUT, envInt('DEMO_REAL_FRAMES', 90)!);
    const davis = await davisPart(
      client,
      resolve(SHARED, 'davis2016'),
      process.env.DEMO_DAVIS || 'blackswan',
      resolve(OUT, 'davis'),
      envInt('DEMO_DAVIS_FRAMES', undefined),
    );
    const jobUrl = (id: string): string => `${stack.apiUrl}/ui/#/jobs/${id}`;
    console.log(`\ndashboard  ${stack.apiUrl}/ui/   (log in with the api key above)`);
    console.log(`jobs       ${jobUrl(synthetic.jobId)}   (generated clip)`);
    for (const r of real) console.log(`           ${jobUrl(r.jobId)}   (${r.file}: ${r.labels.join(', ')})`);
    if (davis) console.log(`           ${jobUrl(davis.jobId)}   (DAVIS ${davis.sequence})`);
    console.log(`queues     ${stack.apiUrl}/admin/queues   (bull-board, after logging in on the dashboard)`);
    console.log(`API        ${stack.apiUrl}`);
    console.log(`OpenAPI    ${stack.apiUrl}/docs`);
    console.log(
      `metrics    API: http://127.0.0.1:${config.API_METRICS_PORT}/metrics   worker: http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics`,
    );
    console.log(`try:       curl -H 'Authorization: Bearer ${key}' ${stack.apiUrl}/v1/jobs`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stop(1);
  }
  if (process.env.DEMO_EXIT === '1') await stop(0);
  console.log('\nthe stack stays up; Ctrl-C stops it.');
}

void main();
