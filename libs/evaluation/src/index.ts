export * from './davis-sequence';
export * from './evaluate-sequence';
export * from './simulated-annotator';
export * from './rank-correlation';
export * from './leave-one-out';
