// A tenant's key for the exports tests: the key itself (for raw downloads) beside JSON calls and the typed client.
import { MaskletClient } from '@masklet/client';
import type { Stack } from '../e2e/stack';
import type { Api } from '../rounds/support';

export interface KeyedApi extends Api {
  key: string;
  /** A raw GET (redirects not followed), for downloads and their headers. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

export async function keyedApi(stack: Stack, label: string): Promise<KeyedApi> {
  const tenant = await stack.admin.createTenant(`${label}-${Math.random().toString(36).slice(2, 8)}`);
  const { key } = await stack.admin.createKey(tenant.id, ['submit', 'read', 'correct'], label);
  return {
    tenantId: tenant.id,
    key,
    client: new MaskletClient(stack.baseUrl, key),
    async call(method, path, body) {
      const res = await fetch(new URL(path, stack.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    get(path, headers = {}) {
      return fetch(new URL(path, stack.baseUrl), {
        headers: { authorization: `Bearer ${key}`, ...headers },
        redirect: 'manual',
      });
    },
  };
}
