import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { MaskletConfig } from '@masklet/config';
import { CONFIG, REDIS } from '../core/tokens';

/** The dashboard's session cookie: an opaque id, never the API key. */
export const SESSION_COOKIE = 'masklet_session';

export interface StoredSession {
  apiKeyId: string;
  expiresAt: string;
}

/** Redis holds a hash of the id only, so its contents (a dump, a replica) do not log anyone in. */
const redisKey = (id: string): string => `masklet:session:${createHash('sha256').update(id).digest('hex')}`;

/** The cookie's value in a Cookie header, if any. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Server-side dashboard sessions in Redis: created by logging in with an API key, ended by logout or
 * SESSION_TTL_SECONDS (fixed, not sliding). A session names its key, so revoking the key ends it too.
 */
@Injectable()
export class SessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: MaskletConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.SESSION_TTL_SECONDS;
  }

  async create(apiKeyId: string): Promise<{ id: string; session: StoredSession }> {
    const id = randomBytes(32).toString('base64url');
    const session: StoredSession = { apiKeyId, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000).toISOString() };
    await this.redis.set(redisKey(id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { id, session };
  }

  async find(id: string): Promise<StoredSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const raw = await this.redis.get(redisKey(id));
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(redisKey(id));
  }
}
