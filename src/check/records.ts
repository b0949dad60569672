// What Twilio keeps about the check's calls, read over REST with the SDK: the calls themselves
// (and the legs they opened), Monitor alerts, Studio executions and their steps, and the deployed
// Functions' decision lines in the Serverless logs. The same reads run on a real account and on
// the twin; times are Twilio's own (a call's date_created), never the local clock.
import type { TwilioClient } from '../twilio/client.js';

export interface CallRecord {
  sid: string;
  from: string;
  to: string;
  status: string;
  direction: string;
  parentCallSid: string | null;
  dateCreated: Date;
  endTime: Date | null;
}

export interface AlertRecord {
  errorCode: string;
  resourceSid: string;
  requestUrl: string;
  text: string;
  at: Date;
}

/** One {"homephone":"decision",…} line a Function logged. */
export interface DecisionRecord {
  call: string;
  path: string;
  reason?: string;
  from?: string;
  /** The call the decision was made for (older deployments log none). */
  callSid?: string;
  [key: string]: unknown;
}

export const ENDED = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
export const isEnded = (status: string): boolean => ENDED.includes(status);

/** Where the household's Functions and flows live (from homephone status). */
export interface Deployed {
  serviceSid: string | null;
  /** The environment's domain, e.g. homephone-1234-production.twil.io. */
  domain: string | null;
  flows: Array<{ sid: string; name: string }>;
}

/** Twilio's call instance cut down to what the check reads (the SDK's has the same fields, and more). */
const toCall = (c: CallRecord): CallRecord => ({
  sid: c.sid,
  from: c.from,
  to: c.to,
  status: c.status,
  direction: c.direction,
  parentCallSid: c.parentCallSid ?? null,
  dateCreated: new Date(c.dateCreated),
  endTime: c.endTime ? new Date(c.endTime) : null,
});

export class Records {
  private environmentSid: Promise<string | null> | undefined;

  constructor(
    readonly client: TwilioClient,
    readonly deployed: Deployed,
  ) {}

  /**
   * A call from `from` to `to` that only waits (the far end's behaviour is the household's), and
   * that Twilio itself ends after `seconds` (timeLimit) whatever happens to this process.
   */
  async place(from: string, to: string, seconds: number): Promise<CallRecord> {
    const call = await this.client.calls.create({ from, to, twiml: `<Response><Pause length="${seconds}"/></Response>`, timeLimit: seconds, timeout: 15 });
    return toCall(call);
  }

  async call(sid: string): Promise<CallRecord> {
    return toCall(await this.client.calls(sid).fetch());
  }

  /**
   * The account's calls created at or after `since`, newest first: one read that holds a check
   * call, the inbound call it became and every leg they opened (a household makes far fewer than
   * a page of calls in the seconds a check call lasts).
   */
  async recentCalls(since: Date): Promise<CallRecord[]> {
    const calls = await this.client.calls.list({ limit: 50, pageSize: 50 });
    return calls.map(toCall).filter((c) => c.dateCreated.getTime() >= since.getTime() - 1000);
  }

  /** Hangs a call up (a call not answered yet is cancelled); nothing when it has ended already. */
  async end(sid: string): Promise<boolean> {
    try {
      const c = await this.client.calls(sid).fetch();
      if (isEnded(c.status)) return false;
      await this.client.calls(sid).update({ status: c.status === 'queued' || c.status === 'ringing' ? 'canceled' : 'completed' });
      return true;
    } catch (e) {
      // 21220: it ended between the read and the update.
      if ((e as { code?: number }).code === 21220) return false;
      throw e;
    }
  }

  /** Monitor alerts raised from `since` on: errors Twilio recorded about the calls and their webhooks. */
  async alerts(since: Date): Promise<AlertRecord[]> {
    const alerts = await this.client.monitor.v1.alerts.list({ startDate: since, limit: 200 });
    return alerts
      .map((a) => ({ errorCode: String(a.errorCode ?? ''), resourceSid: a.resourceSid ?? '', requestUrl: a.requestUrl ?? '', text: a.alertText ?? '', at: new Date(a.dateCreated) }))
      .filter((a) => a.at.getTime() >= since.getTime() - 1000);
  }

