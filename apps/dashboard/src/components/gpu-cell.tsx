import type { WorkerView } from '../types';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** Each GPU of a worker's host: utilisation and memory used / total (nvidia-smi); '-' on a CPU host. */
export function GpuCell({ gpus }: { gpus: WorkerView['gpus'] }) {
  if (gpus.length === 0) return <td data-testid="worker-gpus">-</td>;
  return (
    <td data-testid="worker-gpus" className="gpus">
      {gpus.map((g) => (
        <div key={g.index} title={g.name} data-testid="worker-gpu">
          {g.index}: {g.utilisation === null ? '-' : `${(g.utilisation * 100).toFixed(0)}%`}
          {g.memoryUsedBytes !== null && g.memoryTotalBytes !== null
            ? `, ${gib(g.memoryUsedBytes)} / ${gib(g.memoryTotalBytes)}`
            : ''}
        </div>
      ))}
    </td>
  );
}
