import { Controller, Get } from '@nestjs/common';
import { Scopes } from '../auth/scopes.decorator';
import { buildOpenApiDocument } from './document';

// Under /v1/ like every API route, so it takes a key; the same document is public at /docs-json.
@Controller('v1')
export class OpenApiController {
  private readonly document = buildOpenApiDocument();

  @Get('openapi.json')
  @Scopes('read')
  get(): Record<string, unknown> {
    return this.document;
  }
}
