import { rangeSize } from '../frame-range';
import type { FrameRange, JobView, RoundView } from '../types';

/**
 * The job's own progress (frames of its range with masks, any round) and, apart, the current round's.
 * Without the API's `round` field (older APIs report the round's counts as the job's), the job counts
 * as complete once any round succeeded.
 */
export function JobProgress({ job, range, rounds }: { job: JobView; range: FrameRange; rounds: RoundView[] }) {
  const total = rangeSize(range);
  const legacyDone = rounds.some((r) => r.status === 'SUCCEEDED') ? total : Math.min(job.framesDone, total);
  const done = job.round ? job.framesDone : legacyDone;
  const round = job.round ?? {
    number: job.currentRound,
    status: job.status,
    framesDone: job.framesDone,
    framesTotal: job.framesTotal,
    progress: job.progress,
  };
  return (
    <div className="progress-row">
      <progress data-testid="job-progress" value={total ? done / total : 0} max={1} />{' '}
      <span data-testid="job-frames">
        {done}/{total}
      </span>{' '}
      frames (
      <span data-testid="job-range">
        {range.start}-{range.end}
      </span>
      )
      <span className="round-progress">
        round <span data-testid="job-round">{job.currentRound}</span>:{' '}
        <span className={`badge ${round.status.toLowerCase()}`}>{round.status}</span>{' '}
        <span data-testid="round-frames">
          {round.framesDone}/{round.framesTotal}
        </span>{' '}
        frames
      </span>
      {job.error && (
        <span className="error">
          {' '}
          {job.error.code}: {job.error.message}
        </span>
      )}
    </div>
  );
}
