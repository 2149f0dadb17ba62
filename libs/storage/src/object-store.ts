import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HashingCounter } from './hashing-counter';

export interface StoredObject {
  key: string;
  bytes: number;
  sha256: string;
}

export interface PutOptions {
  contentType?: string;
  /** Fail (and abort the multipart upload) once the body passes this many bytes. */
  maxBytes?: number;
}

/** What the API and workers need from object storage; one bucket per instance. */
export interface ObjectStore {
  readonly bucket: string;
  /** Streams `body` into a multipart upload; never buffers the whole body. */
  putStream(key: string, body: Readable, options?: PutOptions): Promise<StoredObject>;
  putBuffer(key: string, body: Buffer, contentType?: string): Promise<void>;
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  /** Size in bytes, or null when the object does not exist. */
  head(key: string): Promise<{ bytes: number } | null>;
  downloadToFile(key: string, path: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Multipart uploads begun under the prefix and neither completed nor aborted; [] where the server lacks the call (s3rver). */
  listMultipartUploads(prefix: string): Promise<Array<{ key: string; uploadId: string; initiated: Date | null }>>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  presignGet(key: string, expiresSeconds?: number): Promise<string>;
  /** A store over another bucket of the same endpoint (registered s3:// videos). */
  forBucket(bucket: string): ObjectStore;
  ensureBucket(): Promise<void>;
  ping(): Promise<void>;
}

export interface ObjectStoreSettings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Socket idle limit per request (ms); unset: the SDK default (none). */
  requestTimeoutMs?: number | undefined;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const counter = new HashingCounter(options.maxBytes);
    body.on('error', (err) => counter.destroy(err));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body.pipe(counter), ContentType: options.contentType },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    // A failing source (limit, client abort) must abort the upload rather than leave it waiting.
    counter.on('error', () => void upload.abort().catch(() => undefined));
    try {
      await upload.done();
    } catch (err) {
      const streamErr = counter.errored;
      throw streamErr ?? err;
    }
    return { key, bytes: counter.bytes, sha256: counter.digest() };
  }

  async putBuffer(key: string, body: Buffer, contentType?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const res = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    if (!res.Body) throw new Error(`s3://${this.bucket}/${key} has no body`);
    return res.Body as Readable;
  }

  async getBuffer(key: string): Promise<Buffer> {
    const stream = await this.getStream(key);
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  async head(key: string): Promise<{ bytes: number } | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: Number(res.ContentLength ?? 0) };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as Error).name === 'NotFound') return null;
      throw err;
    }
  }

  async downloadToFile(key: string, path: string): Promise<void> {
    await pipeline(await this.getStream(key), createWriteStream(path));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async listMultipartUploads(
    prefix: string,
  ): Promise<Array<{ key: string; uploadId: string; initiated: Date | null }>> {
    const out: Array<{ key: string; uploadId: string; initiated: Date | null }> = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const res = await this.client
        .send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch((err: unknown) => {
          if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501) return null;
          throw err;
        });
      if (!res) return [];
      for (const u of res.Uploads ?? [])
        if (u.Key && u.UploadId) out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? null });
      [keyMarker, uploadIdMarker] = res.IsTruncated
        ? [res.NextKeyMarker, res.NextUploadIdMarker]
        : [undefined, undefined];
    } while (keyMarker);
    return out;
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
  }

  presignGet(key: string, expiresSeconds = 3600): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresSeconds,
    });
  }

  forBucket(bucket: string): ObjectStore {
    return bucket === this.bucket ? this : new S3ObjectStore(this.client, bucket);
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}

export function createObjectStore(s: ObjectStoreSettings): S3ObjectStore {
  // The SDK warns on Node < 22 that releases after January 2027 will need Node 22; the versions the lockfile
  // pins run on Node 20 (package.json engines). Its documented switch, unless the operator set it either way.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    // S3-compatible servers (s3rver, MinIO) reject the SDK's default CRC checksums on every request.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Bounded sockets: an unreachable or stalled store fails the request (retried by the SDK, then by the caller).
    ...(s.requestTimeoutMs
      ? {
          requestHandler: {
            requestTimeout: s.requestTimeoutMs,
            connectionTimeout: Math.min(s.requestTimeoutMs, 5_000),
          },
        }
      : {}),
    credentials:
      s.accessKeyId && s.secretAccessKey
        ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
        : undefined,
  });
  return new S3ObjectStore(client, s.bucket);
}

/** The S3_* settings every process reads from its environment (see @masklet/config). */
export interface S3EnvSettings {
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_REQUEST_TIMEOUT_MS?: number | undefined;
}

export function createObjectStoreFromEnv(c: S3EnvSettings): S3ObjectStore {
  return createObjectStore({
    endpoint: c.S3_ENDPOINT,
    region: c.S3_REGION,
    bucket: c.S3_BUCKET,
    accessKeyId: c.S3_ACCESS_KEY_ID,
    secretAccessKey: c.S3_SECRET_ACCESS_KEY,
    forcePathStyle: c.S3_FORCE_PATH_STYLE,
    requestTimeoutMs: c.S3_REQUEST_TIMEOUT_MS,
  });
}
