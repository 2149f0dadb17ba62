// Builds the OpenAPI 3.1 document from the route table; every schema comes from zod (z.toJSONSchema).
import { z } from 'zod';
import * as contract from '@masklet/contract';
import { ROUTES, type RouteSpec } from './routes';

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'bad input',
  401: 'missing or invalid API key',
  403: 'key lacks the scope',
  404: 'not found in this tenant',
  409: 'conflict with the current state',
  413: 'too large',
  415: 'unsupported media type',
  416: 'range not satisfiable',
  422: 'well-formed but impossible',
  500: 'internal error',
  503: 'a dependency is down (Retry-After)',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

/** Contract schemas by identity -> their export name less `Schema`: the component names. */
const CONTRACT_NAMES = new Map<unknown, string>(
  Object.entries(contract)
    .filter(([name, value]) => name.endsWith('Schema') && value instanceof z.ZodType)
    .map(([name, value]) => [value, name.slice(0, -'Schema'.length)]),
);

/** Named bodies, collected while the operations are built; each becomes components.schemas[name]. */
class Components {
  readonly schemas: Record<string, Json> = {};

  ref(schema: z.ZodType, io: 'input' | 'output'): Json {
    const name = CONTRACT_NAMES.get(schema);
    if (!name) throw new Error('every JSON body of the route table must be a schema exported by @masklet/contract');
    const json = schemaOf(schema, io);
    const known = this.schemas[name];
    if (known && JSON.stringify(known) !== JSON.stringify(json))
      throw new Error(`${name} is used as a request and as a response body`);
    this.schemas[name] = json;
    return { $ref: `#/components/schemas/${name}` };
  }
}

/** `/v1/jobs/:id` -> `/v1/jobs/{id}` */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(route: RouteSpec): Json[] {
  const params: Json[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const q = schemaOf(route.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  return params;
}

function operation(route: RouteSpec, components: Components): Json {
  const responses: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content: Json = {};
    if (spec.schema) content['application/json'] = { schema: components.ref(spec.schema, 'output') };
    for (const media of [spec.mediaType, ...(spec.alsoAs ?? [])]) if (media) content[media] = { schema: {} };
    responses[status] = Object.keys(content).length
      ? { description: spec.description, content }
      : { description: spec.description };
  }
  const auth = route.auth !== false;
  const errors = [...new Set([...(auth ? [401, 403] : []), ...route.errors, 500])].sort((a, b) => a - b);
  for (const status of errors) {
    responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }
  const op: Json = { operationId: route.operationId, tags: [route.tag], summary: route.summary };
  if (route.description) op.description = route.description;
  const params = parameters(route);
  if (params.length > 0) op.parameters = params;
  if (route.body) {
    const content: Json = { 'application/json': { schema: components.ref(route.body, 'input') } };
    if (route.multipartFile) {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          properties: { [route.multipartFile]: { type: 'string', contentMediaType: 'application/octet-stream' } },
          required: [route.multipartFile],
        },
      };
    }
    op.requestBody = { required: true, content };
  }
  op.responses = responses;
  op.security = auth ? [{ bearer: [] }] : [];
  return op;
}

export function buildOpenApiDocument(routes: RouteSpec[] = ROUTES): Json {
  const paths: Record<string, Json> = {};
  const components = new Components();
  components.ref(contract.ErrorBodySchema, 'output');
  for (const route of routes) {
    const key = openApiPath(route.path);
    paths[key] = { ...(paths[key] ?? {}), [route.method]: operation(route, components) };
  }
  const errorResponses: Json = {};
  for (const [status, text] of Object.entries(ERROR_TEXT)) {
    errorResponses[`Error${status}`] = {
      description: text,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Masklet API',
      version: '1',
      description: 'SAM 2 video object segmentation. Generated from the zod schemas by `npm run openapi`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key mk_<prefix>_<secret>' } },
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses: errorResponses,
    },
  };
}

/** The committed file's exact text: stable key order, two-space indent, trailing newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
