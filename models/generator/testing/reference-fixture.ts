/** Shared setup of the reference model tests: the generated model, its sessions and constants. */
import { loadManifest, LoadedManifest } from '../../../libs/engine/src/manifest/load-manifest';
import { ensureModel } from '../ensure-model';
import { REF } from '../reference/config';
import { closeRoles, data, openRoles } from './ort-run';
import { ModelDims, Sessions } from './pipeline';
import { Disc, makeScene, normalise } from './scene';

export const DIMS: ModelDims = {
  S: REF.imageSize,
  C: REF.hiddenDim,
  Cm: REF.memoryDim,
  H: REF.featureSize,
  Hm: REF.memorySize,
  L: REF.lowResMaskSize,
  numMaskmem: REF.numMaskmem,
};

export interface Fixture {
  loaded: LoadedManifest;
  sessions: Sessions;
  consts: { tpos: Float32Array; noMem: Float32Array; noObjPtr: Float32Array };
  close(): Promise<void>;
}

export async function openReference(): Promise<Fixture> {
  const loaded = await loadManifest(await ensureModel('reference'));
  const sessions = await openRoles(loaded.files);
  const c = await sessions.constants!.run({});
  return {
    loaded,
    sessions,
    consts: { tpos: data(c.maskmemTposEnc), noMem: data(c.noMemEmbed), noObjPtr: data(c.noObjPtr) },
    close: () => closeRoles(sessions),
  };
}

export function image(discs: readonly Disc[], seed = 7): Float32Array {
  return normalise(makeScene(REF.imageSize, discs, seed), REF.mean, REF.std);
}

export const RED: [number, number, number] = [0.9, 0.2, 0.2];
