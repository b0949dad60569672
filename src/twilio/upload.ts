// Serverless Function/Asset version uploads: multipart/form-data to the upload host, which the SDK
// cannot do. Uses Node's fetch + FormData + Blob; follows the same twin switch and 429 retry as
// the SDK client. No SDK import here.
import { headerValue, with429Retry, type RetryOptions } from './retry.js';
import { serverlessUploadBase } from '@homephone/twin/address';
import { resolveTwilioSettings, type TwilioSettings } from './settings.js';

export type Visibility = 'public' | 'protected' | 'private';

export interface VersionUpload {
  serviceSid: string;
  /** 'functions' → FunctionVersion (ZN…) of a Function ZH…; 'assets' → AssetVersion of an Asset ZH…. */
  kind: 'functions' | 'assets';
  /** The Function or Asset SID (ZH…). */
  resourceSid: string;
  /** Served path, e.g. '/incoming' (a leading '/' is added if missing). */
  path: string;
  visibility: Visibility;
  content: string | Uint8Array;
  /** e.g. 'application/javascript', 'text/xml', 'audio/mpeg'. */
  contentType: string;
  /** File name sent with the Content part, e.g. 'incoming.js'. */
  filename: string;
}

/** The upload answer: a FunctionVersion or AssetVersion resource. */
export interface UploadedVersion {
  sid: string;
  account_sid: string;
  service_sid: string;
  function_sid?: string;
  asset_sid?: string;
  path: string;
  visibility: Visibility;
  date_created: string;
  url: string;
  [key: string]: unknown;
}

/** Shaped like the SDK's RestException (status, code, moreInfo, details) so callers treat both alike. */
export class TwilioUploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly moreInfo: string | undefined,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'TwilioUploadError';
  }
}

export interface ServerlessUploader {
  /** https://serverless-upload.twilio.com, or the twin's equivalent. */
  readonly baseUrl: string;
  upload(version: VersionUpload): Promise<UploadedVersion>;
}

export interface UploaderOptions {
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

export function createServerlessUploader(
  settings: TwilioSettings,
  env: NodeJS.ProcessEnv = process.env,
  options: UploaderOptions = {},
): ServerlessUploader {
  const resolved = resolveTwilioSettings(settings, env);
  const baseUrl = serverlessUploadBase(resolved.twinUrl);
  const authorization = `Basic ${Buffer.from(`${resolved.username}:${resolved.password}`).toString('base64')}`;
  return {
    baseUrl,
    upload: (version) => uploadVersion(baseUrl, authorization, version, options),
  };
}

export async function uploadVersion(
  baseUrl: string,
  authorization: string,
  version: VersionUpload,
  options: UploaderOptions = {},
): Promise<UploadedVersion> {
  const doFetch = options.fetch ?? fetch;
  const segment = version.kind === 'functions' ? 'Functions' : 'Assets';
  const url = `${baseUrl}/v1/Services/${version.serviceSid}/${segment}/${version.resourceSid}/Versions`;
  const path = version.path.startsWith('/') ? version.path : `/${version.path}`;
  const send = () => {
    const form = new FormData();
    form.append('Path', path);
    form.append('Visibility', version.visibility);
    form.append('Content', new Blob([version.content], { type: version.contentType }), version.filename);
    return doFetch(url, { method: 'POST', body: form, headers: { Authorization: authorization, Accept: 'application/json' } });
  };
  const res = await with429Retry(
    send,
    (r) => ({ statusCode: r.status, retryAfter: headerValue(r.headers, 'retry-after') }),
    options.retry,
  );
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    throw new TwilioUploadError(
      res.status,
      typeof body?.code === 'number' ? body.code : undefined,
      typeof body?.message === 'string' ? body.message : `[HTTP ${res.status}] upload to ${url} failed`,
      typeof body?.more_info === 'string' ? body.more_info : undefined,
      body?.details,
    );
  }
  if (!body || typeof body.sid !== 'string') {
    throw new TwilioUploadError(res.status, undefined, `upload to ${url} answered without a version SID`, undefined, undefined);
  }
  return body as UploadedVersion;
}
