import { useEffect, useState } from 'react';

export type Route =
  | { page: 'fleet' }
  | { page: 'jobs'; query: URLSearchParams }
  | { page: 'job'; id: string; tenantId?: string };

/** Hash routes (#/fleet, #/jobs?status=FAILED, #/jobs/<id>?tenant=<id>): the API serves one static index.html. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'jobs' && parts[1]) return { page: 'job', id: parts[1], tenantId: query.get('tenant') ?? undefined };
  if (parts[0] === 'jobs') return { page: 'jobs', query };
  return { page: 'fleet' };
}

export function jobHref(id: string, tenantId?: string): string {
  return `#/jobs/${id}${tenantId ? `?tenant=${tenantId}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
