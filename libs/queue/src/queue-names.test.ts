import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deploymentQueueNames,
  kindsNeedModel,
  parseQueueKinds,
  previewQueueName,
  queueKind,
  workerQueueNames,
} from './queue-names';

test('preview is a per-model kind: preview.<model>, consumed only for the models a worker serves', () => {
  assert.equal(previewQueueName('sam2.1-tiny'), 'preview.sam2.1-tiny');
  assert.throws(() => previewQueueName('a:b'), /cannot name a queue/);
  assert.equal(queueKind('preview.sam2.1-tiny'), 'preview');
  assert.equal(queueKind('segment.sam2.1-tiny'), 'segment');
  assert.equal(queueKind('preview'), null, 'the bare kind names no queue');
  assert.equal(queueKind('webhook'), 'webhook');
  assert.deepEqual(workerQueueNames(['preview', 'ingest'], ['a', 'b']), ['preview.a', 'preview.b', 'ingest']);
  assert.deepEqual(deploymentQueueNames(['a']), ['ingest', 'segment.a', 'preview.a', 'export', 'webhook']);
  assert.deepEqual(parseQueueKinds('preview'), ['preview']);
  assert.equal(kindsNeedModel(['preview']), true);
  assert.equal(kindsNeedModel(['segment']), true);
  assert.equal(kindsNeedModel(['ingest', 'export', 'webhook']), false);
});
