import type { MouseEvent } from 'react';
import { cssColour } from '../masks';
import type { FrameRange, TracksView } from '../types';

export interface SwimLanesProps {
  tracks: TracksView;
  /** The job's frames: the axis runs over exactly these, whatever a round recomputed. */
  range: FrameRange;
  frame: number;
  onSeek: (frame: number) => void;
  /** Clicks not yet committed (hollow markers). */
  pending?: { objectId: number; frame: number }[];
  /** Labels typed in this session, over the stored ones. */
  labels?: Map<number, string>;
}

const LANE_H = 22;
const LABEL_W = 110;
const W = 800;

/** One lane per object: bars where it is present, a triangle per prompt of every round; click to seek. */
export function SwimLanes({ tracks, range, frame, onSeek, pending = [], labels }: SwimLanesProps) {
  const n = range.end - range.start + 1;
  const span = W - LABEL_W - 8;
  const x = (f: number) => LABEL_W + ((f - range.start) / n) * span;
  const h = tracks.objects.length * LANE_H + 18;
  const seek = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * W;
    if (px >= LABEL_W)
      onSeek(Math.min(range.end, Math.max(range.start, range.start + Math.floor(((px - LABEL_W) / span) * n))));
  };
  const inRange = (f: number) => f >= range.start && f <= range.end;
  return (
    <svg
      data-testid="swim-lanes"
      data-start={range.start}
      data-end={range.end}
      viewBox={`0 0 ${W} ${h}`}
      className="lanes"
      onClick={seek}
    >
      {tracks.objects.map((o, i) => (
        <g key={o.id} data-testid="lane" data-object={o.id} transform={`translate(0, ${i * LANE_H})`}>
          <text x={4} y={15} className="label">
            {labels?.get(o.id) || o.label || `object ${o.id}`}
            {o.removedInRound ? ' (removed)' : ''}
          </text>
          <rect x={LABEL_W} y={4} width={span} height={LANE_H - 8} className="lane-bg" />
          {o.present
            .map(([a, b]) => [Math.max(a, range.start), Math.min(b, range.end + 1)] as const)
            .filter(([a, b]) => b > a)
            .map(([a, b]) => (
              <rect
                key={a}
                data-testid="presence"
                x={x(a)}
                y={5}
                width={Math.max(1, x(b) - x(a))}
                height={LANE_H - 10}
                fill={cssColour(o.id, 0.85)}
              />
            ))}
          {o.prompts
            .filter((p) => inRange(p.frame))
            .map((p, k) => (
              <path
                key={k}
                data-testid="prompt-marker"
                data-frame={p.frame}
                data-round={p.round}
                d={`M ${x(p.frame + 0.5)} ${LANE_H - 2} l -5 -8 l 10 0 z`}
                className={p.round > 1 ? 'marker correction' : 'marker'}
              >
                <title>{`round ${p.round}: ${p.kind.toLowerCase()} on frame ${p.frame}`}</title>
              </path>
            ))}
          {pending
            .filter((p) => p.objectId === o.id && inRange(p.frame))
            .map((p) => (
              <path
                key={`p${p.frame}`}
                data-testid="pending-marker"
                data-frame={p.frame}
                d={`M ${x(p.frame + 0.5)} ${LANE_H - 2} l -5 -8 l 10 0 z`}
                className="marker pending"
              >
                <title>{`not committed: frame ${p.frame}`}</title>
              </path>
            ))}
        </g>
      ))}
      <line data-testid="lanes-cursor" x1={x(frame + 0.5)} x2={x(frame + 0.5)} y1={0} y2={h - 14} className="cursor" />
      <text x={LABEL_W} y={h - 2} className="label" data-testid="lanes-first">
        {range.start}
      </text>
      <text x={W - 8} y={h - 2} textAnchor="end" className="label" data-testid="lanes-last">
        {range.end}
      </text>
    </svg>
  );
}
