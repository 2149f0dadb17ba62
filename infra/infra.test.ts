/**
 * Static checks of the deployment artefacts (no docker engine or helm binary needed):
 *   node --import tsx --test infra/infra.test.ts
 * - Chart.yaml / values.yaml parse; every `.Values.x.y` a template uses exists in values.yaml;
 * - template blocks balance and every `include` has a `define`;
 * - the chart's environment (config, secrets.keys, literal env names) only names variables of
 *   libs/config/src/config.ts's schema, and the schema's required variables are supplied;
 * - worker pools: values.worker.pools consume only queue kinds of libs/queue and together all of them, previews
 *   in an interactive pool of their own that never scales to zero, and the templates spell the kinds and the
 *   per-model (segment, preview) queue names as libs/queue does;
 * - the Dockerfile has the promised stages, entrypoint roles, non-root user and ffmpeg;
 * - .dockerignore keeps host state out without hiding what the Dockerfile copies;
 * - values.yaml validates against values.schema.json, which rejects typos and wrong types;
 * - alert rules and the Grafana dashboard query only metrics the code registers; probes and network
 *   policies name container ports the deployments declare.
 * Nothing here renders the templates (there is no Go template engine): template logic (the per-pool
 * loop, the KEDA query's escaping, `fail` guards) is checked by its text only; `helm template` and
 * `helm lint` on a machine with helm are what prove it renders, and Kubernetes admission of the output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { previewQueueName, QUEUE_KINDS, segmentQueueName } from '@masklet/queue';

const ROOT = resolve(__dirname, '..');
const CHART = join(ROOT, 'infra', 'helm', 'masklet');
const TEMPLATES = join(CHART, 'templates');
const DOCKER = join(ROOT, 'infra', 'docker');

type Yaml = Record<string, unknown>;

const read = (path: string): string => readFileSync(path, 'utf8');
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

function templateFiles(): string[] {
  return readdirSync(TEMPLATES)
    .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
    .map((f) => join(TEMPLATES, f));
}

const values = parse(read(join(CHART, 'values.yaml'))) as Yaml;

/** Names of the variables in EnvSchema (read as text, so the chart cannot drift from the code). */
function schemaVariables(): Map<string, { required: boolean }> {
  const src = read(join(ROOT, 'libs', 'config', 'src', 'config.ts'));
  const start = src.indexOf('const EnvSchema = z.object({');
  assert.ok(start >= 0, 'EnvSchema = z.object({ not found in libs/config/src/config.ts');
  const end = src.indexOf('\n});', start);
  assert.ok(end > start, 'end of EnvSchema not found');
  const body = src.slice(start, end);
  const vars = new Map<string, { required: boolean }>();
  // `  NAME: z....,` at two spaces (comments are skipped by the anchored pattern); a declaration runs to the
  // next variable, as prettier may spread its chain over several lines.
  const starts = [...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*):/gm)];
  starts.forEach((m, i) => {
    const decl = body.slice(m.index, starts[i + 1]?.index ?? body.length);
    vars.set(m[1]!, { required: !/\.default\(|\.optional\(\)/.test(decl) });
  });
  assert.ok(vars.size >= 10, `suspiciously few schema variables parsed: ${[...vars.keys()].join(', ')}`);
  return vars;
}

/** Paths like `config.API_PORT` from `.Values.config.API_PORT` / `$.Values.config.API_PORT`. */
function valuesReferences(text: string): string[] {
  return [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1]!.slice(1));
}

function lookup(root: Yaml, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (!isMap(cur) || !(key in cur)) return { found: false };
    cur = cur[key];
  }
  return { found: true, value: cur };
}

test('Chart.yaml is a v2 application chart with semver version and appVersion', () => {
  const chart = parse(read(join(CHART, 'Chart.yaml'))) as Yaml;
  assert.equal(chart.apiVersion, 'v2');
  assert.equal(chart.name, 'masklet');
  assert.equal(chart.type, 'application');
  assert.match(String(chart.version), /^\d+\.\d+\.\d+(-[\w.]+)?$/);
  assert.equal(typeof chart.appVersion, 'string', 'appVersion must be a quoted string');
  assert.ok(existsSync(join(CHART, 'README.md')), 'chart README.md');
  assert.ok(existsSync(join(TEMPLATES, '_helpers.tpl')), '_helpers.tpl');
});

