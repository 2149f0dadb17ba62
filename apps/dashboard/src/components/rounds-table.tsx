import type { RoundView } from '../types';

const list = (xs: number[] | undefined, max = 6): string =>
  !xs || xs.length === 0 ? '-' : xs.length > max ? `${xs.slice(0, max).join(', ')}, ... (${xs.length})` : xs.join(', ');

/**
 * The job's rounds, each with what it changed: prompted frames and objects, removals, frames recomputed.
 * `prompted` (round -> frames, from the lanes' markers) fills in rounds that do not list their frames.
 */
export function RoundsTable({
  rounds,
  prompted,
  onSeek,
}: {
  rounds: RoundView[];
  prompted: Map<number, number[]>;
  onSeek: (frame: number) => void;
}) {
  return (
    <div className="table-scroll">
      <table data-testid="rounds" className="rounds">
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            <th title="frames the round prompted">Frames</th>
            <th title="objects the round prompted">Obj.</th>
            <th title="frames the round recomputed">Recomp.</th>
            <th title="mean IoU change against the round before">ΔIoU</th>
          </tr>
        </thead>
        <tbody>
          {rounds
            .map((r) => ({
              ...r,
              changedFrames: r.changedFrames?.length ? r.changedFrames : (prompted.get(r.number) ?? []),
            }))
            .map((r) => (
              <tr key={r.number} data-round={r.number}>
                <td>{r.number}</td>
                <td>
                  <span className={`badge ${r.status.toLowerCase()}`}>{r.status}</span>
                </td>
                <td>
                  {(r.changedFrames ?? []).slice(0, 6).map((f) => (
                    <button key={f} className="link-button" onClick={() => onSeek(f)}>
                      {f}
                    </button>
                  ))}
                  {(r.changedFrames?.length ?? 0) > 6 && <small> +{r.changedFrames.length - 6}</small>}
                  {(r.changedFrames?.length ?? 0) === 0 && '-'}
                </td>
                <td>
                  {list(r.changedObjects)}
                  {r.removedObjects?.length ? <small> removed {list(r.removedObjects)}</small> : null}
                </td>
                <td>{r.framesRecomputed ?? '-'}</td>
                <td>{r.meanIouDelta === null ? '-' : r.meanIouDelta.toFixed(3)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
