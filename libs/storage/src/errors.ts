/** The body passed the byte limit; the partial multipart upload has been aborted. */
export class UploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`upload exceeds the limit of ${limitBytes} bytes`);
    this.name = 'UploadTooLargeError';
  }
}