test('every .Values path used by the templates exists in values.yaml', () => {
  const missing: string[] = [];
  let count = 0;
  for (const file of templateFiles()) {
    for (const path of valuesReferences(read(file))) {
      count++;
      if (!lookup(values, path).found) missing.push(`${file.slice(CHART.length + 1)}: .Values.${path}`);
    }
  }
  assert.ok(count > 50, `only ${count} .Values references found: is the regex broken?`);
  assert.deepEqual([...new Set(missing)], []);
});

test('template actions balance and every include has a define', () => {
  const defined = new Set<string>();
  const included: string[] = [];
  for (const file of templateFiles()) {
    const text = read(file);
    const name = file.slice(CHART.length + 1);
    assert.equal((text.match(/\{\{/g) ?? []).length, (text.match(/\}\}/g) ?? []).length, `${name}: {{ / }} count`);
    const actions = [...text.matchAll(/\{\{-?\s*(\/\*[\s\S]*?\*\/|[\s\S]*?)\s*-?\}\}/g)].map((m) => m[1]!.trim());
    let depth = 0;
    for (const a of actions) {
      if (a.startsWith('/*')) continue;
      if (/^(if|range|with|define|block)\b/.test(a)) depth++;
      else if (/^end\b/.test(a)) depth--;
      assert.ok(depth >= 0, `${name}: {{ end }} without an opening block`);
      const d = /^define\s+"([^"]+)"/.exec(a);
      if (d) defined.add(d[1]!);
      for (const inc of a.matchAll(/\binclude\s+"([^"]+)"/g)) included.push(`${name}:${inc[1]!}`);
    }
    assert.equal(depth, 0, `${name}: unclosed if/range/with/define`);
  }
  for (const ref of included) {
    const tpl = ref.slice(ref.indexOf(':') + 1);
    assert.ok(defined.has(tpl), `${ref}: no define "${tpl}"`);
  }
});

test('chart environment names only variables of libs/config (and supplies the required ones)', () => {
  const schema = schemaVariables();
  const config = values.config;
  assert.ok(isMap(config), 'values.config must be a map');
  for (const [name, value] of Object.entries(config)) {
    assert.ok(schema.has(name), `values.config.${name} is not a variable of libs/config/src/config.ts`);
    assert.equal(typeof value, 'string', `values.config.${name} must be a string (numbers would render as floats)`);
  }
  const secrets = values.secrets;
  assert.ok(isMap(secrets) && isMap(secrets.keys), 'values.secrets.keys must be a map');
  for (const name of Object.keys(secrets.keys)) {
    assert.ok(schema.has(name), `values.secrets.keys.${name} is not a variable of libs/config/src/config.ts`);
    assert.ok(!(name in config), `${name} is both in config and in secrets.keys`);
  }
  // Literal `- name: FOO` env entries written in the templates (MASKLET_MODEL, MASKLET_PROVIDERS, DATABASE_URL, ...).
  for (const file of templateFiles()) {
    for (const m of read(file).matchAll(/-\s+name:\s+([A-Z][A-Z0-9_]*)\s*$/gm)) {
      assert.ok(schema.has(m[1]!), `${file.slice(CHART.length + 1)}: env ${m[1]} is not a variable of libs/config`);
    }
  }
  const supplied = new Set([...Object.keys(config), ...Object.keys(secrets.keys)]);
  for (const [name, { required }] of schema) {
    if (required) assert.ok(supplied.has(name), `${name} is required by libs/config but the chart never sets it`);
  }
  // Ports the templates read must be numbers a Kubernetes port accepts.
  for (const port of ['API_PORT', 'WORKER_METRICS_PORT', 'API_METRICS_PORT'] as const) {
    assert.match(String(config[port]), /^\d+$/, `config.${port}`);
  }
  assert.equal(config.WORKER_METRICS_PORT, '9464');
  assert.equal(config.API_METRICS_PORT, '9465');
});

