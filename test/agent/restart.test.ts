// A restart loses nothing: the agent dies in the middle of a buzz, a new one starts on the journal
// the dead one left in its state folder, and the buzz goes on through the twin.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALEX, BUZZER, ENTERPHONE, SAM, callTo, eventsOf, hangupStatus, secondsAt, sms, startBuzzer, type BuzzerHarness } from './harness.js';
import { JOURNAL_FILE } from '../../src/agent/index.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Starts a buzz and runs it `seconds` into virtual time; returns the visitor's CallSid. */
async function buzzFor(harness: BuzzerHarness, seconds: number): Promise<{ sid: string; mark: number }> {
  const mark = harness.twin.engine.transcript.events.length;
  const call = harness.twin.engine.startCall({ from: ENTERPHONE, to: BUZZER });
  await harness.twin.engine.advance(seconds);
  return { sid: call.json.sid, mark };
}

function resultOf(harness: BuzzerHarness, sid: string, mark: number) {
  return harness.twin.engine.result(sid, harness.twin.engine.transcript.since(mark));
}

describe('the agent killed in the middle of a buzz', () => {
  it("a tenant who picked up before the restart presses 9 after it: the door opens, the other call stops, the text names her", async () => {
    h = await startBuzzer({ journal: true });
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 6 }] });
    h.twin.engine.phones.set(SAM, { answerAfter: 25 });
    const { sid, mark } = await buzzFor(h, 5); // Alex is hearing the menu
    await h.restart();
    await h.twin.engine.settle();
    const r = resultOf(h, sid, mark);
    const [alex] = callTo(r, ALEX);
    const [sam] = callTo(r, SAM);
    const door = eventsOf(r, sid, 'play').find((e) => e.data.digits !== undefined);
    expect(door?.data.digits).toBe('ww9');
    expect(secondsAt(r, door)).toBeGreaterThanOrEqual(9);
    expect(eventsOf(r, alex, 'say').map((e) => e.data.text)).toContain('The door is open. Goodbye.');
    expect(hangupStatus(r, sam)).toBe('canceled');
    expect(sms(r)).toEqual([{ to: SAM, body: 'Front door opened at 14:02 by Alex.' }]);
    expect(h.logs.find((l) => l.event === 'journal.restored')).toMatchObject({ buzzes: 1, ringing: 1 });
    expect(h.logs.find((l) => l.event === 'buzz.opened')).toMatchObject({ buzz: sid, tenant: 'Alex' });
  });

  it('without the journal (an empty state folder) the same key press finds no buzz: the journal is what carries it', async () => {
    h = await startBuzzer({ journal: true });
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 6 }] });
    h.twin.engine.phones.set(SAM, { answerAfter: 25 });
    const { sid, mark } = await buzzFor(h, 5);
    await h.restart({ emptyState: true });
    await h.twin.engine.settle();
    const r = resultOf(h, sid, mark);
    expect(eventsOf(r, sid, 'play').some((e) => e.data.digits !== undefined)).toBe(false);
    expect(eventsOf(r, callTo(r, ALEX)[0], 'say').map((e) => e.data.text)).toContain('This buzz is over. Goodbye.');
  });

  it('nobody answers: the restarted agent still ends the buzz at the ring timeout, tells the visitor and texts the tenants', async () => {
    h = await startBuzzer({ journal: true, ringTimeout: 30 });
    h.twin.engine.phones.set(ALEX, { answerAfter: 60 });
    h.twin.engine.phones.set(SAM, { answerAfter: 60 });
    const { sid, mark } = await buzzFor(h, 10);
    await h.restart();
    await h.twin.engine.settle();
    const r = resultOf(h, sid, mark);
    const said = eventsOf(r, sid, 'say').find((e) => e.data.text === 'Nobody is answering. Please try again later. Goodbye.');
    expect(secondsAt(r, said)).toBe(30);
    for (const leg of [...callTo(r, ALEX), ...callTo(r, SAM)]) expect(['canceled', 'no-answer']).toContain(hangupStatus(r, leg));
    expect(sms(r).map((m) => m.body)).toEqual(['Missed buzz at 14:02: nobody answered the front door.', 'Missed buzz at 14:02: nobody answered the front door.']);
  });

  it('a tenant talking when the agent died is still known to the new agent; the journal is one file, mode 0600, with no temporary file left', async () => {
    h = await startBuzzer({ journal: true });
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 25 });
    const { sid, mark } = await buzzFor(h, 8); // Alex is talking to the visitor
    await h.restart();
    const dir = h.stateDir!;
    const path = join(dir, JOURNAL_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(h.agent.buzzes.get(sid)?.phase).toBe('talking');
    await h.twin.engine.settle();
    const r = resultOf(h, sid, mark);
    expect(hangupStatus(r, sid)).toBe('completed');
    // Only the journal itself is left in the folder: no temporary file.
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
  });
});

