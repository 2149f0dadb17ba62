// @masklet/client: a typed HTTP client of the Masklet API, used by the demo, benches and e2e tests.
export { MaskletClient, MaskletApiError, type MaskletFrames } from './masklet-client';
export { multipartFileBody } from './multipart-body';
export { readServerSentEvents, type ServerSentEvent } from './sse';
export type { ExportFormatName, ExportList, ExportView, JobList, JobStatus, JobView, VideoList, VideoView } from '@masklet/contract';
