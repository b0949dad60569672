// The demo's eight scenarios as data: what to play (a call or a buzz, at a local time on the demo
// day) and what counts as "behaved as designed", each expectation a check read from the
// transcript and the decisions the deployed Functions logged. Checks are pure functions of a run,
// so they can be tried against a doctored transcript as well as a real one.
import { InputError } from '../errors.js';
import { isBedtime } from '../household/bedtime.js';
import { decisionsOf, type CallScenario, type Decision } from '../simulate/home-call.js';
import type { PhoneScript, TranscriptEvent } from '@homephone/twin';
import { BEDTIME, DEMO, DEMO_WHITELIST, SIP_URI } from './household.js';

/** What a check reads: the scenario's transcript, its calls, and the call it placed. */
export interface ScenarioRun {
  /** The call the scenario placed (the caller, the SIP phone's call, or the enterphone's). */
  callSid: string;
  events: readonly TranscriptEvent[];
  calls: ReadonlyArray<{ sid: string; from: string; to: string; direction: string }>;
}

/** `true`, or what was wrong. */
export type Verdict = true | string;

export interface Check {
  what: string;
  test: (run: ScenarioRun) => Verdict;
}

export interface CheckResult {
  what: string;
  ok: boolean;
  detail?: string;
}

export type Play =
  | { kind: 'call'; call: CallScenario }
  /** The enterphone calls the buzzer number; each tenant's phone is scripted by name. */
  | { kind: 'buzz'; tenants: Record<string, PhoneScript>; visitor?: PhoneScript };

export interface DemoScenario {
  name: string;
  /** Which seed's system it exercises. */
  system: 'home phone' | 'buzzer';
  title: string;
  /** One line for the summary table. */
  expected: string;
  /** When it is played, local time in the demo household's zone; scenarios run in this order. */
  at: string;
  play: Play;
  checks: Check[];
}

// ---- Reading a run ----------------------------------------------------------------------------

const of = (run: ScenarioRun, callSid: string | undefined, type: string) => run.events.filter((e) => e.callSid === callSid && e.type === type);
const said = (run: ScenarioRun, callSid: string | undefined) => of(run, callSid, 'say').map((e) => String(e.data.text));
const callsTo = (run: ScenarioRun, to: string) => run.calls.filter((c) => c.to === to);
const joins = (run: ScenarioRun, callSid: string | undefined) => of(run, callSid, 'conference-join').map((e) => ({ room: String(e.data.room), muted: e.data.muted === true }));
const answered = (run: ScenarioRun, callSid: string | undefined) => of(run, callSid, 'answered').length > 0;
const started = (run: ScenarioRun, room: string) => run.events.some((e) => e.type === 'conference-start' && e.data.room === room);
const hangupStatus = (run: ScenarioRun, callSid: string | undefined) => of(run, callSid, 'hangup')[0]?.data.status;
const ran = (run: ScenarioRun, path: string) => run.events.some((e) => e.type === 'function' && e.data.path === path);
const firstDecision = (run: ScenarioRun): Decision | undefined => decisionsOf(run.events, run.callSid)[0];
const ensure = (ok: boolean, detail: string): Verdict => (ok ? true : detail);
const list = (items: readonly unknown[]) => (items.length ? items.map((i) => JSON.stringify(i)).join(', ') : 'none');

function decided(path: string, more: (d: Decision) => Verdict = () => true): (run: ScenarioRun) => Verdict {
  return (run) => {
    const d = firstDecision(run);
    if (!d) return 'no decision was logged for the call';
    if (d.path !== path) return `the decision was "${d.path}" (${d.reason})`;
    return more(d);
  };
}

/** The call `from` → `to`, or a failure naming what is missing. */
function callBetween(run: ScenarioRun, from: string, to: string): { sid: string } | string {
  const c = run.calls.find((x) => x.from === from && x.to === to);
  return c ?? `no call from ${from} to ${to} (calls: ${list(run.calls.map((x) => `${x.from} → ${x.to}`))})`;
}

