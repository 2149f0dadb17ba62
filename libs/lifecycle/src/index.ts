export * from './entity-purger';
export * from './purge';
export * from './purge-keys';
export * from './sweeper';
export * from './storage-report';
