export * from './davis-sequence';
export * from './evaluate-sequence';
