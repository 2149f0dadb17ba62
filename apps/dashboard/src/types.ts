// Shapes of the API responses the dashboard reads (see /docs for the full contract).
export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface WorkerView {
  id: string;
  host: string;
  pid: number;
  device: string;
  model: string;
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

export interface JobView {
  id: string;
  status: JobStatus;
  videoId: string;
  batchId: string | null;
  model: string;
  progress: number;
  framesDone: number;
  framesTotal: number;
  currentRound: number;
  error: { code: string; message: string } | null;
  objects?: { id: number; label: string | null; framesPresent: number; meanArea: number | null }[];
  createdAt: string;
  finishedAt: string | null;
}

export interface VideoView {
  id: string;
  width: number | null;
  height: number | null;
  fps: number | null;
  frameCount: number | null;
  status: string;
}

export interface RoundView {
  number: number;
  status: string;
  framesRecomputed: number | null;
  meanIouDelta: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface TracksView {
  round: number;
  framesTotal: number;
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

export interface PreviewResult {
  frame: number;
  objectId: number;
  round: number;
  rle: CocoRle;
  area: number;
  ms: number;
}
