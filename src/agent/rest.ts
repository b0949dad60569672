// The Twilio REST operations the agent makes, behind a narrow port so the buzz logic does not
// depend on the SDK's shapes (and the SDK loads once, at start, never during a webhook).
import type { TwilioClient } from '../twilio/client.js';
import { appendBuzzRecord, findHistoryService, type BuzzRecord } from '../history/calls.js';
import { readCheckWindow, recordCheckAnswer, type CheckWindow } from '../check/window.js';

export interface CallInfo {
  sid: string;
  status: string;
}

/** A Message as Twilio has it: enough to tell whether a signed text really came from the owner, just now. */
export interface MessageInfo {
  sid: string;
  direction: string;
  from: string | null;
  to: string;
  dateCreated: Date;
}

export interface AgentRest {
  /** status canceled (queued/ringing), completed (any), or new TwiML. */
  updateCall(sid: string, update: { status: 'canceled' | 'completed' } | { twiml: string }): Promise<CallInfo>;
  sendSms(to: string, from: string, body: string): Promise<{ sid: string }>;
  /** Appends a buzz's outcome to the household's call history (Sync), when one is deployed. */
  recordBuzz?(record: BuzzRecord): Promise<void>;
  /** The call's current status (is the visitor still on the line?). */
  fetchCall(sid: string): Promise<CallInfo>;
  /** A Message by SID (a text's webhook is checked against it before an `open` runs). */
  fetchMessage(sid: string): Promise<MessageInfo>;
  /** The check window `homephone check` opened (a Sync Document), or null (check/window.ts). */
  checkWindow?(): Promise<CheckWindow | null>;
  /** Records in the check window that the agent answered this check buzz. */
  recordCheckAnswer?(callSid: string, at: Date): Promise<void>;
}

export function restOverTwilio(client: TwilioClient): AgentRest {
  let historyService: Promise<string | null> | undefined;
  /** The Sync service, looked up once found; looked up again while none is (deployed after the agent started). */
  const syncService = async (): Promise<string | null> => {
    historyService ??= findHistoryService(client);
    try {
      const sid = await historyService;
      if (!sid) historyService = undefined;
      return sid;
    } catch (e) {
      historyService = undefined;
      throw e;
    }
  };
  return {
    async updateCall(sid, update) {
      const c = await client.calls(sid).update(update);
      return { sid: c.sid, status: c.status };
    },
    async fetchCall(sid) {
      const c = await client.calls(sid).fetch();
      return { sid: c.sid, status: c.status };
    },
    async fetchMessage(sid) {
      const m = await client.messages(sid).fetch();
      return { sid: m.sid, direction: m.direction, from: m.from, to: m.to, dateCreated: m.dateCreated };
    },
    async sendSms(to, from, body) {
      const m = await client.messages.create({ to, from, body });
      return { sid: m.sid };
    },
    async recordBuzz(record) {
      const sid = await syncService();
      if (sid) await appendBuzzRecord(client, sid, record, new Date());
    },
    async checkWindow() {
      const sid = await syncService();
      return sid ? readCheckWindow(client, sid) : null;
    },
    async recordCheckAnswer(callSid, at) {
      const sid = await syncService();
      if (sid) await recordCheckAnswer(client, sid, callSid, at);
    },
  };
}