test('worker chart settings: GPU limit, GPU placement, grace period, model volume, probes, scrape annotations', () => {
  const worker = values.worker as Yaml;
  const gpu = worker.gpu as Yaml;
  assert.equal(gpu.resourceName, 'nvidia.com/gpu');
  assert.ok(isMap(worker.nodeSelector) && Array.isArray(worker.tolerations));
  assert.ok(
    Number(worker.terminationGracePeriodSeconds) >= 60,
    'worker grace period must leave time for a frame hand-back',
  );
  const model = values.model as Yaml;
  assert.equal(model.mountPath, '/models');
  const workerTpl = read(join(TEMPLATES, 'worker-deployment.yaml'));
  assert.doesNotMatch(workerTpl, /^\s*(preStop|lifecycle):/m, 'the worker relies on SIGTERM alone (no preStop hook)');
  assert.match(workerTpl, /- worker\b/);
  assert.match(workerTpl, /prometheus\.io\/scrape/);
  assert.match(read(join(TEMPLATES, '_helpers.tpl')), /name: MASKLET_MODELS\n/);
  assert.match(read(join(TEMPLATES, '_helpers.tpl')), /name: MASKLET_DEFAULT_MODEL\n/);
  const apiTpl = read(join(TEMPLATES, 'api-deployment.yaml'));
  assert.match(apiTpl, /- api\b/);
  assert.match(apiTpl, /path: \/healthz/);
  assert.match(apiTpl, /path: \/readyz/);
  assert.match(apiTpl, /prometheus\.io\/port: \{\{ \.Values\.config\.API_METRICS_PORT/);
  assert.doesNotMatch(
    apiTpl,
    /prometheus\.io\/port: \{\{ \.Values\.config\.API_PORT/,
    'the public port serves no metrics',
  );
  const job = read(join(TEMPLATES, 'migrate-job.yaml'));
  assert.match(job, /helm\.sh\/hook: pre-install,pre-upgrade/);
  assert.match(job, /args: \["migrate"\]/);
  assert.ok(existsSync(join(TEMPLATES, 'worker-hpa.yaml')));
});

test('worker pools: each consumes queue kinds of libs/queue, together all of them; GPU only on the engine pools', () => {
  const worker = values.worker as Yaml;
  const pools = worker.pools as Yaml[];
  assert.ok(Array.isArray(pools) && pools.length >= 2, 'values.worker.pools lists the pools');
  const names = pools.map((p) => String(p.name));
  assert.equal(new Set(names).size, names.length, `pool names repeat: ${names.join(', ')}`);
  for (const pool of pools) {
    const name = String(pool.name);
    assert.match(name, /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'pool names are short DNS labels');
    const queues = pool.queues as string[];
    assert.ok(Array.isArray(queues) && queues.length > 0, `pool ${name} has queues`);
    for (const q of queues)
      assert.ok((QUEUE_KINDS as readonly string[]).includes(q), `pool ${name}: ${q} is not a queue kind of libs/queue`);
    const engine = queues.includes('segment') || queues.includes('preview');
    assert.equal(pool.gpu, engine, `pool ${name}: a GPU exactly when it runs the engine (segment, preview)`);
    if (!engine)
      assert.ok(
        !pool.models || (pool.models as unknown[]).length === 0,
        `pool ${name} lists models without running the engine`,
      );
  }
  assert.deepEqual(
    [...new Set(pools.flatMap((p) => p.queues as string[]))].sort(),
    [...QUEUE_KINDS].sort(),
    'every queue kind has a pool',
  );
  const segmentPools = pools.filter((p) => (p.queues as string[]).includes('segment'));
  assert.deepEqual(
    segmentPools.map((p) => p.queues),
    [['segment']],
    'the default segment pool does nothing else',
  );
  const previewPools = pools.filter((p) => (p.queues as string[]).includes('preview'));
  assert.deepEqual(
    previewPools.map((p) => [p.name, p.queues]),
    [['interactive', ['preview']]],
    'previews have an interactive pool of their own, never behind segment jobs',
  );
  assert.ok(
    Number((previewPools[0]!.keda as Yaml | undefined)?.minReplicas) >= 1,
    'the interactive pool never scales to zero (previews would be 503 until a pod loads the model)',
  );

  const tpl = read(join(TEMPLATES, 'worker-deployment.yaml'));
  const helpers = read(join(TEMPLATES, '_helpers.tpl'));
  // The kinds the templates check pools against are libs/queue's, in its order.
  for (const text of [tpl, helpers]) {
    const kinds = /list ((?:"[a-z]+" ?)+)\)?\)? *(?:\}\}|\))/.exec(text.slice(text.indexOf('"ingest"') - 6));
    assert.ok(kinds, 'a list of queue kinds in the template');
    assert.deepEqual(
      kinds[1]!
        .trim()
        .split(' ')
        .map((k) => JSON.parse(k) as string),
      [...QUEUE_KINDS],
    );
  }
  assert.equal(segmentQueueName('m'), 'segment.m');
  assert.match(helpers, /printf "segment\.%s" \./, 'segment queue names as segmentQueueName spells them');
  assert.equal(previewQueueName('m'), 'preview.m');
  assert.match(helpers, /printf "preview\.%s" \./, 'preview queue names as previewQueueName spells them');
  assert.match(
    tpl,
    /\$engine := or \(has "segment" \$pool\.queues\) \(has "preview" \$pool\.queues\)/,
    'preview pools get their models and the model volume as segment pools do',
  );
  assert.match(tpl, /\{\{- range \$pool := \.Values\.worker\.pools \}\}/, 'one Deployment per pool');
  assert.match(tpl, /name: \{\{ include "masklet\.fullname" \$ \}\}-worker-\{\{ \$pool\.name \}\}/);
  assert.match(tpl, /masklet\.io\/pool: \{\{ \$pool\.name \}\}\n {2}template:/, 'the selector tells pools apart');
  assert.match(tpl, /- name: WORKER_QUEUES\n\s+value: \{\{ join "," \$pool\.queues \| quote \}\}/);
  assert.match(tpl, /- name: WORKER_MODELS\n\s+value: \{\{ include "masklet\.poolModels" \$ctx \| quote \}\}/);
  assert.match(tpl, /\$gpu := and \$gpuPool \$\.Values\.worker\.gpu\.enabled/);
  assert.match(tpl, /\{\{- if \$gpu \}\}\n\s+- name: MASKLET_PROVIDERS/, 'cuda only on GPU pools');
  assert.match(tpl, /\{\{- if \$gpu \}\}\n\s+\{\{- \$limits := default/, 'GPU limit only on GPU pools');
  for (const f of ['worker-scaledobject.yaml', 'worker-hpa.yaml']) {
    const t = read(join(TEMPLATES, f));
    assert.match(t, /\{\{- range \$pool := \.Values\.worker\.pools \}\}/, `${f}: one autoscaler per pool`);
    assert.match(
      t,
      /name: \{\{ include "masklet\.fullname" \$ \}\}-worker-\{\{ \$pool\.name \}\}\n/,
      `${f} targets the pool's Deployment`,
    );
  }
  assert.match(
    read(join(TEMPLATES, 'worker-scaledobject.yaml')),
    /masklet_queue_jobs\{queue=~\\"%s\\",state=~\\"waiting\|prioritized\|active\\"\}.*include "masklet\.poolQueueRegex" \$ctx/,
  );
  assert.match(
    read(join(TEMPLATES, 'worker-hpa.yaml')),
    /key: queue\n\s+operator: In[\s\S]*include "masklet\.poolQueueNames" \$ctx/,
  );
  assert.ok(!('query' in (worker.keda as Yaml)), 'the KEDA query is built per pool, not a single value');
});

test('redis in the chart and in local services keeps its queues: AOF fsynced every second on a volume', () => {
  const redis = values.redis as Yaml;
  assert.equal(redis.appendfsync, 'everysec');
  assert.equal(redis.maxmemoryPolicy, 'noeviction', 'BullMQ keys must never be evicted');
  assert.ok(isMap(redis.persistence) && String(redis.persistence.size).length > 0);
  const tpl = read(join(TEMPLATES, 'redis-statefulset.yaml'));
  assert.match(tpl, /kind: StatefulSet/);
  assert.match(tpl, /"--appendonly", "yes"/);
  assert.match(tpl, /volumeClaimTemplates:/);
  assert.match(tpl, /mountPath: \/data/);
  const services = read(join(ROOT, 'scripts', 'services.mjs'));
  assert.match(services, /'--appendonly',\s+'yes'/);
  assert.match(services, /'--appendfsync',\s+'everysec'/);
});

/** Dockerfile instructions (continuation lines joined), split into stages. */
function dockerStages(): { name: string; from: string; lines: string[] }[] {
  const text = read(join(DOCKER, 'Dockerfile')).replace(/\\\n/g, ' ');
  const stages: { name: string; from: string; lines: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2] ?? '', lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

test('Dockerfile: node:20-bookworm-slim stages deps/build/runtime, WORKER_BASE, non-root runtime with ffmpeg', () => {
  const text = read(join(DOCKER, 'Dockerfile'));
  assert.match(text, /^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  assert.match(text, /^ARG WORKER_BASE=node:20-bookworm-slim$/m);
  const stages = dockerStages();
  const byName = new Map(stages.map((s) => [s.name, s]));
  for (const name of ['deps', 'prod-deps', 'build', 'runtime']) assert.ok(byName.has(name), `stage ${name}`);
  assert.equal(stages.at(-1)?.name, 'runtime', 'the final (default) stage is runtime');
  assert.equal(byName.get('runtime')!.from, '${WORKER_BASE}');

  const deps = byName.get('deps')!.lines.join('\n');
  assert.match(deps, /COPY package\.json package-lock\.json \.npmrc/);
  assert.match(deps, /RUN ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund/);
  assert.doesNotMatch(read(join(ROOT, '.npmrc')), /onnxruntime/, 'npm warns about unknown project config keys');

  const prod = byName.get('prod-deps')!.lines.join('\n');
  assert.match(
    prod,
    /RUN ONNXRUNTIME_NODE_INSTALL=skip npm install --omit=dev/,
    'prod-deps installs production dependencies only',
  );
  assert.match(prod, /onnxruntime-node\/script\/install/, 'the CUDA EP lands in the production node_modules');

  const build = byName.get('build')!.lines.join('\n');
  assert.match(build, /npm run build/);
  assert.match(build, /PRISMA_SCHEMA_ENGINE_BINARY=\/app\/package\.json/);
  assert.match(build, /npm run db:generate/);
  assert.match(build, /npm run models:reference/);
  assert.match(build, /npm run dashboard:build/);
  assert.ok(existsSync(join(ROOT, 'package.json')));
  const scripts = (JSON.parse(read(join(ROOT, 'package.json'))) as { scripts: Record<string, string> }).scripts;
  for (const s of ['build', 'db:generate', 'models:reference', 'dashboard:build'])
    assert.ok(scripts[s], `package.json script ${s}`);

  const runtime = byName.get('runtime')!.lines;
  const rt = runtime.join('\n');
  // The runtime stage copies named build outputs and production node_modules, never the whole build tree.
  const copies = runtime.filter((l) => /^COPY --from=(build|prod-deps|deps)\s/.test(l));
  assert.ok(!copies.some((l) => /^COPY --from=deps\s/.test(l)), 'runtime copies nothing from deps (devDependencies)');
  assert.ok(
    copies.some((l) => l === 'COPY --from=prod-deps /app/node_modules /app/node_modules'),
    'production node_modules',
  );
  for (const c of copies.filter((l) => l.startsWith('COPY --from=build '))) {
    const src = c.split(/\s+/)[2]!;
    assert.ok(src !== '/app' && src !== '/app/', `runtime copies the whole build tree: ${c}`);
  }
  for (const path of ['/app/dist', '/app/prisma/migrations', '/app/models/reference', '/app/apps/dashboard/dist']) {
    assert.ok(
      copies.some((l) => l.startsWith(`COPY --from=build ${path} `)),
      `runtime copies ${path}`,
    );
  }
  assert.match(rt, /apt-get install[^\n]*\bffmpeg\b/);
  assert.match(rt, /COPY --from=node \/usr\/local\/bin\/node/);
  const users = runtime.filter((l) => /^USER\s/i.test(l));
  assert.ok(users.length > 0, 'runtime stage sets USER');
  const user = users.at(-1)!.split(/\s+/)[1]!.split(':')[0]!;
  assert.ok(user !== 'root' && user !== '0', `runtime USER is ${user}`);
  assert.match(rt, /useradd[^\n]*--uid 10001/);
  const psc = values.podSecurityContext as Yaml;
  assert.equal(String(psc.runAsUser), user, 'chart runAsUser matches the image USER');
  assert.match(rt, /^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/app\/infra\/docker\/entrypoint\.sh"\]$/m);
});

test('entrypoint roles api/worker/migrate/cli exec compiled dist/ files whose sources exist', () => {
  const path = join(DOCKER, 'entrypoint.sh');
  const sh = read(path);
  assert.ok(sh.startsWith('#!/bin/sh'));
  assert.ok((statSync(path).mode & 0o111) !== 0, 'entrypoint.sh is executable');
  const roles = new Map<string, string>();
  for (const m of sh.matchAll(/^\s{2}(\w+)\)\s*\n(?:\s+shift\s*\n)?\s+exec node (dist\/\S+\.js)/gm))
    roles.set(m[1]!, m[2]!);
  assert.doesNotMatch(sh, /tsx/, 'the image runs compiled JavaScript');
  for (const role of ['api', 'worker', 'migrate', 'cli']) {
    const file = roles.get(role);
    assert.ok(file, `entrypoint role ${role}`);
    const source = file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    assert.ok(existsSync(join(ROOT, source)), `role ${role} runs ${file}, whose source ${source} does not exist`);
  }
});

test('.dockerignore keeps host state out and does not hide what the Dockerfile copies', () => {
  const patterns = read(join(ROOT, '.dockerignore'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const p of ['.git', '**/node_modules', '.tmp', 'test/artifacts', 'models/*/*.onnx']) {
    assert.ok(patterns.includes(p), `.dockerignore lacks ${p}`);
  }
  for (const needed of [
    'package.json',
    'package-lock.json',
    '.npmrc',
    'prisma',
    'infra',
    'apps',
    'libs',
    'models',
    'scripts',
  ]) {
    assert.ok(!patterns.includes(needed), `.dockerignore hides ${needed}`);
  }
});

test('values.yaml satisfies values.schema.json, which rejects unknown keys and wrong types', () => {
  const schema = JSON.parse(read(join(CHART, 'values.schema.json'))) as object;
  const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
  assert.ok(validate(values), JSON.stringify(validate.errors));
  const variant = (path: string, value: unknown): Yaml => {
    const copy = structuredClone(values);
    const keys = path.split('.');
    let cur = copy;
    for (const k of keys.slice(0, -1)) cur = cur[k] as Yaml;
    cur[keys.at(-1)!] = value;
    return copy;
  };
  const rejected: [string, unknown][] = [
    ['worker.replica', 2],
    ['api.replicas', 'two'],
    ['image.pullPolicy', 'Sometimes'],
    ['podDisruptionBudget.worker', { minAvailable: 1, maxUnavailable: 1 }],
    ['monitoring.prometheusRule.alerts.failureRatio', 2],
    ['networkPolicy.privateRanges', ['not-a-cidr']],
  ];
  for (const [path, value] of rejected)
    assert.equal(validate(variant(path, value)), false, `${path}=${JSON.stringify(value)} must be rejected`);
});

test('redis.sentinel: values and schema map to REDIS_SENTINELS / REDIS_SENTINEL_NAME, bad lists are refused', () => {
  const sentinel = (values.redis as Yaml).sentinel as Yaml;
  assert.equal(sentinel.enabled, false, 'Sentinel mode is opt-in');
  assert.equal(typeof sentinel.masterName, 'string');
  const vars = schemaVariables();
  const helpers = read(join(TEMPLATES, '_helpers.tpl'));
  assert.match(
    helpers,
    /- name: REDIS_SENTINELS\n\s+value: \{\{ required "[^"]+" \(join "," \.Values\.redis\.sentinel\.sentinels\) \| quote \}\}/,
  );
  assert.match(
    helpers,
    /- name: REDIS_SENTINEL_NAME\n\s+value: \{\{ required "[^"]+" \.Values\.redis\.sentinel\.masterName \| quote \}\}/,
  );
  assert.match(helpers, /if \.Values\.redis\.enabled \}\}\n\{\{- fail "redis\.sentinel\.enabled needs an external/);
  for (const name of ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'])
    assert.ok(vars.has(name), `${name} is a config variable`);
  const secrets = values.secrets as Yaml;
  assert.equal((secrets.keys as Yaml).REDIS_SENTINEL_PASSWORD, 'REDIS_SENTINEL_PASSWORD');
  assert.ok(
    (secrets.optionalKeys as string[]).includes('REDIS_SENTINEL_PASSWORD'),
    'Sentinels without a password need no key',
  );

  const schema = JSON.parse(read(join(CHART, 'values.schema.json'))) as object;
  const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
  const withRedis = (redis: Yaml): Yaml => ({ ...values, redis: { ...(values.redis as Yaml), ...redis } });
  const on = (extra: Yaml): Yaml => withRedis({ sentinel: { ...sentinel, enabled: true, ...extra } });
  assert.ok(
    validate(on({ sentinels: ['redis-sentinel-0.redis:26379', '10.0.0.7:26379', '[fd00::1]:26379'] })),
    JSON.stringify(validate.errors),
  );
  assert.equal(validate(on({ sentinels: [] })), false, 'enabled with no Sentinels');
  assert.equal(validate(on({ sentinels: ['redis-sentinel:'] })), false, 'a Sentinel without a port');
  assert.equal(validate(on({ sentinels: ['a:1'], masterName: '' })), false, 'an empty master name');
  assert.equal(
    validate(withRedis({ enabled: true, sentinel: { ...sentinel, enabled: true, sentinels: ['a:1'] } })),
    false,
    'bundled single node plus Sentinel',
  );
});

/** Metric names registered in code: prom-client `name:` fields plus the default process metrics of each prefix. */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(full);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const src = read(full);
        for (const m of src.matchAll(/name: '(masklet_[a-z0-9_]+)'/g)) names.add(m[1]!);
        for (const m of src.matchAll(/collectDefaultMetrics\(\{[^}]*prefix: '([a-z_]+)'/g))
          names.add(`${m[1]}process_resident_memory_bytes`);
      }
    }
  };
  walk(join(ROOT, 'apps'));
  walk(join(ROOT, 'libs'));
  return names;
}

function queriedMetrics(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\b(masklet_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''))),
  ];
}

test('alert rules and the Grafana dashboard query only metrics the code registers', () => {
  const known = registeredMetrics();
  const rules = read(join(TEMPLATES, 'prometheusrule.yaml'));
  for (const alert of [
    'QueuedJobsTooOld',
    'QueueBacklogTooOld',
    'JobStalled',
    'JobFailureRate',
    'WorkerHeartbeatsMissing',
  ]) {
    assert.match(rules, new RegExp(`alert: Masklet${alert}\\b`), `alert ${alert}`);
  }
  const dashboard = JSON.parse(read(join(CHART, 'dashboards', 'masklet.json'))) as {
    panels: { targets: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
  assert.ok(dashboard.panels.length >= 8, 'dashboard panels');
  for (const [where, text] of [
    ['prometheusrule.yaml', rules],
    ['dashboards/masklet.json', exprs],
  ] as const) {
    const used = queriedMetrics(text);
    assert.ok(used.length >= 4, `${where} queries metrics`);
    const unknown = used.filter((n) => !known.has(n));
    assert.deepEqual(unknown, [], `${where} queries metrics no code registers`);
  }
  assert.match(read(join(TEMPLATES, 'grafana-dashboard.yaml')), /\.Files\.Get "dashboards\/masklet\.json"/);
  const helmignore = existsSync(join(CHART, '.helmignore')) ? read(join(CHART, '.helmignore')) : '';
  assert.doesNotMatch(helmignore, /dashboards|\*\.json/, '.helmignore must keep the dashboard in the chart');
});

test('probes, PDBs, monitors and network policies name ports and components the deployments declare', () => {
  const api = read(join(TEMPLATES, 'api-deployment.yaml'));
  const worker = read(join(TEMPLATES, 'worker-deployment.yaml'));
  assert.match(api, /- name: http\b/);
  assert.match(api, /- name: metrics\b/);
  assert.match(worker, /- name: metrics\b/);
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
    assert.match(worker, new RegExp(`${probe}:\\s+httpGet:`), `worker ${probe} is an HTTP probe`);
  assert.match(worker, /readinessProbe:\s+httpGet:\s+path: \/readyz/);
  assert.doesNotMatch(worker, /tcpSocket/, 'no bare TCP liveness');
  const policies = read(join(TEMPLATES, 'networkpolicy.yaml'));
  assert.match(policies, /port: http\b/);
  assert.match(policies, /port: metrics\b/);
  assert.match(policies, /169\.254|privateRanges/);
  assert.ok(
    (values.networkPolicy as Yaml).privateRanges &&
      ((values.networkPolicy as Yaml).privateRanges as string[]).includes('169.254.0.0/16'),
    'metadata endpoint excluded',
  );
  const pdb = read(join(TEMPLATES, 'pdb.yaml'));
  assert.match(pdb, /kind: PodDisruptionBudget/);
  assert.match(pdb, /list "api" "worker"/);
  const monitors = read(join(TEMPLATES, 'servicemonitor.yaml'));
  // Both components are scraped on their metrics port; nothing scrapes the API's public http port.
  assert.doesNotMatch(monitors, /port: http\b/);
  const podMonitors = [...monitors.matchAll(/kind: PodMonitor[\s\S]*?component: (\w+)[\s\S]*?- port: metrics/g)];
  assert.deepEqual(
    podMonitors.map((m) => m[1]),
    ['api', 'worker'],
  );
  assert.match(policies, /\$apiMetricsPort[\s\S]*port: metrics[\s\S]*metricsFrom/);
});
