// Browser side of the Masklet API: the session cookie (HttpOnly, set by logging in) goes with every
// same-origin call, an operator's tenant override for job pages, server-sent events read from fetch.
import type { SessionView } from '@masklet/contract';
import type { JobAnalyticsView, SuggestionsView } from './types';

export interface Session {
  /** Set when an operator opens another tenant's job. */
  tenantId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function apiError(res: Response): Promise<ApiError> {
  const err = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  return new ApiError(res.status, err?.error?.code ?? `HTTP_${res.status}`, err?.error?.message ?? res.statusText);
}

export class Api {
  constructor(private readonly session: Session) {}

  withTenant(tenantId: string | undefined): Api {
    return new Api({ ...this.session, tenantId });
  }

  /** Logs in: the key goes to the API once, in a header; what comes back is the session cookie. */
  static async login(key: string): Promise<SessionView> {
    const res = await fetch('/v1/session', { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await apiError(res);
    return (await res.json()) as SessionView;
  }

  /** The logged-in session, or null when there is none (expired, logged out, never logged in). */
  static async current(): Promise<SessionView | null> {
    const res = await fetch('/v1/session');
    if (res.status === 401) return null;
    if (!res.ok) throw await apiError(res);
    return (await res.json()) as SessionView;
  }

  logout(): Promise<void> {
    return this.request<void>('DELETE', '/v1/session');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.session.tenantId ? { 'x-masklet-tenant': this.session.tenantId } : {}),
      ...extra,
    };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await apiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  suggestions(jobId: string, limit = 20): Promise<SuggestionsView> {
    return this.get<SuggestionsView>(`/v1/jobs/${jobId}/suggestions?limit=${limit}`);
  }

  jobAnalytics(jobId: string): Promise<JobAnalyticsView> {
    return this.get<JobAnalyticsView>(`/v1/jobs/${jobId}/analytics`);
  }

  /** A file as multipart field "file" (the browser sets the boundary). */
  async upload<T>(path: string, file: File): Promise<T> {
    const form = new FormData();
    form.append('file', file, file.name);
    const res = await fetch(path, { method: 'POST', headers: this.headers(), body: form });
    if (!res.ok) throw await apiError(res);
    return (await res.json()) as T;
  }

  /** An image behind auth, as an object URL (revoke it when replaced). */
  async imageUrl(path: string, signal?: AbortSignal): Promise<string> {
    const res = await fetch(path, { headers: this.headers(), signal });
    if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, `could not load ${path}`);
    return URL.createObjectURL(await res.blob());
  }

  /** Reads an SSE stream until `signal` aborts or the server ends it; reconnects after errors. */
  async events(path: string, onEvent: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const res = await fetch(path, { headers: this.headers({ Accept: 'text/event-stream' }), signal });
        if (!res.ok || !res.body) throw new ApiError(res.status, `HTTP_${res.status}`, 'event stream refused');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trim());
            }
            if (data.length > 0) onEvent(event, JSON.parse(data.join('\n')));
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 403 || err.status === 404)) throw err;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }
}
