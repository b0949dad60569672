// Verdicts from records: each path's row is judged from what Twilio recorded while its call ran
// (the calls, their legs and statuses, Monitor alerts on them, the Functions' logged decisions,
// Studio steps, the agent's record in the check window) and from the deployment as it reads back
// over REST. Nothing here knows whether the account is Twilio's or the twin's.
import type { AlertRecord, DecisionRecord } from './records.js';
import type { CheckRow, PathId } from './types.js';
import { everSeen, type Watched } from './watch.js';
import type { CheckWindow } from './window.js';
import { pathLabel } from './plan.js';

export interface Facts {
  sipUri: string;
  ownerCell: string;
  publicUrl: string | null;
  /** The deployed Functions' domain (xxx.twil.io). */
  domain: string | null;
  /** The SIP domain's credential list is mapped for registrations (else the phone can never register). */
  registrationsMapped: boolean;
  tenants: string[];
}

/** What Twilio kept about one row's call. */
export interface Evidence {
  w: Watched;
  alerts: AlertRecord[];
  decisions: DecisionRecord[];
  studio: Array<{ flow: string; steps: string[] }>;
  /** The conference rooms named after the inbound call (the home phone's per-call room, hp-<CallSid>). */
  rooms: Array<{ sid: string; status: string }>;
}

export const row = (id: PathId, expected: string, seen: string, verdict: CheckRow['verdict'], hint: string | null = null): CheckRow => ({
  id,
  path: pathLabel(id),
  expected,
  seen,
  verdict,
  hint,
});

const RANG = ['ringing', 'in-progress', 'completed'];

/** What each call path should show (the buzzer's depends on --ring-people: BUZZER_EXPECTED). */
export const EXPECTED = {
  'unknown-caller': 'refused, nothing rings',
  'whitelisted-caller': "the SIP phone rings (or: not registered, moved on to the owner's cell)",
  'owner-menu': 'the menu answers (calls-in-progress decides), no code entered',
} as const;
const FUNCTION_HINT = (path: string) => `the Function ${path} is failing: read its logs (Twilio console > Functions > homephone > Logs); homephone deploy uploads it again`;
const AUDIO_HINT = 'an audio file the deploy references is missing: homephone deploy uploads the assets again';

/** The alerts Twilio raised about a call this row caused. */
export function alertsOn(e: Evidence, sid: string | undefined): AlertRecord[] {
  return sid ? e.alerts.filter((a) => a.resourceSid === sid) : [];
}

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** An HTTP status named in an alert's text (Twilio's alert_text is form-encoded: "…&httpResponse=404&…"). */
const httpStatusIn = (a: AlertRecord): string | null => /\b([45]\d\d)\b/.exec(decodeURIComponent(a.text.replace(/\+/g, ' ')))?.[1] ?? null;

const describeAlert = (a: AlertRecord): string => {
  const status = httpStatusIn(a);
  return `error ${a.errorCode}${a.requestUrl ? ` on ${a.requestUrl}` : ''}${status ? ` (answered ${status})` : ''}`;
};

/** What went wrong on the call that arrived, read from its alerts: seen + the hint that fixes it. */
export function explainTrouble(e: Evidence, facts: Facts): { seen: string; hint: string } {
  const inbound = e.w.inbound;
  if (!inbound) {
    return {
      seen: `the call never arrived on ${e.w.caller.to} (${e.w.caller.status})`,
      hint: `Twilio did not deliver the call: is ${e.w.caller.to} a number of this account? (homephone status)`,
    };
  }
  const alert = alertsOn(e, inbound.sid)[0];
  if (alert) {
    const url = alert.requestUrl;
    if (/\.(wav|mp3|aiff?|gsm|ulaw)(\?|$)/i.test(url) || ['13420', '13325'].includes(alert.errorCode)) return { seen: describeAlert(alert), hint: AUDIO_HINT };
    if (facts.domain && url.includes(facts.domain)) return { seen: `${describeAlert(alert)}: the Function ${pathOf(url)} failed`, hint: FUNCTION_HINT(pathOf(url)) };
    return {
      seen: describeAlert(alert),
      hint: "the number's voice URL did not answer: see the numbers row; homephone deploy sets it back (homephone status shows the drift)",
    };
  }
  return { seen: 'no decision was logged', hint: 'the call never reached the deployed Functions: run homephone status for drift, then homephone deploy' };
}

