// Verdicts from records: each path's row is judged from what Twilio (or the twin) recorded while
// its call ran (the calls and their statuses, Studio steps, the Functions' logged decisions,
// webhook answers, audio fetches) and from the deployment as it reads back over REST.
import type { CallEvent, PlacedCall } from './twin-calls.js';
import type { CheckRow, PathId } from './types.js';
import { pathLabel } from './plan.js';

export interface Facts {
  sipUri: string;
  ownerCell: string;
  publicUrl: string | null;
  /** The SIP domain's credential list is mapped for registrations (else the phone can never register). */
  registrationsMapped: boolean;
  tenants: string[];
}

interface Decision {
  call: string;
  path: string;
  reason?: string;
}

const row = (id: PathId, expected: string, seen: string, verdict: CheckRow['verdict'], hint: string | null = null): CheckRow => ({
  id,
  path: pathLabel(id),
  expected,
  seen,
  verdict,
  hint,
});

export const eventsOf = (placed: PlacedCall, callSid: string, type?: string): CallEvent[] =>
  placed.events.filter((e) => e.callSid === callSid && (type === undefined || e.type === type));

/** What the deployed Functions logged as their decision ({"homephone":"decision",…}) on a call. */
export function decisionsOf(placed: PlacedCall, callSid: string): Decision[] {
  const out: Decision[] = [];
  for (const e of eventsOf(placed, callSid, 'log')) {
    if (!e.text.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(e.text) as Partial<Decision> & { homephone?: string };
      if (parsed.homephone === 'decision' && typeof parsed.path === 'string') out.push(parsed as Decision);
    } catch {
      // a log line that only looks like JSON
    }
  }
  return out;
}

/** Errors recorded on the caller's call, as "11205 …" lines. */
function errorsOn(placed: PlacedCall, callSid: string): CallEvent[] {
  return eventsOf(placed, callSid, 'error');
}

const codeOf = (e: CallEvent): number | null => (typeof e.data.code === 'number' ? e.data.code : null);

/** A Function that answered with an error, if any did on this call. */
function failedFunction(placed: PlacedCall, callSid: string): { path: string; status: number } | null {
  for (const e of eventsOf(placed, callSid)) {
    if (e.type === 'webhook' && typeof e.data.status === 'number' && e.data.status >= 500 && /\.twil\.io\//.test(e.text)) {
      return { path: new URL(e.text.replace(/^\w+ /, '')).pathname, status: e.data.status };
    }
  }
  return null;
}

/** An audio fetch that failed, from an 11200 error ("… audio URL answered 404 …"). */
function audioFailure(e: CallEvent): { url: string; status: string } | null {
  const m = /audio (\S+) answered (\d+)/.exec(e.text);
  return m ? { url: m[1]!, status: m[2]! } : null;
}

function explainTrouble(placed: PlacedCall, callSid: string): { seen: string; hint: string } {
  const fn = failedFunction(placed, callSid);
  if (fn) {
    return {
      seen: `the Function ${fn.path} answered ${fn.status}`,
      hint: `the Function ${fn.path} is failing: read its logs (Twilio console > Functions > homephone > Logs); homephone deploy uploads it again`,
    };
  }
  const error = errorsOn(placed, callSid)[0];
  if (error && audioFailure(error)) {
    return { seen: `error ${codeOf(error) ?? ''}: ${error.text}`, hint: 'an audio file the deploy references is missing: homephone deploy uploads the assets again' };
  }
  if (error && codeOf(error) === 82002) {
    const path = /Function (\S+) failed/.exec(error.text)?.[1] ?? 'a Function';
    return {
      seen: `error 82002: ${error.text.replace(/^82002 /, '')}`,
      hint: `the Function ${path} is failing: read its logs (Twilio console > Functions > homephone > Logs); homephone deploy uploads it again`,
    };
  }
  if (error) {
    return {
      seen: `error ${codeOf(error) ?? ''} ${error.text}`.replace(/\s+/g, ' ').trim(),
      hint: "the number's voice URL did not answer: see the numbers row; homephone deploy sets it back (homephone status shows the drift)",
    };
  }
  return { seen: 'no decision was logged', hint: 'the call never reached the deployed Functions: run homephone status for drift, then homephone deploy' };
}

