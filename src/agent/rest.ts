// The three Twilio REST operations the agent makes, behind a narrow port so the buzz logic does not
// depend on the SDK's shapes (and the SDK loads once, at start, never during a webhook).
import type { TwilioClient } from '../twilio/client.js';
import { appendBuzzRecord, findHistoryService, type BuzzRecord } from '../history/calls.js';

export type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface NewCall {
  to: string;
  from: string;
  url: string;
  statusCallback: string;
  statusCallbackEvent: CallEvent[];
  /** Seconds to ring before Twilio gives up (no-answer). */
  timeout: number;
}

export interface CallInfo {
  sid: string;
  status: string;
}

export interface AgentRest {
  createCall(call: NewCall): Promise<CallInfo>;
  /** status canceled (queued/ringing), completed (any), or new TwiML. */
  updateCall(sid: string, update: { status: 'canceled' | 'completed' } | { twiml: string }): Promise<CallInfo>;
  sendSms(to: string, from: string, body: string): Promise<{ sid: string }>;
  /** Appends a buzz's outcome to the household's call history (Sync), when one is deployed. */
  recordBuzz?(record: BuzzRecord): Promise<void>;
}

export function restOverTwilio(client: TwilioClient): AgentRest {
  let historyService: Promise<string | null> | undefined;
  return {
    async createCall(call) {
      const c = await client.calls.create({
        to: call.to,
        from: call.from,
        url: call.url,
        method: 'POST',
        statusCallback: call.statusCallback,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: call.statusCallbackEvent,
        timeout: call.timeout,
      });
      return { sid: c.sid, status: c.status };
    },
    async updateCall(sid, update) {
      const c = await client.calls(sid).update(update);
      return { sid: c.sid, status: c.status };
    },
    async sendSms(to, from, body) {
      const m = await client.messages.create({ to, from, body });
      return { sid: m.sid };
    },
    async recordBuzz(record) {
      historyService ??= findHistoryService(client);
      const sid = await historyService;
      if (sid) await appendBuzzRecord(client, sid, record, new Date());
    },
  };
}
