/**
 * Writes a generated model: one .onnx file per role and a manifest.json with their sha256. Files are
 * written to a temporary name and renamed, the manifest last, so a concurrent reader never sees a
 * manifest that points at half-written graphs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphBuilder } from '@masklet/onnx-builder';

/** File name of each role's graph. */
export const ROLE_FILES: Record<string, string> = {
  imageEncoder: 'image_encoder.onnx',
  memoryAttention: 'memory_attention.onnx',
  maskDecoder: 'mask_decoder.onnx',
  memoryEncoder: 'memory_encoder.onnx',
  maskPrompt: 'mask_prompt.onnx',
  objPtrTposProj: 'obj_ptr_tpos_proj.onnx',
  constants: 'constants.onnx',
};

export interface ModelSpec {
  /** Every manifest field except `roles`. */
  manifest: Record<string, unknown>;
  /** Role name -> graph builder (called once each). */
  roles: Record<string, () => GraphBuilder>;
}

export interface WrittenModel {
  manifestPath: string;
  files: { role: string; file: string; bytes: number; sha256: string }[];
}

function atomicWrite(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function writeModel(dir: string, spec: ModelSpec, sourceHash: string): WrittenModel {
  mkdirSync(dir, { recursive: true });
  const roles: Record<string, { file: string; sha256: string; inputs: object; outputs: object }> = {};
  const files: WrittenModel['files'] = [];
  for (const [role, build] of Object.entries(spec.roles)) {
    const file = ROLE_FILES[role];
    if (!file) throw new Error(`no file name for role ${role}`);
    const bytes = build().toModel({ producer: 'masklet-model-generator' });
    const digest = sha256(bytes);
    atomicWrite(join(dir, file), bytes);
    roles[role] = { file, sha256: digest, inputs: {}, outputs: {} };
    files.push({ role, file, bytes: bytes.length, sha256: digest });
  }
  const given = spec.manifest.description;
  const description = `${typeof given === 'string' ? given : ''} [generator source ${sourceHash}]`.trim();
  const manifest = { ...spec.manifest, description, roles };
  const manifestPath = join(dir, 'manifest.json');
  atomicWrite(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifestPath, files };
}
