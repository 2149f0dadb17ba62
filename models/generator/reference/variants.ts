/**
 * Alternatives to hand-set constants of the reference model that were chosen while looking at the
 * DAVIS-2016 dev sequences. `npm run eval -- <dir> --loo` generates the shipped model and each
 * variant, and chooses among them by leave-one-out: a choice that only suits some sequences shows as
 * folds choosing differently and as a held-out score below the shipped model's own mean.
 */
import { ATTN, DEC } from './config';

const SECTIONS = { ATTN, DEC } as const;
type Section = keyof typeof SECTIONS;
export type VariantKey = `${Section}.${string}`;

export interface ReferenceVariant {
  name: string;
  /** What the alternative does instead of the shipped constant. */
  means: string;
  set: Readonly<Record<VariantKey, number>>;
}

export const REFERENCE_VARIANTS: readonly ReferenceVariant[] = [
  { name: 'shipped', means: 'the constants in config.ts', set: {} },
  {
    name: 'global-colour-model',
    means: 'local colour models shrunk hard to the memory’s global one (pseudo-count 30, not 0.5)',
    set: { 'ATTN.localPseudoCount': 30 },
  },
  {
    name: 'symmetric-prior',
    means: 'the spatial prior pulls as hard inside the previous mask as outside it (12, not 5)',
    set: { 'DEC.priorInside': 12 },
  },
  {
    name: 'unsmoothed-colour',
    means: 'the per-pixel colour log-ratio is not averaged over 3 x 3 pixels',
    set: { 'DEC.smoothPasses': 0 },
  },
  {
    name: 'box-smoothed-colour',
    means: 'the colour log-ratio averaged over all 3 x 3 cells, not only those of similar appearance',
    set: { 'DEC.smoothAmongSimilar': 0 },
  },
  {
    name: 'no-em-step',
    means: 'every pixel inside the prior samples the local object model, whatever the global model says',
    set: { 'ATTN.localFgAgreement': 4 },
  },
  {
    name: 'ring-background-when-lost',
    means: 'a lost object is searched for against the ring’s colours alone, not also the whole frame’s',
    set: { 'ATTN.lostFrameBackground': 0 },
  },
  {
    name: 'click-rim-counts',
    means: 'the rim of a clicked region keeps a full logit, so its blended pixels enter the object’s colour model',
    set: { 'DEC.rimDrop': 0 },
  },
  {
    name: 'sub-cell-motion',
    means: 'the object’s global shift refined between whole cells and applied bilinearly before per-cell matching',
    set: { 'ATTN.subCellMotion': 1 },
  },
  {
    name: 'cell-boundaries',
    means: 'no sub-cell boundaries: the logits stay as each stride-4 cell decides them',
    set: { 'DEC.subCellDetail': 0 },
  },
  {
    name: 'sub-cell-global-detail',
    means:
      'a stride-2 pixel’s colour counts with the global colour term’s weight alone in placing a boundary inside its cell',
    set: { 'DEC.subCellDetail': 0.5 },
  },
];

export function findVariant(name: string): ReferenceVariant {
  const v = REFERENCE_VARIANTS.find((x) => x.name === name);
  if (!v)
    throw new Error(`unknown reference variant "${name}" (known: ${REFERENCE_VARIANTS.map((x) => x.name).join(', ')})`);
  return v;
}

/**
 * Runs build (which must read the constants synchronously, as the graph builders do) with the
 * variant's constants in place, and puts the shipped values back afterwards, also on a throw.
 */
export function withVariant<T>(variant: ReferenceVariant, build: () => T): T {
  const saved: [Record<string, unknown>, string, unknown][] = [];
  try {
    for (const [key, value] of Object.entries(variant.set)) {
      const [section, field, ...rest] = key.split('.');
      const target = SECTIONS[section as Section] as unknown as Record<string, unknown> | undefined;
      if (!target || !field || rest.length > 0 || typeof target[field] !== 'number')
        throw new Error(
          `variant ${variant.name}: ${key} is not a numeric constant of ${Object.keys(SECTIONS).join(' / ')}`,
        );
      saved.push([target, field, target[field]]);
      target[field] = value;
    }
    return build();
  } finally {
    for (const [target, field, value] of saved.reverse()) target[field] = value;
  }
}