export function judgeUnknown(placed: PlacedCall, facts: Facts): CheckRow {
  const expected = 'refused, nothing rings';
  const rang = placed.calls.filter((c) => c.sid !== placed.callSid && (c.to === facts.sipUri || c.to === facts.ownerCell));
  const decision = decisionsOf(placed, placed.callSid)[0];
  if (rang.length) {
    return row('unknown-caller', expected, `rang ${rang.map((c) => c.to).join(', ')}`, 'fail', 'the deployed whitelist lets this caller through: check homephone whitelist list, then homephone deploy');
  }
  if (decision && (decision.path === 'not-whitelisted' || decision.path === 'bedtime')) {
    return row('unknown-caller', expected, `refused (${decision.path}), nothing rang`, 'pass');
  }
  const t = explainTrouble(placed, placed.callSid);
  return row('unknown-caller', expected, t.seen, 'fail', t.hint);
}

function hangupStatus(placed: PlacedCall, callSid: string): string | null {
  const h = eventsOf(placed, callSid, 'hangup')[0];
  return h ? String(h.data.status) : null;
}

export function judgeWhitelisted(placed: PlacedCall, facts: Facts): CheckRow {
  const expected = "the SIP phone rings (or: not registered, moved on to the owner's cell)";
  const sip = placed.calls.find((c) => c.to === facts.sipUri);
  if (!sip) {
    const t = explainTrouble(placed, placed.callSid);
    return row('whitelisted-caller', expected, `the SIP phone was never called; ${t.seen}`, 'fail', t.hint);
  }
  if (eventsOf(placed, sip.sid, 'answered').length || (eventsOf(placed, sip.sid, 'ringing').length && hangupStatus(placed, sip.sid) !== 'failed')) {
    return row('whitelisted-caller', expected, `the SIP phone rang (${hangupStatus(placed, sip.sid) ?? 'in progress'})`, 'pass');
  }
  const code = eventsOf(placed, sip.sid, 'error').map(codeOf).find((c) => c !== null) ?? null;
  const cell = placed.calls.find((c) => c.to === facts.ownerCell);
  if (code === null && errorsOn(placed, placed.callSid).length) {
    // The caller's own call went wrong before the phone could ring (its hold sound, a Function…).
    const t = explainTrouble(placed, placed.callSid);
    return row('whitelisted-caller', expected, `the SIP call ended ${hangupStatus(placed, sip.sid) ?? 'unanswered'}: ${t.seen}`, 'fail', t.hint);
  }
  if (code === 32009 && !facts.registrationsMapped) {
    return row(
      'whitelisted-caller',
      expected,
      'not registered (32009), and the SIP domain has no credential list mapped for registrations',
      'fail',
      "the SIP phone can never register: the domain's registration mapping is missing; homephone deploy restores it",
    );
  }
  if (code === 32009 && cell) return row('whitelisted-caller', expected, "phone not registered (32009): moved on to the owner's cell", 'pass');
  return row(
    'whitelisted-caller',
    expected,
    `the SIP call ended ${hangupStatus(placed, sip.sid) ?? 'unanswered'}${code ? ` (${code})` : ''}${cell ? '' : ", the owner's cell was not tried"}`,
    'fail',
    "the caller was not moved on to the owner's cell: check the participant-status Function's logs; homephone deploy",
  );
}

export function judgeOwner(placed: PlacedCall, facts: Facts): CheckRow {
  const expected = 'the menu answers (calls-in-progress decides), no code entered';
  const fn = failedFunction(placed, placed.callSid) ?? errorsOn(placed, placed.callSid)[0];
  const decision = decisionsOf(placed, placed.callSid).find((d) => d.call === 'owner');
  if (!fn && decision) {
    const rang = placed.calls.some((c) => c.to === facts.sipUri);
    return row('owner-menu', expected, `answered: ${decision.reason ?? decision.path}${rang ? '; the SIP phone rang' : ''}`, 'pass');
  }
  const t = explainTrouble(placed, placed.callSid);
  return row('owner-menu', expected, t.seen, 'fail', t.hint);
}