function joinedRoom(run: ScenarioRun, callSid: string, room: string, muted = false): Verdict {
  const j = joins(run, callSid);
  return ensure(j.some((x) => x.room === room && x.muted === muted), `expected to join ${room}${muted ? ' muted' : ''}; joined ${list(j)}`);
}

// ---- The checks each scenario shares -----------------------------------------------------------

const tenantsRung: Check = {
  what: 'both tenants are rung at the same instant, from the buzzer number, by one <Dial>',
  test: (run) => {
    const rung = [DEMO.alex, DEMO.sam].map((n) => callBetween(run, DEMO.buzzerNumber, n));
    const missing = rung.find((r): r is string => typeof r === 'string');
    if (missing) return missing;
    const at = (rung as Array<{ sid: string }>).map((c) => of(run, c.sid, 'ringing')[0]?.atMs);
    return ensure(at[0] !== undefined && at[0] === at[1], `the tenants' phones started ringing at ${list(at)}`);
  },
};

const samCancelled: Check = {
  what: "Sam's phone stops ringing: the call is cancelled",
  test: (run) => {
    const sam = callsTo(run, DEMO.sam)[0];
    return ensure(hangupStatus(run, sam?.sid) === 'canceled', `Sam's call ended ${String(hangupStatus(run, sam?.sid) ?? 'never')}`);
  },
};

const visitorWaits: Check = {
  what: 'the visitor is answered at once and hears ringing while the tenants are rung',
  test: (run) => {
    const dial = of(run, run.callSid, 'dial')[0];
    if (!dial) return 'the visitor was never put through to the tenants';
    return ensure(dial.atMs === run.events[0]!.atMs && !dial.data.answerOnBridge, `the visitor's <Dial> began ${(dial.atMs - run.events[0]!.atMs) / 1000}s in`);
  },
};

// Presses 1 or 9 two seconds into the menu, then talks for half a minute.
const tenantAnswers = (key: '1' | '9'): PhoneScript => ({ answerAfter: 4, press: [{ digits: key, at: 2 }], hangupAfter: 30 });
// Presses 1, asks who it is, and 20 s after picking up presses * then 9 to open the door.
const tenantTalksThenOpens: PhoneScript = { answerAfter: 4, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 21 }], hangupAfter: 40 };

const samTextedAboutAlex: Check = {
  what: 'Sam gets a text that Alex opened the door',
  test: (run) => {
    const texts = run.events.filter((e) => e.type === 'sms' && e.data.to === DEMO.sam).map((e) => String(e.data.body));
    return ensure(texts.some((t) => t.startsWith('Front door opened') && t.includes('by Alex')), `Sam's texts: ${list(texts)}`);
  },
};

const doorPlayedOnce: Check = {
  what: `the door digits (${DEMO.doorDigits}) are played once, on the enterphone's own leg`,
  test: (run) => {
    const played = of(run, run.callSid, 'play').map((e) => e.data.digits).filter((d): d is string => typeof d === 'string');
    return ensure(played.length === 1 && played[0]!.replace(/w/gi, '') === DEMO.doorDigits, `digits played on the enterphone: ${list(played)}`);
  },
};

// ---- The scenarios ----------------------------------------------------------------------------

