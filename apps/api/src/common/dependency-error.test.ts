import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unavailableDependency } from './dependency-error';

test('unavailableDependency names the dependency of driver errors and leaves application errors alone', () => {
  assert.equal(unavailableDependency(new Error('Command timed out')), 'redis');
  assert.equal(unavailableDependency(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' })), 'redis');
  const pgDown = Object.assign(new Error("Can't reach database server"), {
    name: 'PrismaClientKnownRequestError',
    code: 'P1001',
  });
  assert.equal(unavailableDependency(pgDown), 'postgres');
  const adapter = Object.assign(new Error('raw'), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
  });
  assert.equal(unavailableDependency(adapter), 'postgres');
  const unique = Object.assign(new Error('Unique constraint failed'), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2002',
  });
  assert.equal(unavailableDependency(unique), null, 'a constraint violation is not an outage');
  assert.equal(
    unavailableDependency(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }),
    ),
    's3',
  );
  assert.equal(
    unavailableDependency(
      Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    ),
    null,
  );
  assert.equal(unavailableDependency(new Error('wrapped', { cause: new Error('Command timed out') })), 'redis');
  assert.equal(unavailableDependency(new TypeError('x is undefined')), null);
});

test('a Redis mid-failover (demoted primary, too few replicas, no Sentinel reachable) is an outage, other replies are not', () => {
  assert.equal(unavailableDependency(new Error("READONLY You can't write against a read only replica.")), 'redis');
  assert.equal(unavailableDependency(new Error('NOREPLICAS Not enough good replicas to write.')), 'redis');
  assert.equal(
    unavailableDependency(new Error('All sentinels are unreachable. Retrying from scratch after 10ms.')),
    'redis',
  );
  assert.equal(
    unavailableDependency(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
    null,
  );
});
