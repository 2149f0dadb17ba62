// @masklet/client: a typed HTTP client of the Masklet API, used by the demo, benches and e2e tests.
export { MaskletClient, MaskletApiError } from './masklet-client';
export { multipartFileBody } from './multipart-body';
export { readServerSentEvents, type ServerSentEvent } from './sse';
export type {
  BatchCreated,
  BatchView,
  ExportFormatName,
  ExportList,
  ExportView,
  JobList,
  JobListQuery,
  JobRequest,
  JobStatus,
  JobView,
  MaskletFrames,
  PreviewRequest,
  PreviewResult,
  RoundList,
  RoundRequest,
  RoundView,
  TracksView,
  VideoList,
  VideoPreviewRequest,
  VideoPreviewResult,
  VideoView,
} from '@masklet/contract';