export function judgeBuzzer(placed: PlacedCall, facts: Facts): CheckRow {
  const expected = `the agent at ${facts.publicUrl ?? '(no buzzer.publicUrl)'} answers 200, nobody rings`;
  const webhooks = eventsOf(placed, placed.callSid, 'webhook');
  const agent = facts.publicUrl ? webhooks.find((e) => e.text.includes(facts.publicUrl!.replace(/\/+$/, ''))) : undefined;
  const fallback = webhooks.find((e) => /\/buzzer-fallback\b/.test(e.text));
  const rang = placed.calls.filter((c) => facts.tenants.includes(c.to)).map((c) => c.to);
  if (agent && agent.data.status === 200 && !fallback) {
    return row('buzzer-agent', expected, `the agent answered 200${rang.length ? `; rang ${rang.join(', ')}` : ', nobody rang'}`, rang.length ? 'fail' : 'pass', rang.length ? 'the agent rang tenants for a caller that is not the enterphone: check buzzer.enterphoneNumber' : null);
  }
  const code = errorsOn(placed, placed.callSid).map(codeOf).find((c) => c !== null);
  const what = agent ? `the agent answered ${String(agent.data.status ?? 'nothing')}` : 'the agent was never reached';
  return row(
    'buzzer-agent',
    expected,
    `${what}${code ? ` (${code})` : ''}${fallback ? `; the fallback answered${rang.length ? ` and rang ${rang.join(', ')}` : ''}` : ''}`,
    'fail',
    agent && agent.data.status === 403
      ? "the agent refused Twilio's signature: its auth token or buzzer.publicUrl differs from the account's (homephone doctor)"
      : 'the agent is down or unreachable at buzzer.publicUrl: start it (homephone agent) and check the URL with homephone doctor',
  );
}

/** Every <Play> the calls fetched: answered 200 with an audio content type. */
export function judgeAudio(placed: PlacedCall[]): CheckRow {
  const expected = 'every <Play> URL answers 200 with audio/*';
  const urls = new Map<string, { status: unknown; contentType: unknown }>();
  for (const e of placed.flatMap((p) => p.events)) {
    if (e.type === 'play' && typeof e.data.url === 'string' && !urls.has(e.data.url)) urls.set(e.data.url, { status: e.data.status, contentType: e.data.contentType });
    const failed = e.type === 'error' ? audioFailure(e) : null;
    if (failed) urls.set(failed.url, { status: Number(failed.status), contentType: null });
  }
  if (!urls.size) return row('audio', expected, 'no audio was played', 'fail', 'no call reached a <Play>: fix the rows above first');
  const bad = [...urls].filter(([, v]) => v.status !== 200 || !/^audio\//.test(String(v.contentType ?? '')));
  if (!bad.length) return row('audio', expected, `${urls.size} URL(s) played: ${[...urls.keys()].join(', ')}`, 'pass');
  return row(
    'audio',
    expected,
    bad.map(([u, v]) => `${u} answered ${String(v.status ?? 'nothing')}${v.contentType ? ` (${String(v.contentType)})` : ''}`).join('; '),
    'fail',
    'an audio file the deploy references is missing: homephone deploy uploads the assets again',
  );
}

export function judgeNumbers(numbers: Array<{ number: string; role: string; voiceUrl: string; expected: string }>): CheckRow {
  const expected = numbers.map((n) => `${n.role} → ${n.expected}`).join('; ');
  const wrong = numbers.filter((n) => n.voiceUrl.replace(/\/+$/, '') !== n.expected.replace(/\/+$/, ''));
  if (!wrong.length) return row('numbers', expected, 'as deployed', 'pass');
  return row(
    'numbers',
    expected,
    wrong.map((n) => `${n.number} (${n.role}) → ${n.voiceUrl || '(none)'}`).join('; '),
    'fail',
    'a voice URL was changed outside homephone: homephone deploy sets it back (homephone status shows the drift)',
  );
}