/** The decision logged for the check's own call: by its CallSid, so a household call at the same moment can't stand in. */
const decisionFor = (e: Evidence, call: string, from?: string): DecisionRecord | undefined =>
  e.decisions.find(
    (d) =>
      d.call === call &&
      (d.callSid ? d.callSid === e.w.inbound?.sid : from === undefined || d.from === undefined || d.from === from),
  );

const studioNote = (e: Evidence): string => {
  const run = e.studio[0];
  return run?.steps.length ? ` (Studio: ${run.steps.join(' → ')})` : '';
};

export function judgeUnknown(e: Evidence, facts: Facts): CheckRow {
  const expected = EXPECTED['unknown-caller'];
  const rang = e.w.legs.filter((c) => c.to.startsWith(facts.sipUri) || c.to === facts.ownerCell).map((c) => c.to);
  const rangNote = rang.length ? `; then rang ${rang.join(', ')}` : '';
  if (alertsOn(e, e.w.inbound?.sid).length || !e.w.inbound) {
    // Something failed first (a voice URL, a Function): what rang after is its consequence.
    const t = explainTrouble(e, facts);
    return row('unknown-caller', expected, `${t.seen}${rangNote}`, 'fail', t.hint);
  }
  if (rang.length) {
    return row('unknown-caller', expected, `rang ${rang.join(', ')}`, 'fail', 'the deployed whitelist lets this caller through: check homephone whitelist list, then homephone deploy');
  }
  const decision = decisionFor(e, 'inbound', e.w.caller.from);
  if (decision && (decision.path === 'not-whitelisted' || decision.path === 'bedtime')) {
    return row('unknown-caller', expected, `refused (${decision.path}), nothing rang${studioNote(e)}`, 'pass');
  }
  const t = explainTrouble(e, facts);
  return row('unknown-caller', expected, t.seen, 'fail', t.hint);
}

export function judgeWhitelisted(e: Evidence, facts: Facts): CheckRow {
  const expected = EXPECTED['whitelisted-caller'];
  const sip = e.w.legs.find((c) => c.to.startsWith(facts.sipUri));
  const cell = e.w.legs.find((c) => c.to === facts.ownerCell);
  if (alertsOn(e, e.w.inbound?.sid).length || !e.w.inbound) {
    // The caller's own call went wrong (its hold sound, a Function, the voice URL…).
    const t = explainTrouble(e, facts);
    return row('whitelisted-caller', expected, `${sip ? `the SIP call ended ${sip.status}` : 'the SIP phone was never called'}; ${t.seen}`, 'fail', t.hint);
  }
  if (!sip) {
    const t = explainTrouble(e, facts);
    return row('whitelisted-caller', expected, `the SIP phone was never called; ${t.seen}`, 'fail', t.hint);
  }
  const hungUp = e.w.endedBy ? ' (the check hung up once it did)' : '';
  const room = e.rooms.length && e.w.inbound ? `; the caller waited in its own room hp-${e.w.inbound.sid}` : '';
  if (everSeen(e.w, sip.sid, RANG)) return row('whitelisted-caller', expected, `the SIP phone rang${hungUp}${room}`, 'pass');
  const code = alertsOn(e, sip.sid)[0]?.errorCode ?? null;
  if (code === '32009' && !facts.registrationsMapped) {
    return row(
      'whitelisted-caller',
      expected,
      'not registered (32009), and the SIP domain has no credential list mapped for registrations',
      'fail',
      "the SIP phone can never register: the domain's registration mapping is missing; homephone deploy restores it",
    );
  }
  if (code === '32009' && cell) {
    const rangCell = everSeen(e.w, cell.sid, RANG) ? 'it rang briefly before the check hung up' : 'the check hung up before it rang';
    return row('whitelisted-caller', expected, `phone not registered (32009): moved on to the owner's cell (${rangCell})`, 'pass');
  }
  return row(
    'whitelisted-caller',
    expected,
    `the SIP call ended ${sip.status}${code ? ` (${code})` : ''}${cell ? '' : ", the owner's cell was not tried"}`,
    'fail',
    "the caller was not moved on to the owner's cell: check the participant-status Function's logs; homephone deploy",
  );
}

