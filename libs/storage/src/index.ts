// @masklet/storage: objects in any S3-compatible store, streamed in and out.
export {
  S3ObjectStore,
  createObjectStore,
  createObjectStoreFromEnv,
  type S3EnvSettings,
  type ObjectStore,
  type StoredObject,
  type PutOptions,
} from './object-store';
export { parseS3Uri, type S3Location } from './s3-uri';
export { UploadTooLargeError } from './errors';
