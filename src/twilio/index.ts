// Cheap entry point for src/twilio: settings, the address scheme, retries and uploads. The SDK
// client itself is in ./client.js (import it lazily: loading the SDK takes ~150 ms).
export { resolveTwilioSettings, type TwilioSettings, type ResolvedTwilioSettings } from './settings.js';
export { toTwinUrl, serverlessUploadBase, SERVERLESS_UPLOAD_BASE } from '@homephone/twin/address';
export { retryDelayMs, with429Retry, type RetryOptions } from './retry.js';
export {
  createServerlessUploader,
  uploadVersion,
  TwilioUploadError,
  type ServerlessUploader,
  type UploadedVersion,
  type VersionUpload,
  type Visibility,
} from './upload.js';
