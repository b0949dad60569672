// Serverless Function/Asset version uploads: multipart/form-data to the upload host, which the SDK
// cannot do. The body is built by hand (./multipart.ts) and sent over node:http(s) with a
// keep-alive agent per uploader: Node's fetch costs several times the CPU for the same request.
// Follows the same twin switch and 429 retry as the SDK client. No SDK import here.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { headerValue, with429Retry, type RetryOptions } from './retry.js';
import { encodeMultipart } from './multipart.js';
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
  /** An attempt fails when the upload host sends nothing for this long (default 30 s, the SDK's timeout). */
  timeoutMs?: number;
  /** The connections to reuse; createServerlessUploader makes one keep-alive agent per uploader. */
  agent?: HttpAgent;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createServerlessUploader(
  settings: TwilioSettings,
  env: NodeJS.ProcessEnv = process.env,
  options: UploaderOptions = {},
): ServerlessUploader {
  const resolved = resolveTwilioSettings(settings, env);
  const baseUrl = serverlessUploadBase(resolved.twinUrl);
  const authorization = `Basic ${Buffer.from(`${resolved.username}:${resolved.password}`).toString('base64')}`;
  // Idle kept-alive sockets do not hold the process open (Node unrefs them).
  const agent = options.agent ?? (baseUrl.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
  return {
    baseUrl,
    upload: (version) => uploadVersion(baseUrl, authorization, version, { ...options, agent }),
  };
}

interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A connection-level failure: `code` (ECONNRESET, ETIMEDOUT, …) as on Node's own errors. */
function connectionError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** One POST of `body`; rejects only when no complete answer arrives (a lost connection, a timeout). */
function post(url: URL, headers: Record<string, string | number>, body: Buffer, agent: HttpAgent | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (!send) return reject(new Error(`cannot upload to ${url.protocol} URLs`));
    const req = send(url, { method: 'POST', headers, ...(agent ? { agent } : {}), timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(connectionError('the connection closed before the answer was complete', 'ECONNRESET'));
      });
    });
    req.on('timeout', () => req.destroy(connectionError(`no answer for ${timeoutMs / 1000} s`, 'ETIMEDOUT')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function uploadVersion(
  baseUrl: string,
  authorization: string,
  version: VersionUpload,
  options: UploaderOptions = {},
): Promise<UploadedVersion> {
  const segment = version.kind === 'functions' ? 'Functions' : 'Assets';
  const url = `${baseUrl}/v1/Services/${version.serviceSid}/${segment}/${version.resourceSid}/Versions`;
  const path = version.path.startsWith('/') ? version.path : `/${version.path}`;
  const content = typeof version.content === 'string' ? Buffer.from(version.content, 'utf8') : version.content;
  const form = encodeMultipart(
    [
      ['Path', path],
      ['Visibility', version.visibility],
    ],
    [{ name: 'Content', filename: version.filename, contentType: version.contentType, content }],
  );
  const headers = {
    Authorization: authorization,
    Accept: 'application/json',
    'Content-Type': form.contentType,
    'Content-Length': form.body.length,
  };
  const target = new URL(url);
  const send = async () => {
    try {
      return await post(target, headers, form.body, options.agent, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    } catch (err) {
      // The code (ECONNRESET, ETIMEDOUT…) on the cause is what deploy reports (describeTwilioError).
      throw new Error(`upload to ${url} failed: ${(err as Error).message}`, { cause: err });
    }
  };
  const res = await with429Retry(send, (r) => ({ statusCode: r.status, retryAfter: headerValue(r.headers, 'retry-after') }), options.retry);
  const text = res.text;
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (res.status < 200 || res.status > 299) {
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
