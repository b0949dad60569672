// A text to one of the account's numbers: recorded as an inbound Message, then POSTed (signed, as
// every twin webhook) to the number's sms_url with Twilio's messaging parameters. A TwiML answer's
// <Message> verbs become reply Messages (direction outbound-reply) from the number to the sender;
// an empty <Response/> sends nothing. A failed request or unparsable TwiML sends nothing and is
// reported (11200, 12100), as Twilio's debugger would.
import { API_VERSION, createMessage, findNumber } from '../model/voice.js';
import type { MessageJson, TwinState } from '../state.js';
import { parseTwiml } from './twiml-parse.js';
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
}

export class UnknownNumberError extends Error {}

export async function deliverInboundSms(state: TwinState, webhooks: Webhooks, sms: InboundSms): Promise<InboundSmsResult> {
  const number = findNumber(state, sms.to);
  if (!number) throw new UnknownNumberError(`${sms.to} is not one of the account's numbers`);
  const message = createMessage(state, { to: sms.to, from: sms.from, body: sms.body, direction: 'inbound' });
  message.status = 'received';
  const url = number.sms_url;
  if (!url) return { message, webhookStatus: null, replies: [], error: null };
  const method = String(number.sms_method ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';
  const res = await webhooks.send({
    url,
    method,
    params: {
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
    },
  });
  if (res.status < 200 || res.status >= 300) {
    return { message, webhookStatus: res.status, replies: [], error: { code: 11200, message: `HTTP retrieval failure: ${res.status || res.networkError}` } };
  }
  const body = res.body.trim();
  if (!body) return { message, webhookStatus: res.status, replies: [], error: null };
  const parsed = parseTwiml(body);
  if (!parsed.ok) return { message, webhookStatus: res.status, replies: [], error: { code: 12100, message: `Document parse failure: ${parsed.error}` } };
  const replies: MessageJson[] = [];
  for (const verb of parsed.verbs) {
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
  return { message, webhookStatus: res.status, replies, error: null };
}
