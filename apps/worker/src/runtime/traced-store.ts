import type { ObjectStore } from '@masklet/storage';
import { inSpan, SpanKind } from '@masklet/telemetry';
import { workerTracer } from './instrumented';

/** The calls that write to S3: each runs in an `s3 <method>` CLIENT span naming the key. */
const WRITES = new Set<string | symbol>(['putBuffer', 'putStream', 'delete']);

/** `store` with its writes traced, as children of whatever span is active (a job, a chunk). */
export function tracedStore(store: ObjectStore): ObjectStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'forBucket') return (bucket: string) => tracedStore(target.forBucket(bucket));
      if (!WRITES.has(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (key: string, ...rest: unknown[]) =>
        inSpan(
          workerTracer(),
          `s3 ${String(prop)}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'aws.s3.key': key,
              ...(Buffer.isBuffer(rest[0]) ? { 'masklet.bytes': rest[0].length } : {}),
            },
          },
          () => (value as (...a: unknown[]) => Promise<unknown>).call(target, key, ...rest),
        );
    },
  });
}
