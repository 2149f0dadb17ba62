// Wire schemas of the unauthenticated health routes and of the served OpenAPI document.
import { z } from 'zod';

export const LivenessSchema = z.object({ status: z.literal('ok') });

export const ReadinessSchema = z.object({
  status: z.literal('ready'),
  checks: z.object({ postgres: z.literal('ok'), redis: z.literal('ok'), s3: z.literal('ok') }),
});
export type Readiness = z.output<typeof ReadinessSchema>;

/** The document itself (openapi.json); its schemas are the ones in this library. */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});