  /** The decisions the deployed Functions logged from `since` on (Serverless logs). */
  async decisions(since: Date): Promise<DecisionRecord[]> {
    const env = await this.environment();
    if (!env || !this.deployed.serviceSid) return [];
    const logs = await this.client.serverless.v1.services(this.deployed.serviceSid).environments(env).logs.list({ startDate: since, limit: 200 });
    const out: Array<{ at: number; d: DecisionRecord }> = [];
    for (const l of logs) {
      const message = String(l.message ?? '').trim();
      if (!message.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(message) as Partial<DecisionRecord> & { homephone?: unknown };
        if (parsed.homephone === 'decision' && typeof parsed.path === 'string') out.push({ at: new Date(l.dateCreated).getTime(), d: parsed as DecisionRecord });
      } catch {
        // a log line that only looks like JSON
      }
    }
    return out.sort((a, b) => a.at - b.at).map((x) => x.d);
  }

  /** The widgets (in the order they ran, the first being where the Trigger led) of the Studio executions a call started. */
  async studioSteps(callSid: string, since: Date): Promise<Array<{ flow: string; steps: string[] }>> {
    const out: Array<{ flow: string; steps: string[] }> = [];
    for (const flow of this.deployed.flows) {
      const executions = await this.client.studio.v2.flows(flow.sid).executions.list({ dateCreatedFrom: new Date(since.getTime() - 1000), limit: 20 });
      for (const ex of executions) {
        const context = await this.client.studio.v2.flows(flow.sid).executions(ex.sid).executionContext().fetch();
        const trigger = (context.context as { trigger?: { call?: { CallSid?: string } } } | null)?.trigger;
        if (trigger?.call?.CallSid !== callSid) continue;
        const steps = await this.client.studio.v2.flows(flow.sid).executions(ex.sid).steps.list({ limit: 100 });
        // Steps share whole-second dates: follow transitioned_from → transitioned_to from the first.
        const path = orderSteps(steps.map((s) => ({ from: s.transitionedFrom, to: s.transitionedTo, at: +new Date(s.dateCreated) })));
        out.push({ flow: flow.name, steps: path });
      }
    }
    return out;
  }

  /** The conference rooms named `name` (a call's own room, hp-<CallSid>), with their status. */
  async rooms(name: string): Promise<Array<{ sid: string; status: string }>> {
    const rooms = await this.client.conferences.list({ friendlyName: name, limit: 5 });
    return rooms.map((r) => ({ sid: r.sid, status: r.status }));
  }

  /** Whether `number` is one of the account's phone numbers. */
  async isOwnedNumber(number: string): Promise<boolean> {
    const owned = await this.client.incomingPhoneNumbers.list({ phoneNumber: number, limit: 5 });
    return owned.some((n) => n.phoneNumber === number);
  }

  /** Whether `number` is a verified caller ID on the account (a REST call may show it as From). */
  async isVerifiedCallerId(number: string): Promise<boolean> {
    const ids = await this.client.outgoingCallerIds.list({ phoneNumber: number, limit: 5 });
    return ids.some((i) => i.phoneNumber === number);
  }

  private environment(): Promise<string | null> {
    const sid = this.deployed.serviceSid;
    this.environmentSid ??= sid
      ? this.client.serverless.v1
          .services(sid)
          .environments.list({ limit: 20 })
          .then((envs) => envs.find((e) => e.domainName === this.deployed.domain)?.sid ?? envs[0]?.sid ?? null)
      : Promise.resolve(null);
    return this.environmentSid;
  }
}

/** The widgets a flow's steps went through, in order: each step's `to` is the next step's `from`. */
export function orderSteps(steps: Array<{ from: string; to: string; at: number }>): string[] {
  const left = [...steps].sort((a, b) => a.at - b.at);
  const out: string[] = [];
  let current = left.find((s) => !left.some((o) => o.to === s.from)) ?? left[0];
  while (current) {
    if (!out.length) out.push(current.from);
    out.push(current.to);
    left.splice(left.indexOf(current), 1);
    const from: string = current.to;
    current = left.find((s) => s.from === from);
  }
  return out;
}
