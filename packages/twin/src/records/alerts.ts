// Monitor Alerts: every error or warning the twin raises on a call, a webhook, a Function or a
// REST request becomes an Alert, as Twilio's debugger records it. The voice side reports them as
// transcript `error` events with a Twilio code (and console.warn as a `log` event); the recorder
// turns each into an Alert with the request and response behind it, when there was one.
import { iso8601 } from '../clock.js';
import { newSid, SidPrefix } from '../sids.js';
import type { AlertRecord, TwinState } from '../state.js';
import type { TranscriptEvent } from '../voice/transcript.js';
import type { Exchange } from '../voice/webhooks.js';
import { expireMap } from './window.js';

export const MONITOR = 'https://monitor.twilio.com/v1';
const SID = /^[a-zA-Z]{2}[0-9a-fA-F]{32}$/;

/**
 * Codes Twilio's Error and Warning Dictionary lists as WARNING (each page's "Log Level"); every
 * other code is an error (the stricter reading for a code the ledger has not checked).
 */
export const WARNING_CODES: ReadonlySet<number> = new Set([32009, 32214, 82004]);

/**
 * REST errors that also become Alerts ("or when your application makes a request to the REST
 * API", Monitor Alerts docs): the twin records those about the numbers of a call or message it
 * refuses. Which other REST errors Twilio records is not settled (TWIN-FIDELITY.md, Unconfirmed).
 */
export const REST_ALERT_CODES: ReadonlySet<number> = new Set([21210, 21211, 21212, 21213]);

export function logLevelOf(code: number): 'error' | 'warning' {
  return WARNING_CODES.has(code) ? 'warning' : 'error';
}

export interface AlertInput {
  code: number;
  /** What went wrong, in words (Msg in alert_text). */
  message: string;
  /** The resource the alert is about: the CallSid on a call. */
  resourceSid?: string | null | undefined;
  /** The Serverless Service or Studio Flow that raised it. */
  serviceSid?: string | null | undefined;
  requestUrl?: string | null | undefined;
  requestMethod?: string | null | undefined;
  /** The request and its answer, when the alert is about one. */
  exchange?: Exchange | undefined;
  /** REST-request alerts: the form the application sent. */
  requestVariables?: Record<string, string> | undefined;
  apiVersion?: string | null | undefined;
}

const form = (map: Record<string, string> | undefined): string | null =>
  map && Object.keys(map).length ? new URLSearchParams(map).toString() : null;

function method(m: string | null | undefined): 'GET' | 'POST' | null {
  const u = (m ?? '').toUpperCase();
  return u === 'GET' || u === 'POST' ? u : null;
}

/** Records an Alert dated now (virtual time). */
export function recordAlert(state: TwinState, input: AlertInput): AlertRecord {
  const now = state.now();
  expireMap(state.alerts, now.getTime());
  const sid = newSid(SidPrefix.alert);
  const level = logLevelOf(input.code);
  const x = input.exchange;
  const resourceSid = input.resourceSid && SID.test(input.resourceSid) ? input.resourceSid : null;
  const requestUrl = input.requestUrl ?? x?.url ?? null;
  const stamp = iso8601(now);
  const text = new URLSearchParams({
    Msg: input.message,
    ErrorCode: String(input.code),
    LogLevel: level.toUpperCase(),
    ...(requestUrl ? { url: requestUrl } : {}),
    ...(x?.done && x.status ? { httpResponse: String(x.status) } : {}),
  }).toString();
  const record: AlertRecord = {
    json: {
      sid,
      account_sid: state.accountSid,
      alert_text: text,
      api_version: input.apiVersion === undefined ? (resourceSid?.startsWith('CA') ? '2010-04-01' : null) : input.apiVersion,
      date_created: stamp,
      date_generated: stamp,
      date_updated: stamp,
      error_code: String(input.code),
      log_level: level,
      more_info: `https://www.twilio.com/docs/errors/${input.code}`,
      request_method: method(input.requestMethod ?? x?.method),
      request_url: requestUrl,
      resource_sid: resourceSid,
      service_sid: input.serviceSid ?? null,
      url: `${MONITOR}/Alerts/${sid}`,
    },
    request: x,
    requestVariables: form(input.requestVariables) ?? undefined,
    atMs: now.getTime(),
  };
  state.alerts.set(sid, record);
  return record;
}

/** The URL a transcript error names (a webhook, an audio file, a waitUrl, a Function). */
function urlOf(data: Record<string, unknown>): string | undefined {
  for (const key of ['url', 'media', 'waitUrl']) if (typeof data[key] === 'string' && data[key]) return data[key];
  return undefined;
}

/**
 * Turns the voice side's transcript into Alerts: an `error` event with a Twilio code, and a
 * Function's console.warn (82004: "Log lines written at WARN or ERROR level will also show up in
 * the Twilio Debugger", Serverless Logs docs; console.error is already an 82005 error event).
 */
export function alertFromEvent(state: TwinState, e: TranscriptEvent, lookup: (url: string, callSid: string | null) => Exchange | undefined): AlertRecord | undefined {
  const d = e.data;
  if (e.type === 'log' && d.level === 'warn') {
    return recordAlert(state, {
      code: 82004,
      message: `Function ${String(d.path ?? '')} logged a warning: ${e.text}`,
      resourceSid: e.callSid,
      serviceSid: typeof d.serviceSid === 'string' ? d.serviceSid : null,
      requestUrl: typeof d.url === 'string' ? d.url : null,
      requestMethod: typeof d.method === 'string' ? d.method : null,
      apiVersion: null,
    });
  }
  if (e.type !== 'error' || typeof d.code !== 'number' || d.code <= 0) return undefined;
  const url = urlOf(d);
  const exchange = url ? lookup(url, e.callSid) : undefined;
  const message = e.text.replace(new RegExp(`^${d.code} `), '');
  return recordAlert(state, {
    code: d.code,
    message,
    resourceSid: e.callSid,
    serviceSid: typeof d.serviceSid === 'string' ? d.serviceSid : null,
    requestUrl: url ?? null,
    requestMethod: typeof d.method === 'string' ? d.method : url && typeof d.media === 'string' ? 'GET' : (exchange?.method ?? null),
    exchange,
  });
}

/** The list representation (no request or response details, as on Twilio). */
export const alertListView = (a: AlertRecord) => a.json;

/** The instance representation: the list fields plus the request and the answer it got. */
export function alertView(a: AlertRecord) {
  const x = a.request;
  const answered = x?.done && x.status > 0;
  return {
    ...a.json,
    request_variables: a.requestVariables ?? form(x?.params),
    request_headers: x ? form(x.requestHeaders) : null,
    response_body: answered ? x.responseBody : null,
    response_headers: answered ? form(x.responseHeaders) : null,
  };
}
