// The home number's text commands, through the twin: a text from the owner's cell is a signed
// webhook to the deployed /sms-home, answered with a <Message> (a reply Message in the twin), and
// its effect shows on the next call's decision. Any other sender gets no reply and one masked log
// line; a forged signature never reaches the Function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '@homephone/twin';
import { AUNT, BOB, GRANDMA, household, HOME, OWNER, said, STRANGER, type Household } from './helpers.js';

let h: Household;

/** Texts the home number; returns the replies' bodies and the log lines the Functions wrote meanwhile. */
async function text(from: string, body: string): Promise<{ replies: string[]; logs: string[]; error: unknown }> {
  const mark = h.twin.engine.transcript.events.length;
  const r = await h.twin.engine.receiveSms({ from, to: HOME, body });
  const events: TranscriptEvent[] = h.twin.engine.transcript.since(mark);
  return { replies: r.replies.map((m) => String(m.body)), logs: events.filter((e) => e.type === 'log').map((e) => e.text), error: r.error };
}

/** The Sync Document the texts write (its revision and data), as the twin holds it. */
const overridesDocument = () => {
  const doc = [...h.twin.state.syncServices.values()].flatMap((sv) => [...sv.documents.values()]).find((d) => d.json.unique_name === 'household-overrides');
  return doc ? { revision: doc.json.revision, data: structuredClone(doc.json.data) } : null;
};

const owner = async (body: string) => {
  const r = await text(OWNER, body);
  expect(r.error).toBeNull();
  expect(r.replies).toHaveLength(1);
  return r.replies[0]!;
};

beforeAll(async () => {
  // Friday 15:00 in New York: not bedtime (Fri 22:00-08:00).
  h = await household({ start: '2026-11-20 15:00' });
});
afterAll(async () => {
  await h.close();
});

describe('texts from the owner', () => {
  it('help, and a short help text for anything not understood', async () => {
    expect(await owner('help')).toMatch(/^Commands: quiet 2h \| quiet until 7am \| awake \| allow/);
    expect(await owner('open the pod bay doors')).toMatch(/^Not understood: "open the pod bay doors"\. Commands: quiet 2h/);
    expect(await owner('quiet forever')).toBe('Not done: say how long: quiet 2h, quiet 45m, or quiet until 7am.');
    expect(await owner('quiet 30h')).toBe('Not done: a quiet time lasts at most 24 hours.');
  });

  it('quiet 2h makes the next call a bedtime call until it ends (bedtime contacts still ring); awake ends it', async () => {
    expect(await owner('quiet 2h')).toBe('Quiet until Fri 17:00 (2 h): only contacts allowed at bedtime ring through. Text awake to end it.');
    const aunt = await h.call({ to: 'home', from: AUNT });
    expect(aunt.decision).toMatchObject({ path: 'bedtime', bedtime: { active: true, window: 'quiet until Fri 17:00 (texted)' } });
    expect(said(aunt)).toEqual(['It is bedtime at our house. Please call again tomorrow. Goodbye.']);
    const grandma = await h.call({ to: 'home', from: GRANDMA });
    expect(grandma.decision).toMatchObject({ path: 'ring' });

    expect(await owner('AWAKE')).toBe('Quiet time ended: the phone rings as usual.');
    expect((await h.call({ to: 'home', from: AUNT })).decision).toMatchObject({ path: 'ring', bedtime: { active: false } });
    expect(await owner('awake')).toBe('There was no quiet time to end.');
  });

  it('quiet until 7am lasts into the next morning, and ends by itself', async () => {
    expect(await owner('quiet until 7am')).toMatch(/^Quiet until Sat 07:00 \(\d+ h( \d+ min)?\)/);
    expect((await h.call({ to: 'home', from: AUNT })).decision).toMatchObject({ path: 'bedtime' });
    // Past 07:00 Saturday the texted quiet is over (and Friday's bedtime, 22:00-08:00, too by 08:00).
    await h.moveTo('2026-11-21 08:30');
    expect((await h.call({ to: 'home', from: AUNT })).decision).toMatchObject({ path: 'ring', bedtime: { active: false } });
  });

  it('allow adds a number that rings through from the next call, named as texted', async () => {
    expect((await h.call({ to: 'home', from: STRANGER })).decision).toMatchObject({ path: 'not-whitelisted' });
    const reply = await owner('allow +1 (555) 000-9999 Grandpa Joe');
    expect(reply).toBe(
      `Allowed Grandpa Joe (${STRANGER}): rings through from the next call, except at bedtime. Live now (kept on Twilio); homephone whitelist sync writes it into your whitelist.`,
    );
    const call = await h.call({ to: 'home', from: STRANGER });
    expect(call.decision).toMatchObject({ path: 'ring', person: 'Grandpa Joe', whitelisted: true });
    // The SIP phone may call them too: the same whitelist.
    const dialled = await h.call({ to: 'phone', dial: STRANGER });
    expect(dialled.decision).toMatchObject({ path: 'whitelisted', person: 'Grandpa Joe' });
    expect(await owner(`allow ${STRANGER}`)).toBe(`Grandpa Joe (${STRANGER}) is already on the whitelist: nothing changed.`);
    expect(await owner('allow +1 555 000 8888')).toBe('Not allowed: give a name too, e.g. allow +15550008888 Grandpa');
    expect(await owner('allow 911 Police')).toBe('Not allowed: 911 is a short number, not a phone number. Example: allow +1 555 555 0199 Grandpa');
  });

  it('block refuses a whitelisted number from the next call; a number not on the list needs no block', async () => {
    expect(await owner(`block ${BOB}`)).toBe(
      `Blocked Uncle Bob (${BOB}): refused from the next call. Live now (kept on Twilio); homephone whitelist sync removes it from your whitelist.`,
    );
    expect((await h.call({ to: 'home', from: BOB })).decision).toMatchObject({ path: 'not-whitelisted', whitelisted: false });
    expect(await owner('block +1 555 000 1234')).toBe('+15550001234 is not on the whitelist: it is refused already. Nothing changed.');
  });

  it('who lists the last calls, named as the whitelist (with texted changes) names them, unknown numbers masked', async () => {
    const unknown = '+15550004321';
    await h.call({ to: 'home', from: unknown });
    const reply = await owner('who');
    const lines = reply.split('\n');
    expect(lines[0]).toBe('Last calls:');
    expect(lines.slice(1)).toHaveLength(5);
    expect(lines[1]).toMatch(/^Sat \d\d:\d\d \+1\*{6}4321: blocked$/);
    // Uncle Bob is blocked now, so the whitelist no longer names him.
    expect(lines[2]).toMatch(/^Sat \d\d:\d\d \+1\*{6}0100: blocked$/);
    expect(reply).toMatch(/Sat \d\d:\d\d to Grandpa Joe: rang/);
    expect(reply).not.toContain(unknown);
    expect(reply).not.toContain(BOB);
  });
});

