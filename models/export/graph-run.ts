/**
 * Runs one ONNX graph on raw float32 inputs for the exporter's graph check (models/export/verify_graphs.py):
 *   tsx models/export/graph-run.ts job.json
 * job.json: { graph, inputs: [{ name, dims, file }], outputs: [name], outDir }. Writes outDir/<name>.bin
 * (float32, little endian) and outDir/outputs.json with each output's dims.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';

const jobSchema = z
  .object({
    graph: z.string().min(1),
    inputs: z.array(
      z.object({ name: z.string(), dims: z.array(z.number().int().nonnegative()), file: z.string() }).strict(),
    ),
    outputs: z.array(z.string()).min(1),
    outDir: z.string().min(1),
  })
  .strict();

function readF32(file: string): Float32Array {
  const buf = readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

async function main(): Promise<void> {
  const jobPath = process.argv[2];
  if (!jobPath) throw new Error('usage: graph-run.ts job.json');
  const job = jobSchema.parse(JSON.parse(readFileSync(jobPath, 'utf8')));
  const session = await ort.InferenceSession.create(job.graph, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of job.inputs) feeds[input.name] = new ort.Tensor('float32', readF32(input.file), input.dims);
  const out = await session.run(feeds, job.outputs);
  const dims: Record<string, readonly number[]> = {};
  for (const name of job.outputs) {
    const tensor = out[name];
    if (!tensor) throw new Error(`graph ${job.graph} has no output ${name}`);
    const data = tensor.data as Float32Array;
    writeFileSync(join(job.outDir, `${name}.bin`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    dims[name] = tensor.dims;
  }
  writeFileSync(join(job.outDir, 'outputs.json'), JSON.stringify(dims));
  await session.release();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
