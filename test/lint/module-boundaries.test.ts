// The workspace's own eslint.config.mjs and Nx project graph reject the imports the module boundaries forbid
// (an app reaching into the model generator or another app, the browser dashboard importing a Node-only lib,
// a lib importing an app) and accept the ones the architecture relies on. Type-aware parsing is switched off
// here: the boundary rule needs only the import statements and the project graph, not types.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = resolve(__dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';
let eslint: ESLint;
let graph: ProjectGraph;

before(async () => {
  process.env.NX_DAEMON = 'false';
  // The rule reads the cached project graph (and silently skips without one): compute and cache it first.
  graph = await createProjectGraphAsync({ exitOnError: true });
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], ...tseslint.configs.disableTypeChecked }],
  });
});

/** The boundary rule's messages for `code` linted as if it were the file at `path` (workspace-relative). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  assert.ok(result, 'eslint returned no result');
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet must parse');
  return result.messages.filter((m) => m.ruleId === RULE && m.severity === 2).map((m) => m.message);
}

test('an app importing the model generator is an error', async () => {
  for (const path of ['apps/worker/src/runtime/probe.ts', 'apps/api/src/jobs/probe.ts']) {
    const depth = path.split('/').length - 1;
    const generator = `${'../'.repeat(depth)}models/generator/ensure-model`;
    const errors = await boundaryErrors(path, `import { ensureModel } from '${generator}';\nvoid ensureModel;\n`);
    assert.equal(errors.length, 1, `${path}: ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, /cannot be imported by a relative or absolute path/);
  }
});

test('an app importing another app, and a lib importing an app, are errors', async () => {
  const appToApp = await boundaryErrors(
    'apps/worker/src/probe.ts',
    `import { PreviewService } from '../../api/src/jobs/preview.service';\nvoid PreviewService;\n`,
  );
  assert.equal(appToApp.length, 1, JSON.stringify(appToApp));
  const libToApp = await boundaryErrors(
    'libs/queue/src/probe.ts',
    `import { startWorker } from '../../../apps/worker/src/worker';\nvoid startWorker;\n`,
  );
  assert.equal(libToApp.length, 1, JSON.stringify(libToApp));
});

test('the browser dashboard may not import a Node-only lib (scope tags)', async () => {
  const errors = await boundaryErrors(
    'apps/dashboard/src/probe.ts',
    `import { SamModel } from '@masklet/engine';\nvoid SamModel;\n`,
  );
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0]!, /tagged with "scope:browser" can only depend on libs tagged with "scope:shared"/);
});

test('a lib importing its own package name instead of a relative path is an error', async () => {
  const errors = await boundaryErrors(
    'libs/contract/src/probe.ts',
    `import { EXPORT_FORMATS } from '@masklet/contract';\nvoid EXPORT_FORMATS;\n`,
  );
  assert.equal(errors.length, 1, JSON.stringify(errors));
});

test('the imports the architecture relies on pass', async () => {
  const cases: [string, string][] = [
    [
      'apps/worker/src/probe.ts',
      `import { SamModel } from '@masklet/engine';\nimport { ensureQueues } from '@masklet/queue';`,
    ],
    [
      'apps/dashboard/src/probe.ts',
      `import { fromCocoRle } from '@masklet/masks/rle-string';\nimport { jobView } from '@masklet/contract';`,
    ],
    ['libs/evaluation/src/probe.ts', `import { SamModel } from '@masklet/engine';`],
  ];
  for (const [path, code] of cases) assert.deepEqual(await boundaryErrors(path, `${code}\n`), [], path);
});

/** The workspace projects `project` imports, by the graph Nx infers from the sources. */
function edges(project: string): string[] {
  const deps = graph.dependencies[project];
  assert.ok(deps, `no project ${project} in the graph`);
  return [...new Set(deps.map((d) => d.target).filter((t) => t in graph.nodes))].sort();
}

test('the inferred project graph has the edges the apps are built on', () => {
  assert.ok(edges('api').includes('contract'), `api -> ${edges('api').join(',')}`);
  assert.ok(edges('api').includes('queue'), `api -> ${edges('api').join(',')}`);
  assert.ok(edges('worker').includes('engine'), `worker -> ${edges('worker').join(',')}`);
  assert.ok(edges('worker').includes('storage'), `worker -> ${edges('worker').join(',')}`);
  assert.deepEqual(edges('dashboard'), ['contract', 'masks']);
  assert.deepEqual(edges('client'), ['contract']);
  // Production code never reaches the model generator, tests, tools or another app.
  const apps = Object.values(graph.nodes).filter((n) => n.data.tags?.includes('type:app'));
  const libs = Object.values(graph.nodes).filter((n) => n.data.tags?.includes('type:lib'));
  assert.deepEqual(apps.map((n) => n.name).sort(), ['api', 'dashboard', 'worker']);
  for (const node of [...apps, ...libs]) {
    for (const target of edges(node.name)) {
      assert.deepEqual(
        graph.nodes[target]?.data.tags?.filter((t) => t.startsWith('type:')),
        ['type:lib'],
        `${node.name} -> ${target}`,
      );
    }
  }
});
