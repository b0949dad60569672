// The Twilio REST operations the agent makes, behind a narrow port so the buzz logic does not
// depend on the SDK's shapes (and the SDK loads once, at start, never during a webhook).
import type { TwilioClient } from '../twilio/client.js';

export interface CallInfo {
  sid: string;
  status: string;
}

export interface AgentRest {
  /** status canceled (queued/ringing), completed (any), or new TwiML. */
  updateCall(sid: string, update: { status: 'canceled' | 'completed' } | { twiml: string }): Promise<CallInfo>;
  sendSms(to: string, from: string, body: string): Promise<{ sid: string }>;
  /** The call's current status (is the visitor still on the line?). */
  fetchCall(sid: string): Promise<CallInfo>;
}

export function restOverTwilio(client: TwilioClient): AgentRest {
  return {
    async updateCall(sid, update) {
      const c = await client.calls(sid).update(update);
      return { sid: c.sid, status: c.status };
    },
    async fetchCall(sid) {
      const c = await client.calls(sid).fetch();
      return { sid: c.sid, status: c.status };
    },
    async sendSms(to, from, body) {
      const m = await client.messages.create({ to, from, body });
      return { sid: m.sid };
    },
  };
}
