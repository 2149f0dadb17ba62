/** Placeholder until the SAM 2.1-tiny-shaped graphs land. */
import type { ModelSpec } from '../write-model';

export function shapeTestModel(): ModelSpec {
  throw new Error('not yet');
}
