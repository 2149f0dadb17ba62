// @masklet/contract: what the API and its clients agree on, free of Node-only dependencies.
export * from './export-formats';
export * from './exports.schema';
export * from './export-view';
export * from './job.schema';
export * from './video.schema';
export * from './session.schema';
