import busboy from 'busboy';
import type { Request } from 'express';
import type { ObjectStore, StoredObject } from '@masklet/storage';
import { ApiError } from '../common/api-error';

export interface ReceivedFile extends StoredObject {
  filename: string | undefined;
  contentType: string | undefined;
}

/**
 * Streams the multipart field `file` of `req` straight into `store` at `key` (S3 multipart upload,
 * sha256 and byte count on the fly; never the whole file in memory). Past `maxBytes` the upload is
 * aborted and the rest of the request body is drained and discarded.
 */
export function receiveMultipartFile(
  req: Request,
  store: ObjectStore,
  key: string,
  maxBytes: number,
): Promise<ReceivedFile> {
  return new Promise<ReceivedFile>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, value?: ReceivedFile): void => {
      if (settled) return;
      settled = true;
      if (err) {
        // Stop parsing; read and discard whatever the client still sends so the answer can reach it.
        req.unpipe();
        req.resume();
        reject(err instanceof Error ? err : new Error('upload failed', { cause: err }));
      } else resolve(value!);
    };
    let bb: busboy.Busboy;
    try {
      // Browsers and fetch send a UTF-8 filename raw inside quotes; busboy's default reads it as latin1 (mojibake).
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30 },
      });
    } catch (err) {
      reject(new ApiError(400, 'INVALID_MULTIPART', `malformed multipart request: ${(err as Error).message}`));
      return;
    }
    let upload: Promise<ReceivedFile> | undefined;
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || upload) {
        stream.resume();
        return;
      }
      upload = store
        .putStream(key, stream, { maxBytes, contentType: info.mimeType })
        .then((stored) => ({ ...stored, filename: info.filename, contentType: info.mimeType }));
      upload.then(
        (file) => {
          // The object is complete only when the multipart body also ended cleanly.
          if (parsed) finish(null, file);
        },
        (err: unknown) => {
          stream.resume();
          finish(err);
        },
      );
    });
    let parsed = false;
    bb.on('error', (err: Error) =>
      finish(new ApiError(400, 'INVALID_MULTIPART', `malformed multipart request: ${err.message}`)),
    );
    bb.on('close', () => {
      parsed = true;
      if (!upload) {
        finish(new ApiError(400, 'MISSING_FILE', 'multipart request has no field named "file"'));
        return;
      }
      upload.then(
        (file) => finish(null, file),
        () => undefined,
      );
    });
    req.on('aborted', () => finish(new ApiError(400, 'UPLOAD_ABORTED', 'the client aborted the upload')));
    req.pipe(bb);
  });
}
