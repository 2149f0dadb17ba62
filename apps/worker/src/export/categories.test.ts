import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Categories } from './categories';

test('one category per label in order of first object id; unlabelled objects share "object"', () => {
  const c = new Categories([
    { objectId: 3, label: 'person' },
    { objectId: 1, label: 'dog' },
    { objectId: 2, label: 'person' },
    { objectId: 7, label: null },
    { objectId: 8, label: '  ' },
  ]);
  assert.deepEqual(c.list, [
    { id: 1, name: 'dog', objectIds: [1] },
    { id: 2, name: 'person', objectIds: [2, 3] },
    { id: 3, name: 'object', objectIds: [7, 8] },
  ]);
  assert.equal(c.of(3).id, 2);
  assert.deepEqual(c.objectIds, [1, 2, 3, 7, 8]);
  assert.throws(() => c.of(9), /object 9 is not one of the job's objects/);
});
