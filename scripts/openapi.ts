// Writes openapi.json from the route table (apps/api/src/openapi). test/api/openapi.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../apps/api/src/openapi/document';

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
