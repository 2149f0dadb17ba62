/** Injection tokens of the shared infrastructure (explicit: tsx/esbuild emits no decorator metadata). */
export const CONFIG = Symbol('CONFIG');
export const PRISMA = Symbol('PRISMA');
export const REDIS = Symbol('REDIS');
export const OBJECT_STORE = Symbol('OBJECT_STORE');
export const QUEUES_TOKEN = Symbol('QUEUES');
export const LOGGER = Symbol('LOGGER');
