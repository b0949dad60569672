// The demo's checks have teeth: each scenario passes on its real transcript, and fails, naming
// what is missing, when the transcript is doctored to lack what the design promises. Through the
// core API (runDemo, checkScenario); no product code is broken to get a failure.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, SIP_URI } from '../../src/demo/household.js';
import { runDemo, type DemoReport, type ScenarioReport } from '../../src/demo/run.js';
import { checkScenario, SCENARIOS, selectScenarios, type ScenarioRun } from '../../src/demo/scenarios.js';
import type { TranscriptEvent } from '@homephone/twin';

let report: DemoReport;

beforeAll(async () => {
  report = await runDemo();
});

const reportOf = (name: string): ScenarioReport => report.scenarios.find((s) => s.name === name)!;
const scenarioOf = (name: string) => SCENARIOS.find((s) => s.name === name)!;
const runOf = (r: ScenarioReport): ScenarioRun => ({ callSid: r.callSid!, events: r.events, calls: r.calls });

/** The scenario's checks against its run with the events changed; the failed checks' titles and details. */
function failures(name: string, change: (events: TranscriptEvent[], run: ScenarioRun) => TranscriptEvent[] | ScenarioRun) {
  const run = runOf(reportOf(name));
  const changed = change(run.events.map((e) => ({ ...e, data: { ...e.data } })), run);
  const doctored = Array.isArray(changed) ? { ...run, events: changed } : changed;
  return checkScenario(scenarioOf(name), doctored).filter((c) => !c.ok);
}

const callTo = (name: string, to: string) => reportOf(name).calls.find((c) => c.to === to)!.sid;

it('plays all eight scenarios, each passing every check on its real transcript', () => {
  expect(report.scenarios.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
  for (const s of report.scenarios) {
    expect(s.checks.filter((c) => !c.ok), s.name).toEqual([]);
    expect(s.passed).toBe(true);
  }
  expect(report.passed).toBe(true);
});

it('no scenario passes on an empty transcript', () => {
  for (const s of SCENARIOS) {
    expect(checkScenario(s, { callSid: 'CA0', events: [], calls: [] }).some((c) => !c.ok), s.name).toBe(true);
  }
});

describe('a doctored transcript fails the check that reads it', () => {
  it('whitelisted caller: the SIP phone never joins the room', () => {
    const phone = callTo('whitelisted-caller', SIP_URI);
    const failed = failures('whitelisted-caller', (events) => events.filter((e) => !(e.callSid === phone && e.type === 'conference-join')));
    expect(failed.map((c) => c.what)).toEqual(["the SIP phone is rung showing Uncle Bob's number, answers and joins that room"]);
    expect(failed[0]!.detail).toMatch(/^expected to join hp-CA[0-9a-f]{32}; joined none$/);
  });

  it('whitelisted caller: the Function decided otherwise', () => {
    const failed = failures('whitelisted-caller', (events) =>
      events.map((e) => (e.type === 'log' ? { ...e, text: e.text.replace('"path":"ring"', '"path":"bedtime"') } : e)),
    );
    expect(failed.map((c) => c.what)).toEqual(['the Function decides "ring": whitelisted, not bedtime']);
    expect(failed[0]!.detail).toMatch(/^the decision was "bedtime"/);
  });

  it('blocked caller: the SIP phone was called after all', () => {
    const failed = failures('blocked-caller', (_events, run) => ({ ...run, calls: [...run.calls, { sid: 'CA1', from: DEMO.stranger, to: SIP_URI, direction: 'outbound-api' }] }));
    expect(failed.map((c) => c.what)).toEqual(['the SIP phone is never called']);
  });

  it('owner monitoring: the owner joins unmuted', () => {
    const owner = reportOf('owner-monitoring').callSid;
    const failed = failures('owner-monitoring', (events) =>
      events.map((e) => (e.callSid === owner && e.type === 'conference-join' ? { ...e, data: { ...e.data, muted: false } } : e)),
    );
    expect(failed.map((c) => c.what)).toEqual(["the owner joins Grandma's room muted"]);
  });

  it('outbound to a non-whitelisted number: the dialled number is called', () => {
    const failed = failures('outbound-not-whitelisted', (_events, run) => ({ ...run, calls: [...run.calls, { sid: 'CA1', from: DEMO.homeNumber, to: DEMO.pizzeria, direction: 'outbound-dial' }] }));
    expect(failed.map((c) => c.what)).toEqual(['the dialled number is never called']);
  });

  it('911 at bedtime: a message before the dial', () => {
    const sid = reportOf('emergency-at-bedtime').callSid;
    const failed = failures('emergency-at-bedtime', (events) => [
      ...events,
      { ...events[0]!, seq: 1e6, callSid: sid, type: 'say', text: '"Please hold."', data: { text: 'Please hold.' } },
    ]);
    expect(failed.map((c) => c.what)).toEqual(['911 is dialled at once from the home number, with no message first']);
  });

  it('buzz 9: no door digits on the enterphone leg, and Sam’s call answered rather than cancelled', () => {
    const sam = callTo('buzz-open', DEMO.sam);
    const failed = failures('buzz-open', (events) =>
      events
        .filter((e) => !(e.type === 'play' && typeof e.data.digits === 'string'))
        .map((e) => (e.callSid === sam && e.type === 'hangup' ? { ...e, data: { ...e.data, status: 'completed' } } : e)),
    );
    expect(failed.map((c) => c.what)).toEqual(["the door digits (9) are played once, on the enterphone's own leg", "Sam's phone stops ringing: the call is cancelled"]);
    expect(failed[1]!.detail).toBe("Sam's call ended completed");
  });

  it('buzz 1: Alex never reaches the visitor', () => {
    const alex = callTo('buzz-talk', DEMO.alex);
    const failed = failures('buzz-talk', (events) => events.filter((e) => !(e.callSid === alex && e.type === 'conference-join')));
    expect(failed.map((c) => c.what)).toEqual(["Alex presses 1 and joins the visitor in the buzz's room; they talk"]);
  });

  it('buzz 1 then * 9: the star never reaches the agent, and the door is played twice', () => {
    const failed = failures('buzz-talk', (events) =>
      events.flatMap((e) => {
        if (e.type === 'digits-sent' && e.data.hangupOnStar === true) return [{ ...e, data: { ...e.data, hangupOnStar: false } }];
        if (e.type === 'play' && typeof e.data.digits === 'string') return [e, e];
        return [e];
      }),
    );
    expect(failed.map((c) => c.what)).toEqual([
      'Alex presses * (the agent hears it), then 9, and hears "The door is open"',
      "the door digits (9) are played once, on the enterphone's own leg",
    ]);
  });
});

it('selects scenarios by name, in the demo order, and refuses unknown names', () => {
  expect(selectScenarios(['buzz-open', 'blocked-caller']).map((s) => s.name)).toEqual(['blocked-caller', 'buzz-open']);
  expect(() => selectScenarios(['nope'])).toThrow(/no demo scenario named nope/);
});
