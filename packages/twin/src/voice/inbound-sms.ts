// A text to one of the account's numbers: recorded as an inbound Message, then POSTed (signed, as
// every twin webhook) to the number's sms_url with Twilio's messaging parameters. A TwiML answer's
// <Message> verbs become reply Messages (direction outbound-reply) from the number to the sender;
// an empty <Response/> sends nothing. A failed request or unparsable TwiML is reported (11200,
// 12100), as Twilio's debugger would, and the number's sms_fallback_url (if any) is requested
// with ErrorCode and ErrorUrl; its <Message>s are sent instead.
import { API_VERSION, createMessage, findNumber } from '../model/voice.js';
import type { MessageJson, TwinState } from '../state.js';
import { parseTwiml, type TwimlNode } from './twiml-parse.js';
import type { Webhooks } from './webhooks.js';

export interface InboundSms {
  from: string;
  to: string;
  body: string;
}

export interface InboundSmsResult {
  message: MessageJson;
  /** The sms_url's HTTP status (null when the number has no sms_url). */
  webhookStatus: number | null;
  replies: MessageJson[];
  error: { code: number; message: string } | null;
  /** The sms_fallback_url's HTTP status, when the primary failed and a fallback is set (else null). */
  fallbackStatus: number | null;
  /** The fallback's own failure, if it failed too (no reply is sent). */
  fallbackError?: { code: number; message: string };
}

export class UnknownNumberError extends Error {}

export async function deliverInboundSms(state: TwinState, webhooks: Webhooks, sms: InboundSms): Promise<InboundSmsResult> {
  const number = findNumber(state, sms.to);
  if (!number) throw new UnknownNumberError(`${sms.to} is not one of the account's numbers`);
  const message = createMessage(state, { to: sms.to, from: sms.from, body: sms.body, direction: 'inbound' });
  message.status = 'received';
  const url = number.sms_url;
  if (!url) return { message, webhookStatus: null, replies: [], error: null, fallbackStatus: null };
  const params = {
    MessageSid: message.sid,
    SmsSid: message.sid,
    SmsMessageSid: message.sid,
    AccountSid: state.accountSid,
    From: sms.from,
    To: sms.to,
    Body: sms.body,
    NumMedia: '0',
    NumSegments: String(message.num_segments),
    SmsStatus: 'received',
    ApiVersion: API_VERSION,
  };
  const primary = await fetchReplies(webhooks, url, number.sms_method, params);
  if (!primary.error) return { message, webhookStatus: primary.status, replies: reply(state, sms, primary.verbs), error: null, fallbackStatus: null };
  // "If Twilio is unable to retrieve or execute TwiML from your web server, a request is
  // immediately made to the number's Fallback URL" with ErrorCode and ErrorUrl (Availability and
  // Reliability). The primary's error is still reported, as Twilio's debugger would.
  const fallbackUrl = number.sms_fallback_url;
  if (!fallbackUrl) return { message, webhookStatus: primary.status, replies: [], error: primary.error, fallbackStatus: null };
  const fallback = await fetchReplies(webhooks, fallbackUrl, number.sms_fallback_method, { ...params, ErrorCode: String(primary.error.code), ErrorUrl: url });
  return {
    message,
    webhookStatus: primary.status,
    replies: fallback.error ? [] : reply(state, sms, fallback.verbs),
    error: primary.error,
    fallbackStatus: fallback.status,
    ...(fallback.error ? { fallbackError: fallback.error } : {}),
  };
}

type Fetched = { status: number; verbs: TwimlNode[]; error: { code: number; message: string } | null };

/** Requests a messaging webhook and reads its TwiML (11200: no 2xx answer; 12100: unparsable). */
async function fetchReplies(webhooks: Webhooks, url: string, methodName: string | null | undefined, params: Record<string, string>): Promise<Fetched> {
  const method = String(methodName ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';
  const res = await webhooks.send({ url, method, params });
  if (res.status < 200 || res.status >= 300) {
    return { status: res.status, verbs: [], error: { code: 11200, message: `HTTP retrieval failure: ${res.status || res.networkError}` } };
  }
  const body = res.body.trim();
  if (!body) return { status: res.status, verbs: [], error: null };
  const parsed = parseTwiml(body);
  if (!parsed.ok) return { status: res.status, verbs: [], error: { code: 12100, message: `Document parse failure: ${parsed.error}` } };
  return { status: res.status, verbs: parsed.verbs, error: null };
}

/** Each <Message> (its text, or its <Body>) becomes a reply from the texted number to the sender. */
function reply(state: TwinState, sms: InboundSms, verbs: Fetched['verbs']): MessageJson[] {
  const replies: MessageJson[] = [];
  for (const verb of verbs) {
    if (verb.name !== 'Message') continue;
    const text = verb.children.find((c) => c.name === 'Body')?.text ?? verb.text;
    replies.push(
      createMessage(state, {
        to: verb.attrs.to ?? sms.from,
        from: verb.attrs.from ?? sms.to,
        body: text,
        direction: 'outbound-reply',
      }),
    );
  }
  return replies;
}
