import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTN, DEC } from './config';
import { findVariant, REFERENCE_VARIANTS, withVariant } from './variants';

test('withVariant: the variant’s constants hold inside build and the shipped ones come back, also after a throw', () => {
  const shipped = DEC.priorInside;
  const seen = withVariant(findVariant('symmetric-prior'), () => DEC.priorInside);
  assert.equal(seen, 12);
  assert.equal(DEC.priorInside, shipped);
  assert.throws(
    () =>
      withVariant(findVariant('global-colour-model'), () => {
        throw new Error('build failed');
      }),
    /build failed/,
  );
  assert.equal(ATTN.localPseudoCount, 0.5);
});

test('withVariant: unknown constants and names are refused, and nothing is left changed', () => {
  const before = DEC.priorInside;
  assert.throws(
    () => withVariant({ name: 'bad', means: '', set: { 'DEC.priorInside': 1, 'DEC.noSuchConstant': 3 } }, () => 0),
    /variant bad: DEC.noSuchConstant is not a numeric constant of ATTN \/ DEC/,
  );
  assert.equal(DEC.priorInside, before);
  assert.throws(() => findVariant('nope'), /unknown reference variant "nope" \(known: shipped, /);
});

test('every registered variant changes only existing numeric constants, to another value', () => {
  for (const v of REFERENCE_VARIANTS) {
    withVariant(v, () => undefined);
    for (const [key, value] of Object.entries(v.set)) {
      const [section, field] = key.split('.') as ['ATTN' | 'DEC', string];
      const shipped = ({ ATTN, DEC }[section] as unknown as Record<string, number>)[field];
      assert.notEqual(value, shipped, `${v.name}: ${key} equals the shipped value`);
    }
  }
});
