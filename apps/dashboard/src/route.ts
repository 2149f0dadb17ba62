import { useEffect, useState } from 'react';

export type Route =
  | { page: 'fleet' }
  | { page: 'jobs'; query: URLSearchParams }
  | { page: 'job'; id: string; tenantId?: string }
  | { page: 'new'; videoId?: string };

/** Hash routes (#/fleet, #/jobs?status=FAILED, #/jobs/<id>?tenant=<id>, #/new?video=<id>): the API serves one static index.html. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'jobs' && parts[1]) return { page: 'job', id: parts[1], tenantId: query.get('tenant') ?? undefined };
  if (parts[0] === 'jobs') return { page: 'jobs', query };
  if (parts[0] === 'new') return { page: 'new', videoId: query.get('video') ?? undefined };
  return { page: 'fleet' };
}

export function jobHref(id: string, tenantId?: string): string {
  return `#/jobs/${id}${tenantId ? `?tenant=${tenantId}` : ''}`;
}

export function newJobHref(videoId?: string): string {
  return `#/new${videoId ? `?video=${videoId}` : ''}`;
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
