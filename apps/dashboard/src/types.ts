// Shapes of the API responses the dashboard reads; jobs come from the zod schemas in @masklet/contract,
// the rest are still to move there (openapi.json has the full contract).
import type { FrameRange, JobStatus } from '@masklet/contract';

export type { FrameRange, JobStatus, JobView, VideoView } from '@masklet/contract';

export interface WorkerView {
  id: string;
  host: string;
  pid: number;
  device: string;
  model: string;
  /** The models it serves and the queues it consumes. */
  models: string[];
  queues: string[];
  state: 'BUSY' | 'IDLE' | 'STALE' | 'STOPPED';
  currentJobId: string | null;
  fps: number;
  cpuUtilisation: number | null;
  rssBytes: number;
  systemMemory: { totalBytes: number; freeBytes: number } | null;
  framesProcessed: number;
  jobsCompleted: number;
  jobsFailed: number;
  inferenceMsPerRole: Record<string, { calls: number; meanMs: number }>;
  heartbeatAt: string;
  heartbeatAgeMs: number;
}

export interface FleetSnapshot {
  at: string;
  workers: WorkerView[];
  queues: { name: string; counts: Record<string, number> }[];
  throughput: { minute: string; jobsPerMin: number; framesPerSec: number }[];
  failedJobs: { id: string; tenantId: string; tenantName: string; errorCode: string | null; error: string | null; finishedAt: string | null; attempts: number }[];
}

export interface AdminJobRow {
  id: string;
  tenantId: string;
  tenantName: string;
  batchId: string | null;
  status: JobStatus;
  progress: number;
  framesDone: number;
  framesTotal: number;
  currentRound: number;
  errorCode: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Inclusive frames of a job. */
export interface RoundView {
  number: number;
  status: string;
  direction?: string;
  changedFrames?: number[];
  changedObjects?: number[];
  removedObjects?: number[];
  framesRecomputed: number | null;
  meanIouDelta: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface TracksView {
  round: number;
  framesTotal: number;
  frameRange?: FrameRange;
  objects: { id: number; label: string | null; present: [number, number][]; prompts: { frame: number; round: number; kind: string }[]; removedInRound: number | null }[];
}

export interface CocoRle {
  size: [number, number];
  counts: string;
}

export interface FrameMasks {
  width: number;
  height: number;
  frames: { frame: number; objects: { objectId: number; rle: CocoRle; area: number }[] }[];
}

export type Point = { x: number; y: number; label: 0 | 1 };
export type Box = { x0: number; y0: number; x1: number; y1: number };

export interface PreviewResult {
  frame: number;
  objectId: number;
  /** The round the preview started from; null for a video preview (no job yet). */
  round: number | null;
  rle: CocoRle;
  area: number;
  ms: number;
}