export function judgeOwner(e: Evidence, facts: Facts): CheckRow {
  const expected = EXPECTED['owner-menu'];
  const decision = decisionFor(e, 'owner');
  if (e.w.inbound && !alertsOn(e, e.w.inbound.sid).length && decision) {
    const sip = e.w.legs.find((c) => c.to.startsWith(facts.sipUri));
    return row('owner-menu', expected, `answered: ${decision.reason ?? decision.path}${sip && everSeen(e.w, sip.sid, RANG) ? '; the home phone rang' : ''}`, 'pass');
  }
  const t = explainTrouble(e, facts);
  return row('owner-menu', expected, t.seen, 'fail', t.hint);
}

export const BUZZER_EXPECTED = (facts: Facts, ringPeople: boolean) =>
  `the agent at ${facts.publicUrl ?? '(no buzzer.publicUrl)'} answers a signed webhook${ringPeople ? ' and rings the tenants (--ring-people)' : ', nobody rings'}`;

export function judgeBuzzer(e: Evidence, facts: Facts, window: CheckWindow | null, ringPeople: boolean): CheckRow {
  const expected = BUZZER_EXPECTED(facts, ringPeople);
  const inbound = e.w.inbound;
  const tenantLegs = e.w.legs.filter((c) => facts.tenants.includes(c.to));
  const rang = tenantLegs.map((c) => `${c.to}${everSeen(e.w, c.sid, RANG) ? '' : ' (hung up before it rang)'}`);
  const problems = alertsOn(e, inbound?.sid);
  const agentAlert = problems.find((a) => facts.publicUrl && a.requestUrl.startsWith(facts.publicUrl.replace(/\/+$/, '')));
  // The agent records every check buzz it answers in the check window: the proof it was the agent.
  if (inbound && !agentAlert && window?.answered.some((a) => a.call === inbound.sid)) {
    if (!ringPeople) {
      if (tenantLegs.length) return row('buzzer-agent', expected, `the agent answered, but ${rang.join(', ')} were called`, 'fail', 'the agent rang tenants for a check buzz: update the agent (homephone agent) and run the check again');
      return row('buzzer-agent', expected, 'the agent answered the check buzz (greeting, ringback) and recorded it; nobody was rung', 'pass');
    }
    if (tenantLegs.length) return row('buzzer-agent', expected, `the agent answered; rang ${rang.join(', ')}`, 'pass');
  }
  const what = agentAlert ? `the agent: ${describeAlert(agentAlert)}` : inbound ? 'the agent did not answer the check buzz' : `the call never arrived on ${e.w.caller.to}`;
  const fallback = tenantLegs.length ? `; the fallback answered and rang ${rang.join(', ')}` : '';
  const refused = agentAlert && httpStatusIn(agentAlert) === '403';
  return row(
    'buzzer-agent',
    expected,
    `${what}${fallback}`,
    'fail',
    refused
      ? "the agent refused Twilio's signature: its auth token or buzzer.publicUrl differs from the account's (homephone doctor)"
      : agentAlert || !inbound
        ? 'the agent is down or unreachable at buzzer.publicUrl: start it (homephone agent) and check the URL with homephone doctor'
        : 'the agent does not know check buzzes (an older homephone agent?) or could not read the check window: update and restart it (homephone agent)',
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