describe('texts from anyone else', () => {
  it('get no reply, change nothing, and leave one masked log line, whatever the command', async () => {
    const before = overridesDocument();
    const commands = ['quiet 2h', 'quiet until 7am', 'awake', `allow ${STRANGER} Me`, `block ${AUNT}`, 'who', 'help', 'hello'];
    for (const from of [STRANGER, GRANDMA, '+15550001111']) {
      for (const body of commands) {
        const r = await text(from, body);
        expect(r.replies, `${from}: ${body}`).toEqual([]);
        expect(r.error).toBeNull();
        expect(r.logs).toEqual([`text to the home number from +1******${from.slice(-4)} ignored: only the owner's cell is obeyed`]);
        expect(r.logs.join('\n')).not.toContain(body);
      }
    }
    // Nothing changed on Twilio, and the next calls decide as before.
    expect(overridesDocument()).toEqual(before);
    expect((await h.call({ to: 'home', from: AUNT })).decision).toMatchObject({ path: 'ring' });
    expect((await h.call({ to: 'home', from: BOB })).decision).toMatchObject({ path: 'not-whitelisted' });
  });

  it('a request without a valid Twilio signature never reaches the Function (400)', async () => {
    const params = { From: OWNER, To: HOME, Body: 'quiet 2h', MessageSid: `SM${'0'.repeat(32)}`, AccountSid: h.twin.credentials.accountSid };
    const mark = h.twin.engine.transcript.events.length;
    for (const headers of [{ 'X-Twilio-Signature': 'bm90IGEgc2lnbmF0dXJl' }, {}] as Array<Record<string, string>>) {
      const res = await h.twin.engine.webhooks.send({ url: `https://${h.domain}/sms-home`, method: 'POST', params, headers, unsigned: true });
      expect(res.status).toBe(400);
    }
    expect(h.twin.engine.transcript.since(mark).filter((e) => e.type === 'function')).toEqual([]);
    expect((await h.call({ to: 'home', from: AUNT })).decision).toMatchObject({ path: 'ring' });
  });
});

describe('when Sync fails', () => {
  it('the owner is told nothing changed, and the next call decides on the deployed whitelist alone', async () => {
    const before = overridesDocument();
    h.twin.admin.addFault({ method: 'POST', path: '/sync/v1/Services/*/Documents/*', fault: '500', times: 1 });
    try {
      expect(await owner('quiet 2h')).toBe('Sorry, that did not work (quiet): Twilio could not be reached. Nothing changed; try again.');
    } finally {
      h.twin.admin.clearFaults();
    }
    expect(overridesDocument()).toEqual(before);
    // A read that fails: the call goes on (logged) with the deployed whitelist, where Bob still is.
    h.twin.admin.addFault({ method: 'GET', path: '/sync/v1/Services/*/Documents/*', fault: '500', times: 1 });
    try {
      const call = await h.call({ to: 'home', from: BOB });
      expect(call.decision).toMatchObject({ path: 'ring', person: 'Uncle Bob' });
      expect(call.events.some((e) => e.type === 'log' && e.text.startsWith('could not read the texted changes'))).toBe(true);
    } finally {
      h.twin.admin.clearFaults();
    }
  });
});
