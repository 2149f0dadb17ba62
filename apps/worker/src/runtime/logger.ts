import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs on stdout, one line per event; every line carries the worker id. */
export function createLogger(level: string, workerId: string): Logger {
  return pino({ level, base: { service: 'worker', workerId }, timestamp: pino.stdTimeFunctions.isoTime });
}