export const SCENARIOS: readonly DemoScenario[] = [
  {
    name: 'whitelisted-caller',
    system: 'home phone',
    title: 'Uncle Bob (whitelisted) calls the home number on Friday afternoon',
    expected: 'SIP phone rung into hp-<CallSid>; they talk',
    at: '2026-11-20 16:00',
    play: { kind: 'call', call: { to: 'home', from: DEMO.uncleBob, hangupAfter: 20 } },
    checks: [
      { what: 'the Function decides "ring": whitelisted, not bedtime', test: decided('ring') },
      { what: 'the caller waits in a room of its own, hp-<CallSid>', test: (run) => joinedRoom(run, run.callSid, `hp-${run.callSid}`) },
      {
        what: "the SIP phone is rung showing Uncle Bob's number, answers and joins that room",
        test: (run) => {
          const phone = callBetween(run, DEMO.uncleBob, SIP_URI);
          if (typeof phone === 'string') return phone;
          if (!answered(run, phone.sid)) return 'the SIP phone never answered';
          return joinedRoom(run, phone.sid, `hp-${run.callSid}`);
        },
      },
      { what: 'the room starts: they talk', test: (run) => ensure(started(run, `hp-${run.callSid}`), `hp-${run.callSid} never started`) },
    ],
  },
  {
    name: 'blocked-caller',
    system: 'home phone',
    title: 'A stranger (on no list) calls the home number',
    expected: 'hears the message; the phone never rings',
    at: '2026-11-20 16:05',
    play: { kind: 'call', call: { to: 'home', from: DEMO.stranger } },
    checks: [
      { what: 'the Function decides "not-whitelisted"', test: decided('not-whitelisted') },
      {
        what: "the caller hears the household's message",
        test: (run) => ensure(said(run, run.callSid).includes(DEMO.notWhitelistedMessage), `the caller heard ${list(said(run, run.callSid))}`),
      },
      { what: 'the SIP phone is never called', test: (run) => ensure(callsTo(run, SIP_URI).length === 0, `${callsTo(run, SIP_URI).length} call(s) to the SIP phone`) },
      { what: 'the call ends', test: (run) => ensure(hangupStatus(run, run.callSid) !== undefined, 'the call never ended') },
    ],
  },
  {
    name: 'owner-monitoring',
    system: 'home phone',
    title: "The owner calls while Grandma talks to the home phone, enters the monitor code and presses 8",
    expected: "joins Grandma's room muted, after the code",
    at: '2026-11-20 16:10',
    play: { kind: 'call', call: { to: 'home', from: DEMO.ownerCell, inProgress: [DEMO.grandma], press: [{ digits: `${DEMO.monitorCode}#` }, { digits: '8' }], hangupAfter: 30 } },
    checks: [
      {
        what: "Grandma's call is in progress: she and the SIP phone talk in her room",
        test: (run) => {
          const grandma = callBetween(run, DEMO.grandma, DEMO.homeNumber);
          if (typeof grandma === 'string') return grandma;
          const ownerCalled = of(run, run.callSid, 'ringing')[0]?.atMs ?? Infinity;
          const start = run.events.find((e) => e.type === 'conference-start' && e.data.room === `hp-${grandma.sid}`);
          return ensure(start !== undefined && start.atMs < ownerCalled, `hp-${grandma.sid} had not started when the owner called`);
        },
      },
      { what: 'the Functions find one call in progress and ask for the monitor code first', test: decided('owner-menu', (d) => ensure(d.count === 1, `${String(d.count)} calls in progress`)) },
      {
        what: 'the monitor code is checked (/check-code) and accepted, before anything is said about the call',
        test: (run) => {
          if (!ran(run, '/check-code')) return '/check-code never ran';
          const heard = said(run, run.callSid);
          if (heard.some((s) => s.includes('not right') || s.includes('locked'))) return 'the code was refused';
          return ensure(heard[0]?.startsWith('Enter your monitor code') === true, `the owner first heard ${list(heard.slice(0, 1))}`);
        },
      },
      {
        what: "then the owner hears the menu naming Grandma's call: 1 to join, 8 to listen silently",
        test: (run) => ensure(said(run, run.callSid).some((s) => s.includes('with Grandma') && s.includes('8 to listen silently')), `the owner heard ${list(said(run, run.callSid))}`),
      },
      {
        what: "the owner joins Grandma's room muted",
        test: (run) => {
          const grandma = callBetween(run, DEMO.grandma, DEMO.homeNumber);
          return typeof grandma === 'string' ? grandma : joinedRoom(run, run.callSid, `hp-${grandma.sid}`, true);
        },
      },
      {
        what: 'the SIP phone is not rung again',
        test: (run) => ensure(!run.calls.some((c) => c.from === DEMO.ownerCell && c.to === SIP_URI), 'the owner was connected to the SIP phone'),
      },
    ],
  },
  {
    name: 'outbound-whitelisted',
    system: 'home phone',
    title: "The SIP phone dials Uncle Bob's number (5555550112)",
    expected: 'called from the home number; bridged in a room',
    at: '2026-11-20 16:20',
    play: { kind: 'call', call: { to: 'phone', dial: '5555550112', hangupAfter: 20 } },
    checks: [
      { what: 'the Function decides "whitelisted" for +15555550112', test: decided('whitelisted', (d) => ensure(d.number === DEMO.uncleBob, `the number was read as ${String(d.number)}`)) },
      {
        what: 'Uncle Bob is called from the home number and answers',
        test: (run) => {
          const call = callBetween(run, DEMO.homeNumber, DEMO.uncleBob);
          if (typeof call === 'string') return call;
          return ensure(answered(run, call.sid), 'Uncle Bob never answered');
        },
      },
      {
        what: 'the phone and Uncle Bob are bridged in hp-<CallSid>',
        test: (run) => {
          const room = `hp-${run.callSid}`;
          const bob = callsTo(run, DEMO.uncleBob)[0];
          const phone = joinedRoom(run, run.callSid, room);
          if (phone !== true) return `the phone: ${phone}`;
          const callee = bob ? joinedRoom(run, bob.sid, room) : 'Uncle Bob was not called';
          if (callee !== true) return `Uncle Bob: ${callee}`;
          return ensure(started(run, room), `${room} never started`);
        },
      },
    ],
  },
  {
    name: 'outbound-not-whitelisted',
    system: 'home phone',
    title: 'The SIP phone dials a number not on the whitelist (a pizzeria, 5555550188)',
    expected: "connected to the owner's cell instead",
    at: '2026-11-20 16:25',
    play: { kind: 'call', call: { to: 'phone', dial: '5555550188', hangupAfter: 20 } },
    checks: [
      { what: 'the Function decides "owner": not on the whitelist', test: decided('owner') },
      { what: 'the dialled number is never called', test: (run) => ensure(callsTo(run, DEMO.pizzeria).length === 0, 'the pizzeria was called') },
      {
        what: "the phone is connected to the owner's cell",
        test: (run) => {
          const cell = callsTo(run, DEMO.ownerCell)[0];
          if (!cell) return "the owner's cell was not called";
          const connected = of(run, run.callSid, 'dial').some((e) => e.text === `connected to ${DEMO.ownerCell}`);
          return ensure(connected && answered(run, cell.sid), "the phone was not connected to the owner's cell");
        },
      },
    ],
  },
  {
    name: 'emergency-at-bedtime',
    system: 'home phone',
    title: 'The SIP phone dials 911 at 23:30 on Friday, during bedtime',
    expected: 'dialled directly, bedtime and no whitelist notwithstanding',
    at: '2026-11-20 23:30',
    play: { kind: 'call', call: { to: 'phone', dial: '911', hangupAfter: 20 } },
    checks: [
      {
        what: 'it is bedtime, and 911 is on no list',
        test: (run) => {
          const at = run.events[0]?.atMs;
          if (at === undefined || !isBedtime(BEDTIME, DEMO.timeZone, at)) return 'the call was not placed at bedtime';
          return ensure(!DEMO_WHITELIST.some((c) => c.Number === '911'), '911 is on the whitelist');
        },
      },
      { what: 'the Function decides "emergency"', test: decided('emergency') },
      {
        what: '911 is dialled at once from the home number, with no message first',
        test: (run) => {
          const dial = of(run, run.callSid, 'dial').find((e) => Array.isArray(e.data.targets));
          if (!dial) return 'nothing was dialled';
          const targets = dial.data.targets as unknown[];
          if (targets.length !== 1 || targets[0] !== '911' || dial.data.callerId !== DEMO.homeNumber) return `dialled ${list(targets)} from ${String(dial.data.callerId)}`;
          if (dial.atMs !== run.events[0]!.atMs) return `dialled ${(dial.atMs - run.events[0]!.atMs) / 1000}s after the call began`;
          return ensure(said(run, run.callSid).length === 0, `the phone heard ${list(said(run, run.callSid))}`);
        },
      },
      { what: 'emergency services answer', test: (run) => ensure(of(run, run.callSid, 'dial').some((e) => e.text === 'connected to 911'), '911 never answered') },
    ],
  },
  {
    name: 'buzz-talk',
    system: 'buzzer',
    title: 'A visitor buzzes on Saturday morning; Alex presses 1, asks who it is, then * and 9',
    expected: 'Alex talks, then * and 9 open the door; Sam texted',
    at: '2026-11-21 11:00',
    play: { kind: 'buzz', tenants: { Alex: tenantTalksThenOpens, Sam: { behaviour: 'no-answer' } } },
    checks: [
      visitorWaits,
      tenantsRung,
      {
        what: "Alex presses 1 and joins the visitor in the buzz's room; they talk",
        test: (run) => {
          const alex = callsTo(run, DEMO.alex)[0];
          if (!alex) return 'Alex was not called';
          const room = `bz-${run.callSid}`;
          const joined = joinedRoom(run, alex.sid, room);
          return joined === true ? ensure(started(run, room), `${room} never started`) : joined;
        },
      },
      samCancelled,
      {
        what: 'Alex presses * (the agent hears it), then 9, and hears "The door is open"',
        test: (run) => {
          const alex = callsTo(run, DEMO.alex)[0];
          const star = of(run, alex?.sid ?? '', 'digits-sent').some((e) => e.data.hangupOnStar === true);
          if (!star) return 'no * reached the agent';
          return ensure(said(run, alex?.sid).includes('The door is open. Goodbye.'), `Alex heard ${list(said(run, alex?.sid))}`);
        },
      },
      doorPlayedOnce,
      samTextedAboutAlex,
    ],
  },
  {
    name: 'buzz-open',
    system: 'buzzer',
    title: 'A visitor buzzes; Alex picks up and presses 9',
    expected: 'door digits on the enterphone leg; "door is open"',
    at: '2026-11-21 11:05',
    play: { kind: 'buzz', tenants: { Alex: tenantAnswers('9'), Sam: { behaviour: 'no-answer' } } },
    checks: [
      visitorWaits,
      tenantsRung,
      doorPlayedOnce,
      {
        what: 'Alex hears "The door is open", and nobody joins the visitor\'s room',
        test: (run) => {
          const alex = callsTo(run, DEMO.alex)[0];
          if (!said(run, alex?.sid).some((s) => s.startsWith('The door is open'))) return `Alex heard ${list(said(run, alex?.sid))}`;
          return ensure(!started(run, `bz-${run.callSid}`), 'the room started: someone talked to the visitor');
        },
      },
      samCancelled,
      samTextedAboutAlex,
    ],
  },
];

/** Runs a scenario's checks against a run; a check that throws fails with its message. */
export function checkScenario(scenario: DemoScenario, run: ScenarioRun): CheckResult[] {
  return scenario.checks.map((c) => {
    let verdict: Verdict;
    try {
      verdict = c.test(run);
    } catch (err) {
      verdict = `the check failed: ${(err as Error).message}`;
    }
    return verdict === true ? { what: c.what, ok: true } : { what: c.what, ok: false, detail: verdict };
  });
}

/** The scenarios named (in the demo's order), all of them when none is named; exit 2 on an unknown name. */
export function selectScenarios(names: readonly string[] = []): DemoScenario[] {
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    throw new InputError(`no demo scenario named ${unknown.join(', ')}`, { hint: `the scenarios are ${SCENARIOS.map((s) => s.name).join(', ')}` });
  }
  return names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : [...SCENARIOS];
}
