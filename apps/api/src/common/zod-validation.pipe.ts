import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** "jobs[12].objects[0].prompts[0].frame" from a zod issue path. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

export interface Issue {
  path: string;
  message: string;
  /** A specific error code for the issue (DUPLICATE_OBJECT_ID...), else the answer is VALIDATION_FAILED. */
  code?: string;
}

export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((i) => {
    const keys = (i as { keys?: string[] }).keys;
    const path = formatPath(i.path, prefix);
    const message = i.code === 'unrecognized_keys' && keys ? `unknown field(s) ${keys.join(', ')}` : i.message;
    const apiCode = (i as { params?: { apiCode?: string } }).params?.apiCode;
    return { path: path || '(body)', message, ...(apiCode ? { code: apiCode } : {}) };
  });
}

export function validationError(issues: Issue[]): ApiError {
  const unknown = issues.every((i) => i.message.startsWith('unknown field'));
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  const code = issues[0]?.code ?? (unknown ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED');
  return new ApiError(400, code, summary + more, issues.slice(0, 100));
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(zodIssues(r.error, prefix));
  return r.data;
}

/** Validates a body or query with a zod schema at the edge; unknown fields are rejected by strict schemas. */
@Injectable()
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    return parseOrThrow(this.schema, value);
  }
}
