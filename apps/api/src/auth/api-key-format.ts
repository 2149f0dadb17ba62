import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  key: string,
  salt: Buffer,
  len: number,
  opts: { N: number; r: number; p: number },
) => Promise<Buffer>;

export const SCOPES = ['submit', 'read', 'correct', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const SCRYPT_N = 16384;
const KEY_LEN = 32;

/** `mk_<prefix>_<secret>`: the prefix (12 hex chars) finds the row, the secret is verified against its hash. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `mk_${prefix}_${secret}`, prefix };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const m = /^mk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$/.exec(key);
  return m ? { prefix: m[1]! } : null;
}

/** `scrypt$N$salt$hash` (hex); the key itself is never stored. */
export async function hashApiKey(key: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(key, salt, KEY_LEN, { N: SCRYPT_N, r: 8, p: 1 });
  return `scrypt$${SCRYPT_N}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export async function verifyApiKey(key: string, stored: string): Promise<boolean> {
  const [alg, n, saltHex, hashHex] = stored.split('$');
  if (alg !== 'scrypt' || !n || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scrypt(key, Buffer.from(saltHex, 'hex'), expected.length, { N: Number(n), r: 8, p: 1 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Cache key of a verified (key, stored hash) pair: scrypt runs once per key per process, not per request. */
export function verifiedPairId(key: string, stored: string): string {
  return createHash('sha256').update(key).update('\0').update(stored).digest('hex');
}

export function parseScopes(list: string): Scope[] {
  const scopes = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s))
      throw new Error(`unknown scope "${s}" (known: ${SCOPES.join(', ')})`);
  }
  if (scopes.length === 0) throw new Error('at least one scope is required');
  return [...new Set(scopes)] as Scope[];
}
