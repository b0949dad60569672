// Placing the check's calls in a twin (`--twin URL`): the twin's admin API places a call from one
// of its numbers and answers once the scenario has settled, with every event the call caused. Those
// events are the twin's record of what Twilio keeps as call statuses, Studio execution steps and
// the Functions' logs; the check reads the rest (calls, SIP mappings, numbers) over REST.
import { HomephoneError } from '../errors.js';

/** One transcript event as the twin's admin API returns it. */
export interface CallEvent {
  seq: number;
  atMs: number;
  callSid: string | null;
  type: string;
  text: string;
  data: Record<string, unknown>;
}

export interface PlacedCall {
  callSid: string;
  status: string;
  calls: Array<{ sid: string; from: string; to: string; direction: string }>;
  events: CallEvent[];
}

export interface TwinCalls {
  /** Scripts what a far end does when the twin calls it (the SIP phone, the owner's cell…). */
  script(phones: Record<string, Record<string, unknown>>): Promise<void>;
  place(from: string, to: string, hangupAfter: number): Promise<PlacedCall>;
}

export function twinCalls(baseUrl: string): TwinCalls {
  const base = baseUrl.replace(/\/+$/, '');
  async function post(path: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    } catch (e) {
      throw new HomephoneError(`could not reach the twin at ${base}: ${(e as Error).message}`, { hint: 'start it with homephone twin start, and pass its URL with --twin' });
    }
    const text = await res.text();
    if (!res.ok) throw new HomephoneError(`the twin refused ${path} (${res.status}): ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    script: async (phones) => void (await post('/_twin/phones', { phones })),
    place: async (from, to, hangupAfter) => {
      const r = (await post('/_twin/calls', { from, to, hangupAfter })) as { call_sid: string; status: string; calls: PlacedCall['calls']; events: CallEvent[] };
      return { callSid: r.call_sid, status: r.status, calls: r.calls, events: r.events };
    },
  };
}
