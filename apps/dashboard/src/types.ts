// The API's wire types, all derived from the zod schemas in @masklet/contract (openapi.json is generated from the same).
import type { z } from 'zod';
import type { BoxSchema, PointSchema, RoundRequest } from '@masklet/contract';

export type {
  AdminJobRow,
  CocoRle,
  FleetSnapshot,
  FrameRange,
  JobAnalyticsView,
  JobStatus,
  JobView,
  MaskletFrames as FrameMasks,
  PreviewResult,
  RoundView,
  SuggestionsView,
  TracksView,
  VideoView,
  WorkerView,
} from '@masklet/contract';

/** A click as the prompt schemas take it (label 1 positive, 0 negative). */
export type Point = z.input<typeof PointSchema>;
export type Box = z.input<typeof BoxSchema>;
export type RoundDirection = NonNullable<RoundRequest['direction']>;
