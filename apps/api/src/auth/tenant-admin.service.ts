import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@masklet/db';
import { generateApiKey, hashApiKey, type Scope } from './api-key-format';

export interface CreatedTenant {
  id: string;
  name: string;
  webhookSecret: string;
}

export interface CreatedKey {
  id: string;
  tenantId: string;
  prefix: string;
  /** Shown once; only its hash is stored. */
  key: string;
  scopes: Scope[];
  operator: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tenants and API keys: used by the CLI and by tests (plain class over Prisma, no HTTP). */
export class TenantAdminService {
  constructor(private readonly prisma: PrismaClient) {}

  async createTenant(name: string): Promise<CreatedTenant> {
    if (!name.trim()) throw new Error('tenant name is empty');
    const existing = await this.prisma.tenant.findUnique({ where: { name } });
    if (existing) throw new Error(`tenant "${name}" already exists (${existing.id})`);
    const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const t = await this.prisma.tenant.create({ data: { name, webhookSecret } });
    return { id: t.id, name: t.name, webhookSecret };
  }

  async findTenant(idOrName: string): Promise<{ id: string; name: string }> {
    const t = UUID.test(idOrName)
      ? await this.prisma.tenant.findUnique({ where: { id: idOrName } })
      : await this.prisma.tenant.findUnique({ where: { name: idOrName } });
    if (!t) throw new Error(`no tenant "${idOrName}"`);
    return { id: t.id, name: t.name };
  }

  /** `operator` keys may act in every tenant: only the CLI (and tests) create them, never the HTTP API. */
  async createKey(
    tenantIdOrName: string,
    scopes: Scope[],
    name = 'default',
    opts: { operator?: boolean } = {},
  ): Promise<CreatedKey> {
    const tenant = await this.findTenant(tenantIdOrName);
    const { key, prefix } = generateApiKey();
    const hash = await hashApiKey(key);
    const operator = opts.operator ?? false;
    const row = await this.prisma.apiKey.create({
      data: { tenantId: tenant.id, name, prefix, hash, scopes, operator },
    });
    return { id: row.id, tenantId: tenant.id, prefix, key, scopes, operator };
  }

  async revokeKey(prefix: string): Promise<{ prefix: string; revokedAt: Date }> {
    const clean = prefix.startsWith('mk_') ? (prefix.split('_')[1] ?? prefix) : prefix;
    const row = await this.prisma.apiKey.findUnique({ where: { prefix: clean } });
    if (!row) throw new Error(`no API key with prefix ${clean}`);
    const revokedAt = row.revokedAt ?? new Date();
    await this.prisma.apiKey.update({ where: { id: row.id }, data: { revokedAt } });
    return { prefix: clean, revokedAt };
  }
}
