// @masklet/contract: what the API and its clients agree on, free of Node-only dependencies.
export * from './analytics.schema';
export * from './batch.schema';
export * from './error.schema';
export * from './export-formats';
export * from './exports.schema';
export * from './export-view';
export * from './fleet.schema';
export * from './job-body.schema';
export * from './job.schema';
export * from './masks.schema';
export * from './meta.schema';
export * from './round-body.schema';
export * from './round.schema';
export * from './suggestions.schema';
export * from './video-preview.schema';
export * from './video.schema';
export * from './session.schema';