describe('a damaged journal', () => {
  it('is reported and replaced: the agent starts, and buzzes work', async () => {
    h = await startBuzzer({ journal: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.stateDir!, JOURNAL_FILE), '{"version":1,"buzzes":[{"callSid":');
    await h.restart();
    expect(h.logs.find((l) => l.event === 'journal.unreadable')).toBeDefined();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 2 }] });
    h.twin.engine.phones.set(SAM, { answerAfter: 20 });
    const r = await h.buzz();
    expect(eventsOf(r, r.callSid, 'play').some((e) => e.data.digits !== undefined)).toBe(true);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(join(h.stateDir!, JOURNAL_FILE), 'utf8'))).toMatchObject({ version: 1 });
  });
});

describe('the agent stopped in the middle of a buzz', () => {
  it('a visitor at the code prompt is told to buzz again, and the journal keeps nothing of it', async () => {
    h = await startBuzzer({ journal: true });
    const { hashMonitorCode } = await import('../../src/household/monitor-code.js');
    h.modes.entryCodes = [{ name: 'courier', hash: hashMonitorCode('4321') }];
    const { sid, mark } = await buzzFor(h, 2);
    expect(h.agent.buzzes.get(sid)?.phase).toBe('entry');
    await h.agent.close();
    await h.twin.engine.settle();
    const r = resultOf(h, sid, mark);
    expect(eventsOf(r, sid, 'say').map((e) => e.data.text)).toContain('Sorry, the door system is restarting. Please buzz again in a minute. Goodbye.');
    expect(hangupStatus(r, sid)).toBe('completed');
    expect(r.calls).toHaveLength(1); // nobody was rung
    const { readFileSync } = await import('node:fs');
    const journal = JSON.parse(readFileSync(join(h.stateDir!, JOURNAL_FILE), 'utf8')) as { buzzes: unknown[]; entryGuard: Record<string, { tries: unknown[] }> };
    expect(journal.buzzes).toEqual([]);
    // The visitor had not typed a code: no try is held against the next one.
    expect(Object.values(journal.entryGuard).flatMap((g) => g.tries)).toEqual([]);
    expect(h.logs.map((l) => l.event).at(-1)).toBe('agent.stopped');
  });

  it('a REST request that never answers does not hold the stop: it gives up, says so, and stops', async () => {
    // The agent's own stop timeout, shortened: a wall-clock bound, here only so the test is quick.
    h = await startBuzzer({ stopTimeoutMs: 300 });
    h.twin.engine.phones.set(ALEX, { answerAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 20 });
    const { sid } = await buzzFor(h, 2);
    h.twin.admin.addFault({ method: 'POST', path: `/api/2010-04-01/Accounts/*/Calls/${sid}.json`, fault: 'hang' });
    await h.agent.close();
    const events = h.logs.map((l) => l.event);
    expect(events).toContain('agent.stop-timeout');
    expect(events.at(-1)).toBe('agent.stopped');
  });
});
