// The one place a Twilio SDK client is made. With a twin URL (settings or HOMEPHONE_TWIN_URL) the
// client's RequestClient rewrites every Twilio URL into the twin's scheme; either way 429s are
// retried honouring Retry-After. Importing this module loads the SDK (~150 ms): keep it off the
// CLI's startup path.
import twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as ResponseModule from 'twilio/lib/http/response.js';

type Response<T> = ResponseModule.default<T>;
import { with429Retry, headerValue, type RetryOptions } from './retry.js';
import { toTwinUrl } from '@homephone/twin/address';
import { resolveTwilioSettings, type TwilioSettings } from './settings.js';

export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  retry?: RetryOptions;
  /** Per-request timeout in ms (SDK default 30000). */
  timeoutMs?: number;
}


class HomephoneRequestClient extends twilio.RequestClient {
  constructor(
    private readonly twinUrl: string | undefined,
    private readonly retry: RetryOptions,
    timeoutMs: number | undefined,
  ) {
    super(timeoutMs === undefined ? {} : { timeout: timeoutMs });
  }

  override request<TData>(opts: BaseRequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const options = this.twinUrl ? { ...opts, uri: toTwinUrl(opts.uri, this.twinUrl) } : opts;
    return with429Retry(
      () => super.request<TData>({ ...options, headers: { ...options.headers } }),
      (res) => ({ statusCode: res.statusCode, retryAfter: headerValue(res.headers, 'retry-after') }),
      this.retry,
    );
  }
}

export function createTwilioClient(
  settings: TwilioSettings,
  env: NodeJS.ProcessEnv = process.env,
  options: TwilioClientOptions = {},
): TwilioClient {
  const resolved = resolveTwilioSettings(settings, env);
  const httpClient = new HomephoneRequestClient(resolved.twinUrl, options.retry ?? {}, options.timeoutMs);
  return twilio(resolved.username, resolved.password, {
    accountSid: resolved.accountSid,
    httpClient,
    // Read edge/region from the env we were given, not from the process's.
    env: { ...env, TWILIO_EDGE: resolved.twinUrl ? undefined : env.TWILIO_EDGE, TWILIO_REGION: resolved.twinUrl ? undefined : env.TWILIO_REGION } as NodeJS.ProcessEnv,
    edge: resolved.twinUrl ? undefined : env.TWILIO_EDGE || undefined,
    region: resolved.twinUrl ? undefined : env.TWILIO_REGION || undefined,
  } as twilio.ClientOpts);
}
