import { Gauge, type Registry } from 'prom-client';
import type { GpuSample } from './nvidia-smi';

/**
 * Per-GPU gauges, labelled by index and name. Only what nvidia-smi reported has a sample: a CPU worker
 * exports no GPU series at all (absent, not zero), so dashboards never average a missing GPU in as idle.
 */
export class GpuGauges {
  private readonly utilisation: Gauge;
  private readonly memoryUsed: Gauge;
  private readonly memoryTotal: Gauge;

  constructor(registry: Registry) {
    const labelNames = ['gpu', 'name'];
    this.utilisation = new Gauge({
      name: 'masklet_gpu_utilization_ratio',
      help: 'GPU busy fraction as nvidia-smi reports it (0..1)',
      labelNames,
      registers: [registry],
    });
    this.memoryUsed = new Gauge({
      name: 'masklet_gpu_memory_used_bytes',
      help: 'GPU memory in use (every process on the GPU)',
      labelNames,
      registers: [registry],
    });
    this.memoryTotal = new Gauge({
      name: 'masklet_gpu_memory_total_bytes',
      help: 'GPU memory',
      labelNames,
      registers: [registry],
    });
  }

  /** Replaces every GPU series with this sample (none: no series). */
  set(samples: readonly GpuSample[] | null): void {
    for (const g of [this.utilisation, this.memoryUsed, this.memoryTotal]) g.reset();
    for (const s of samples ?? []) {
      const labels = { gpu: String(s.index), name: s.name };
      if (s.utilisation !== null) this.utilisation.set(labels, s.utilisation);
      if (s.memoryUsedBytes !== null) this.memoryUsed.set(labels, s.memoryUsedBytes);
      if (s.memoryTotalBytes !== null) this.memoryTotal.set(labels, s.memoryTotalBytes);
    }
  }
}
