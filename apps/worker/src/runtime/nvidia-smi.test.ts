import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { GpuGauges } from './gpu-gauges';
import { GpuSampler } from './gpu-sampler';
import { createLogger } from './logger';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi';

// `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`
// on a two-GPU host, the second a MIG-enabled card that reports no utilisation.
const TWO_GPUS = '0, NVIDIA H100 80GB HBM3, 87, 40125, 81559\n1, NVIDIA A100-SXM4-40GB, [N/A], 1023, 40960\n';
const MIB = 2 ** 20;

test('nvidia-smi lines parse into utilisation fractions and memory bytes; unreported fields are null', () => {
  assert.deepEqual(parseNvidiaSmi(TWO_GPUS), [
    {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      utilisation: 0.87,
      memoryUsedBytes: 40125 * MIB,
      memoryTotalBytes: 81559 * MIB,
    },
    {
      index: 1,
      name: 'NVIDIA A100-SXM4-40GB',
      utilisation: null,
      memoryUsedBytes: 1023 * MIB,
      memoryTotalBytes: 40960 * MIB,
    },
  ]);
  assert.deepEqual(parseNvidiaSmi(''), [], 'no GPU: no lines');
});

test('nvidia-smi output that is not the queried fields is refused, naming the line', () => {
  assert.throws(() => parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate'), /not 5/);
  assert.throws(() => parseNvidiaSmi('0, H100, high, 1, 2'), /not a number: "high"/);
  assert.throws(() => parseNvidiaSmi('x, H100, 1, 1, 2'), /not a number: "x"/);
});

test('GPU gauges carry one series per reported GPU field, and none at all without GPUs', async () => {
  const registry = new Registry();
  const gauges = new GpuGauges(registry);
  gauges.set(parseNvidiaSmi(TWO_GPUS));
  const text = await registry.metrics();
  assert.match(text, /masklet_gpu_utilization_ratio\{gpu="0",name="NVIDIA H100 80GB HBM3"\} 0\.87\n/);
  assert.doesNotMatch(text, /masklet_gpu_utilization_ratio\{gpu="1"/, 'MIG: no utilisation series, not 0');
  assert.match(
    text,
    new RegExp(`masklet_gpu_memory_used_bytes\\{gpu="1",name="NVIDIA A100-SXM4-40GB"\\} ${1023 * MIB}\\n`),
  );
  gauges.set(null);
  assert.doesNotMatch(await registry.metrics(), /^masklet_gpu_\w+\{/m, 'a CPU host exports no GPU samples');
});

test('a host without nvidia-smi reports no GPUs, and does not run it again', async () => {
  const sampler = new GpuSampler(createLogger('silent', 'gpu-test'), '/nonexistent/nvidia-smi');
  assert.equal(await sampler.sample(), null);
  assert.equal(await sampler.sample(), null);
});

/** An executable standing in for nvidia-smi: a shell script with this body. */
async function fakeSmi(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-smi-'));
  const path = join(dir, 'nvidia-smi');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

test('the sampler runs nvidia-smi with the query and parses what it prints', async () => {
  const smi = await fakeSmi(
    `[ "$1" = "${NVIDIA_SMI_ARGS[0]}" ] && [ "$2" = "${NVIDIA_SMI_ARGS[1]}" ] && printf '${TWO_GPUS.replace(/\n/g, '\\n')}'`,
  );
  const sampler = new GpuSampler(createLogger('silent', 'gpu-test'), smi);
  assert.deepEqual(await sampler.sample(), parseNvidiaSmi(TWO_GPUS));
});

test('an nvidia-smi that hangs is killed at the timeout and reports no GPUs', async () => {
  const sampler = new GpuSampler(createLogger('silent', 'gpu-test'), await fakeSmi('exec sleep 5'), 200);
  const started = performance.now();
  assert.equal(await sampler.sample(), null);
  assert.ok(performance.now() - started < 2000, 'bounded by the timeout');
});

test('an nvidia-smi that fails or prints something else reports no GPUs for that beat', async () => {
  const log = createLogger('silent', 'gpu-test');
  assert.equal(await new GpuSampler(log, await fakeSmi('echo "driver not loaded" >&2; exit 9')).sample(), null);
  assert.equal(await new GpuSampler(log, await fakeSmi('echo "No devices were found, sorry"')).sample(), null);
});
