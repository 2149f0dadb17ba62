// @masklet/masklets: how masks leave a worker and reach a client — chunk files in S3 and compact
// per-object track statistics in Postgres.
export * from './chunk-format';
export * from './chunk-keys';
export * from './track-stats';
export * from './track-signals';
export * from './suggestions';
export * from './round-view';
export * from './checkpoint-store';
export * from './frame-range';
export * from './session-options';
