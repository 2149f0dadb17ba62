import type { ObjectStore, StoredObject } from '@masklet/storage';
import type { Categories } from './categories';
import type { RoundMasks } from './round-masks';

/** What a format's writer gets: the round's masks, what the job says about them, and where to write. */
export interface ExportInput {
  masks: RoundMasks;
  meta: ExportMeta;
  store: ObjectStore;
  key: string;
  contentType: string;
  /** The source video on local disk (only the overlay reads it); release it when done. */
  openVideo(): Promise<{ path: string; release(): void }>;
  scratchDir: string;
}

export interface ExportMeta {
  jobId: string;
  videoId: string;
  videoName: string | null;
  round: number;
  fps: number | null;
  /** Frames of the source video (masks may cover fewer: a job's frame range). */
  videoFrames: number | null;
  categories: Categories;
}

export type ExportWriter = (input: ExportInput) => Promise<StoredObject>;
