import { useEffect, useState } from 'react';
import type { FrameRange } from '../types';

/** Play / pause and a slider over `range` (the job's frames, or the whole video before a job exists). */
export function FrameScrubber({
  range,
  frame,
  onFrame,
  ready,
}: {
  range: FrameRange;
  frame: number;
  onFrame: (f: number) => void;
  ready: boolean;
}) {
  const [playing, setPlaying] = useState(false);
  // The next frame only once the current one is drawn (`ready`), so playback never outruns decoding.
  useEffect(() => {
    if (!playing || !ready) return;
    const t = setTimeout(() => (frame < range.end ? onFrame(frame + 1) : setPlaying(false)), 120);
    return () => clearTimeout(t);
  }, [playing, ready, frame, range.end, onFrame]);
  return (
    <div className="scrubber">
      <button onClick={() => setPlaying(!playing)}>{playing ? 'Pause' : 'Play'}</button>
      <input
        data-testid="scrubber"
        type="range"
        min={range.start}
        max={range.end}
        value={frame}
        onChange={(e) => onFrame(Number(e.target.value))}
      />
      <span data-testid="frame-number">
        frame {frame} / {range.end}
      </span>
    </div>
  );
}
