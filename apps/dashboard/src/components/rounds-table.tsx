import type { RoundView } from '../types';

const list = (xs: number[] | undefined, max = 6): string => (!xs || xs.length === 0 ? '-' : xs.length > max ? `${xs.slice(0, max).join(', ')}, ... (${xs.length})` : xs.join(', '));

/** The job's rounds, each with what it changed: prompted frames and objects, removals, frames recomputed. */
export function RoundsTable({ rounds, onSeek }: { rounds: RoundView[]; onSeek: (frame: number) => void }) {
  return (
    <table data-testid="rounds" className="rounds">
      <thead><tr><th>#</th><th>Status</th><th>Prompted frames</th><th>Objects</th><th>Recomputed</th><th>IoU change</th></tr></thead>
      <tbody>
        {rounds.map((r) => (
          <tr key={r.number} data-round={r.number}>
            <td>{r.number}</td>
            <td><span className={`badge ${r.status.toLowerCase()}`}>{r.status}</span></td>
            <td>
              {(r.changedFrames ?? []).slice(0, 6).map((f) => <button key={f} className="link-button" onClick={() => onSeek(f)}>{f}</button>)}
              {(r.changedFrames?.length ?? 0) > 6 && <small> +{r.changedFrames!.length - 6}</small>}
              {(r.changedFrames?.length ?? 0) === 0 && '-'}
            </td>
            <td>{list(r.changedObjects)}{r.removedObjects?.length ? <small> removed {list(r.removedObjects)}</small> : null}</td>
            <td>{r.framesRecomputed ?? '-'}</td>
            <td>{r.meanIouDelta === null ? '-' : r.meanIouDelta.toFixed(3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
