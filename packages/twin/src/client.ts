// A real twilio SDK client that talks to a twin: its RequestClient rewrites every Twilio URL into
// the twin's address scheme (address.ts). The Functions runtime hands one to context.getTwilioClient()
// unless the twin's owner supplies a client factory of its own.
import twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as ResponseModule from 'twilio/lib/http/response.js';
import { toTwinUrl } from './address.js';

export type TwilioClient = twilio.Twilio;

export interface ClientCredentials {
  accountSid: string;
  authToken: string;
  twinUrl: string;
}

/** Makes the SDK client a deployed Function gets from context.getTwilioClient(). */
export type ClientFactory = (credentials: ClientCredentials) => TwilioClient;

class TwinRequestClient extends twilio.RequestClient {
  constructor(private readonly twinUrl: string) {
    super({});
  }

  override request<TData>(opts: BaseRequestClient.RequestOptions<TData>): Promise<ResponseModule.default<TData>> {
    return super.request<TData>({ ...opts, uri: toTwinUrl(opts.uri, this.twinUrl), headers: { ...opts.headers } });
  }
}

/** An SDK client for the twin at twinUrl, with no retries: what a script or test would use. */
export const twinClient: ClientFactory = ({ accountSid, authToken, twinUrl }) =>
  twilio(accountSid, authToken, {
    accountSid,
    httpClient: new TwinRequestClient(twinUrl),
    env: {} as NodeJS.ProcessEnv,
  } as twilio.ClientOpts);
