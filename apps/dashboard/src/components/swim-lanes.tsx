import { cssColour } from '../masks';
import type { TracksView } from '../types';

/** One lane per object: bars where it is present, triangles where prompts were given; click to seek. */
export function SwimLanes({ tracks, frame, onSeek }: { tracks: TracksView; frame: number; onSeek: (frame: number) => void }) {
  const n = Math.max(1, tracks.framesTotal);
  const laneH = 22;
  const labelW = 90;
  const w = 800;
  const x = (f: number) => labelW + (f / n) * (w - labelW - 8);
  const h = tracks.objects.length * laneH + 18;
  const seek = (e: React.MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * w;
    if (px >= labelW) onSeek(Math.min(n - 1, Math.max(0, Math.floor(((px - labelW) / (w - labelW - 8)) * n))));
  };
  return (
    <svg data-testid="swim-lanes" viewBox={`0 0 ${w} ${h}`} className="lanes" onClick={seek}>
      {tracks.objects.map((o, i) => (
        <g key={o.id} data-testid="lane" data-object={o.id} transform={`translate(0, ${i * laneH})`}>
          <text x={4} y={15} className="label">{o.label ?? `object ${o.id}`}{o.removedInRound ? ' (removed)' : ''}</text>
          <rect x={labelW} y={4} width={w - labelW - 8} height={laneH - 8} className="lane-bg" />
          {o.present.map(([a, b]) => (
            <rect key={a} data-testid="presence" x={x(a)} y={5} width={Math.max(1, x(b) - x(a))} height={laneH - 10} fill={cssColour(o.id, 0.85)} />
          ))}
          {o.prompts.map((p, k) => (
            <path key={k} data-testid="prompt-marker" d={`M ${x(p.frame + 0.5)} ${laneH - 2} l -4 -6 l 8 0 z`} className="marker">
              <title>{`round ${p.round}: ${p.kind} on frame ${p.frame}`}</title>
            </path>
          ))}
        </g>
      ))}
      <line x1={x(frame + 0.5)} x2={x(frame + 0.5)} y1={0} y2={h - 14} className="cursor" />
      <text x={labelW} y={h - 2} className="label">0</text>
      <text x={w - 8} y={h - 2} textAnchor="end" className="label">{n - 1}</text>
    </svg>
  );
}
