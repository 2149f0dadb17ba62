// @masklet/queue: the contracts between the API and workers — queue names, typed payloads, job ids.
export * from './queue-names';
export * from './payloads';
export * from './job-ids';
export * from './fair-priority';
export * from './redis-connection';
export * from './cancel-signal';
export * from './job-options';
export * from './preview-payload';
