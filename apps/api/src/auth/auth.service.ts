import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ApiError } from '../common/api-error';
import { LOGGER } from '../core/tokens';
import { generateApiKey, hashApiKey, parseApiKey, verifiedPairId, verifyApiKey, type Scope } from './api-key-format';
import type { AuthContext } from './auth-context';
import { ApiKeysRepository } from './api-keys.repository';
import { SessionStore, sessionCookie } from './session-store';

const TOUCH_INTERVAL_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

@Injectable()
export class AuthService {
  /** (key, stored hash) pairs already verified: the row is still read per request, so revocation is immediate. */
  private readonly verified = new Set<string>();
  /** A hash no key matches, with the cost parameters of real ones (verified against on unknown prefixes). */
  private dummy: Promise<string> | undefined;

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  /**
   * A request's caller: the Authorization header when there is one, else the dashboard's session
   * cookie. Callers authenticated by the cookie carry `session` (their changes need an Origin check).
   */
  async authenticateRequest(headers: { authorization?: string; cookie?: string }): Promise<AuthContext> {
    if (headers.authorization) return this.authenticate(headers.authorization);
    const id = sessionCookie(headers.cookie);
    if (!id) return this.authenticate(undefined);
    const session = await this.sessions.find(id);
    if (!session)
      throw new ApiError(401, 'SESSION_EXPIRED', 'the dashboard session expired or was logged out; log in again');
    const row = await this.keys.findById(session.apiKeyId);
    if (!row) {
      await this.sessions.destroy(id);
      throw new ApiError(401, 'SESSION_EXPIRED', 'the API key of this session no longer exists; log in again');
    }
    if (row.revokedAt) {
      await this.sessions.destroy(id);
      throw new ApiError(401, 'API_KEY_REVOKED', `API key ${row.prefix} was revoked at ${row.revokedAt.toISOString()}`);
    }
    return {
      tenantId: row.tenantId,
      homeTenantId: row.tenantId,
      apiKeyId: row.id,
      keyPrefix: row.prefix,
      scopes: row.scopes as Scope[],
      operator: row.operator,
      session: { id, expiresAt: session.expiresAt },
    };
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hashApiKey(generateApiKey().key);
    return this.dummy;
  }

  async authenticate(header: string | undefined): Promise<AuthContext> {
    if (!header) throw new ApiError(401, 'MISSING_API_KEY', 'missing Authorization: Bearer <api key> header');
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new ApiError(401, 'INVALID_API_KEY', 'Authorization header must be "Bearer mk_<prefix>_<secret>"');
    const key = m[1]!;
    const parsed = parseApiKey(key);
    if (!parsed) throw new ApiError(401, 'INVALID_API_KEY', 'malformed API key (expected mk_<prefix>_<secret>)');
    const row = await this.keys.findByPrefix(parsed.prefix);
    if (!row) {
      // The same scrypt as a wrong secret: an unknown prefix must not answer faster (a prefix oracle).
      await verifyApiKey(key, await this.dummyHash());
      throw new ApiError(401, 'INVALID_API_KEY', 'unknown API key');
    }
    const pair = verifiedPairId(key, row.hash);
    if (!this.verified.has(pair)) {
      if (!(await verifyApiKey(key, row.hash))) throw new ApiError(401, 'INVALID_API_KEY', 'unknown API key');
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
      this.verified.add(pair);
    }
    if (row.revokedAt)
      throw new ApiError(401, 'API_KEY_REVOKED', `API key ${row.prefix} was revoked at ${row.revokedAt.toISOString()}`);
    const now = new Date();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      this.keys.touch(row.id, now).catch((err: unknown) => this.log.warn({ err }, 'lastUsedAt update failed'));
    }
    return {
      tenantId: row.tenantId,
      homeTenantId: row.tenantId,
      apiKeyId: row.id,
      keyPrefix: row.prefix,
      scopes: row.scopes as Scope[],
      operator: row.operator,
    };
  }
}
