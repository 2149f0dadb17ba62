/**
 * What `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total
 * --format=csv,noheader,nounits` prints: one line per GPU, utilisation in percent and memory in MiB.
 * A field the GPU does not report (MIG slices print "[N/A]" for utilisation) is null.
 */
// A type, not an interface: it goes into the Worker row's JSON as is.
export type GpuSample = {
  index: number;
  name: string;
  /** 0..1 over nvidia-smi's sample period. */
  utilisation: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
};

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,utilization.gpu,memory.used,memory.total',
  '--format=csv,noheader,nounits',
] as const;

const MIB = 2 ** 20;

function reading(field: string): number | null {
  if (/^\[.*\]$/.test(field)) return null;
  const n = Number(field);
  if (field === '' || !Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(field)}`);
  return n;
}

/** The GPUs of one nvidia-smi run; throws on a line that is not five fields (the caller logs it). */
export function parseNvidiaSmi(text: string): GpuSample[] {
  const out: GpuSample[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length !== 5) throw new Error(`nvidia-smi line has ${fields.length} fields, not 5: ${line}`);
    const [index, name, util, used, total] = fields as [string, string, string, string, string];
    const i = reading(index);
    if (i === null || !Number.isInteger(i)) throw new Error(`nvidia-smi line has no GPU index: ${line}`);
    const u = reading(util);
    const m = reading(used);
    const t = reading(total);
    out.push({
      index: i,
      name,
      utilisation: u === null ? null : u / 100,
      memoryUsedBytes: m === null ? null : m * MIB,
      memoryTotalBytes: t === null ? null : t * MIB,
    });
  }
  return out;
}
