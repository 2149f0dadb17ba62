import type { MaskletConfig } from '@masklet/config';
import type { S3Location } from '@masklet/storage';
import { ApiError } from '../common/api-error';

/** Prefixes of S3_BUCKET the platform writes (sources, masks, exports, checkpoints): never registrable. */
export const PLATFORM_PREFIXES = ['tenants/'] as const;

const URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;
const MAX_KEY_LENGTH = 1024;

/**
 * Why a key is unsafe to hand to an S3 client, or null. The SDK and S3-compatible servers normalise
 * paths (`a/../b`, `%2e%2e`, `\`), so a key that is not already in its one plain form could address an
 * object other than the one the allowlist saw.
 */
export function unsafeKeyReason(key: string): string | null {
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'contains control characters';
  if (key.includes('\\')) return 'contains a backslash';
  if (/%[0-9a-f]{2}/i.test(key)) return 'contains percent-encoding';
  if (key.startsWith('/') || key.includes('//')) return 'contains an empty path segment';
  if (key.split('/').some((seg) => seg === '.' || seg === '..')) return 'contains a "." or ".." segment';
  return null;
}

/** `bucket/prefix` entries of S3_INGEST_PREFIXES with `{tenant}` filled in. */
export function ingestPrefixesFor(config: MaskletConfig, tenantId: string): Array<{ bucket: string; prefix: string }> {
  return config.S3_INGEST_PREFIXES.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const slash = entry.indexOf('/');
      const bucket = slash < 0 ? entry : entry.slice(0, slash);
      const prefix = slash < 0 ? '' : entry.slice(slash + 1).replaceAll('{tenant}', tenantId);
      return { bucket, prefix };
    });
}

/**
 * The object a tenant may register, decided from the URI alone (no S3 request, so the answer cannot
 * reveal whether a forbidden object exists): a plain key, in an allowed bucket, outside the platform's
 * prefixes, and under an ingest prefix when S3_INGEST_PREFIXES is set.
 */
export function resolveIngestUri(uri: string, config: MaskletConfig, tenantId: string): S3Location {
  const m = URI.exec(uri);
  if (!m) throw new ApiError(400, 'INVALID_S3_URI', `"${uri}" is not an s3://bucket/key URI`);
  const bucket = m[1]!;
  const key = m[2]!;
  const unsafe = unsafeKeyReason(key);
  if (unsafe) throw new ApiError(400, 'INVALID_S3_KEY', `the key of ${uri} ${unsafe}; give the object's plain key`);
  if (!config.allowedBuckets.includes(bucket)) {
    throw new ApiError(
      403,
      'BUCKET_NOT_ALLOWED',
      `bucket "${bucket}" is not allowed (allowed: ${config.allowedBuckets.join(', ')})`,
    );
  }
  if (bucket === config.S3_BUCKET && PLATFORM_PREFIXES.some((p) => key.startsWith(p))) {
    throw new ApiError(
      403,
      'S3_KEY_NOT_ALLOWED',
      `keys under ${PLATFORM_PREFIXES.join(', ')} of bucket "${bucket}" belong to the platform and cannot be registered`,
    );
  }
  const prefixes = ingestPrefixesFor(config, tenantId);
  if (prefixes.length > 0 && !prefixes.some((p) => p.bucket === bucket && key.startsWith(p.prefix))) {
    const allowed = prefixes.map((p) => `s3://${p.bucket}/${p.prefix}`).join(', ');
    throw new ApiError(403, 'S3_KEY_NOT_ALLOWED', `${uri} is outside the ingest prefixes (allowed: ${allowed})`);
  }
  return { bucket, key };
}
