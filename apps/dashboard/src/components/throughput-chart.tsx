import type { FleetSnapshot } from '../types';

/** Two series over the last hour (one point per minute): frames/s as an area, jobs/min as bars. */
export function ThroughputChart({ points }: { points: FleetSnapshot['throughput'] }) {
  const w = 600;
  const h = 140;
  const pad = 28;
  const maxFps = Math.max(1, ...points.map((p) => p.framesPerSec));
  const maxJobs = Math.max(1, ...points.map((p) => p.jobsPerMin));
  const x = (i: number) => pad + (i / Math.max(1, points.length - 1)) * (w - 2 * pad);
  const yFps = (v: number) => h - pad - (v / maxFps) * (h - 2 * pad);
  const barH = (v: number) => (v / maxJobs) * (h - 2 * pad);
  const area = points.map((p, i) => `${x(i)},${yFps(p.framesPerSec)}`).join(' ');
  const bw = (w - 2 * pad) / Math.max(1, points.length) - 1;
  return (
    <svg
      data-testid="throughput-chart"
      viewBox={`0 0 ${w} ${h}`}
      className="chart"
      role="img"
      aria-label="throughput over the last hour"
    >
      {points.map((p, i) =>
        p.jobsPerMin > 0 ? (
          <rect
            key={p.minute}
            x={x(i) - bw / 2}
            y={h - pad - barH(p.jobsPerMin)}
            width={bw}
            height={barH(p.jobsPerMin)}
            className="bar"
          />
        ) : null,
      )}
      <polyline points={`${x(0)},${h - pad} ${area} ${x(points.length - 1)},${h - pad}`} className="area" />
      <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} className="axis" />
      <text x={pad} y={14} className="label">
        frames/s (max {maxFps.toFixed(1)})
      </text>
      <text x={w - pad} y={14} textAnchor="end" className="label bars">
        jobs/min (max {maxJobs})
      </text>
      <text x={pad} y={h - 8} className="label">
        -60 min
      </text>
      <text x={w - pad} y={h - 8} textAnchor="end" className="label">
        now
      </text>
    </svg>
  );
}
