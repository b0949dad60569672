// The owner's text commands to the buzzer number, at the agent's /sms endpoint: signed requests
// straight to the agent over HTTP (the signature, the sender, the parsing, the configuration file),
// and the twin delivering texts end to end (the number's sms_url, the <Message> replies, the buzzes
// that follow).
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, TEXT_HELP } from '../../src/agent/index.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { ALEX, BUZZER, PUBLIC_URL, SAM, START, callTo, eventsOf, sms, startBuzzer, type BuzzerHarness } from './harness.js';

const OWNER = '+15550002222';
const STRANGER = '+15550007777';
const SMS_URL = `${PUBLIC_URL}sms`;

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let seq = 0;
const messageSid = () => `SM${(++seq).toString(16).padStart(32, '0')}`;

/** Twilio's SMS webhook form for a text to the buzzer number. */
function smsForm(from: string, body: string, sid = messageSid()): Record<string, string> {
  return { MessageSid: sid, SmsSid: sid, AccountSid: h!.twin.credentials.accountSid, From: from, To: BUZZER, Body: body, NumMedia: '0', NumSegments: '1', SmsStatus: 'received', ApiVersion: '2010-04-01' };
}

/** POSTs the form to the agent, signed (by default with the account's token over the public /sms URL). */
async function post(params: Record<string, string>, signature: string | null = twilio.getExpectedTwilioSignature(h!.twin.credentials.authToken, SMS_URL, params)) {
  const res = await fetch(`${h!.agent.localUrl}/sms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'X-Twilio-Signature': signature }) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The text of the one <Message> in a reply (and that there is exactly one). */
function message(xml: string): string {
  const found = [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) => m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  expect(found, xml).toHaveLength(1);
  return found[0]!;
}

/**
 * A text the twin received (so Twilio has the Message an `open` is checked against), as its
 * webhook form. The buzzer number has no sms_url here: the test posts the webhook itself.
 */
async function received(from: string, body: string): Promise<Record<string, string>> {
  const res = await fetch(`${h!.twin.url}/_twin/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from, to: BUZZER, body }) });
  expect(res.status).toBe(200);
  const { message } = (await res.json()) as { message: { sid: string } };
  return smsForm(from, body, message.sid);
}

// The twin refuses an empty text; an empty body is posted under a made-up SID (it runs nothing).
const text = async (body: string, from = OWNER) => post(body ? await received(from, body) : smsForm(from, body));
const openUntil = () => (JSON.parse(readFileSync(h!.config!.path, 'utf8')) as { buzzer: { openUntil?: string } }).buzzer.openUntil;

describe('texts to the agent (signed requests to /sms)', () => {
  it('open 15m writes the window to config.json and the next buzz opens the door, calling nobody', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const res = await text('open 15m');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
    expect(message(res.body)).toBe('Door: a buzz opens it until 14:17 (15 min); the tenants get a text each time. Text "close" to end it.');
    expect(openUntil()).toBe(new Date(START.getTime() + 15 * 60_000).toISOString());
    const r = await h.buzz();
    expect(r.calls).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play')[0]?.data.digits).toBe('ww9');
    expect(sms(r).map((m) => m.to).sort()).toEqual([ALEX, SAM]);
    // The owner's number is never logged; the command is.
    expect(h.logs.find((l) => l.event === 'sms.command')).toMatchObject({ command: 'open', minutes: 15 });
    expect(JSON.stringify(h.logs)).not.toContain(OWNER);
  });

  it('close ends the window: the next buzz rings the tenants', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    await text('open 2h');
    expect(message((await text('close')).body)).toBe('Door: the delivery window is closed; buzzes ring the tenants again.');
    expect(openUntil()).toBeUndefined();
    expect(message((await text('close')).body)).toBe('Door: no delivery window was open; buzzes ring the tenants.');
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play').some((e) => e.data.digits)).toBe(false);
  });

  it('status says whether the window is open, the last buzzes, and Hue', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    expect(message((await text('status')).body)).toBe('Door: buzzes ring the tenants. No buzzes since the agent started. Hue: not paired.');
    await h.buzz(); // nobody answers: missed
    await text('open 30m');
    await h.buzz();
    h.twin.engine.phones.set(SAM, { answerAfter: 2, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    await text('close');
    await h.buzz();
    await text('open 23h');
    const reply = message((await text('Status')).body);
    // A window ending tomorrow names the day; the buzzes newest first, each with its time.
    expect(reply).toMatch(/^Door: a buzz opens it until 22 Nov \d\d:\d\d\. Last buzzes: (\d\d:\d\d) answered by Sam; (\d\d:\d\d) opened by the delivery window; 14:02 missed\. Hue: not paired\.$/);
  });

  it('status still lists the last buzzes after the agent restarted (the journal keeps their summaries)', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true, journal: true });
    await h.buzz(); // nobody answers: missed
    await text('open 15m');
    await h.buzz();
    await h.restart();
    expect(message((await text('status')).body)).toBe('Door: a buzz opens it until 14:17. Last buzzes: 14:02 opened by the delivery window; 14:02 missed. Hue: not paired.');
    const journal = JSON.parse(readFileSync(join(h.stateDir!, JOURNAL_FILE), 'utf8')) as { buzzes: unknown[]; recent: unknown[] };
    expect(journal.buzzes).toEqual([]);
    expect(journal.recent).toHaveLength(2);
    // A restart on an empty state folder knows none.
    await h.restart({ emptyState: true });
    expect(message((await text('status')).body)).toMatch(/No buzzes since the agent started\./);
  });

  it.each([
    ['open 0m', '"0m" is not a time from 1 minute to 24 hours.'],
    ['open 25h', '"25h" is not a time from 1 minute to 24 hours.'],
    ['open banana', '"banana" is not a time from 1 minute to 24 hours.'],
    ['open', '"open" needs a time, like open 15m.'],
    ['open the door please, it is raining', '"the door please, it is r..." is not a time from 1 minute to 24 hours.'],
    ['unlock', '"unlock" is not a command.'],
    ['close now', '"close now" is not a command.'],
    ['', 'That text was empty.'],
  ])('%j gets the help text and changes nothing', async (body, problem) => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const before = readFileSync(h.config!.path, 'utf8');
    const res = await text(body);
    expect(res.status).toBe(200);
    expect(message(res.body)).toBe(`${problem} ${TEXT_HELP}`);
    expect(readFileSync(h.config!.path, 'utf8')).toBe(before);
  });

  it('help, capitals, a full stop and spaces are understood', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    expect(message((await text('help')).body)).toBe(TEXT_HELP);
    expect(message((await text('  OPEN   1h30m. ')).body)).toContain('until 15:32 (1 h 30 min)');
    expect(message((await text('Open 45')).body)).toContain('until 14:47 (45 min)');
  });

  it('any other sender: an empty <Response/>, nothing done, a masked log line', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const before = readFileSync(h.config!.path, 'utf8');
    for (const body of ['open 15m', 'status', 'help']) {
      const res = await text(body, STRANGER);
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response\/>$/);
    }
    expect(readFileSync(h.config!.path, 'utf8')).toBe(before);
    const ignored = h.logs.filter((l) => l.event === 'sms.ignored');
    expect(ignored).toHaveLength(3);
    expect(ignored[0]).toMatchObject({ level: 'warn', from: '+*******7777', reason: 'not the owner' });
    expect(JSON.stringify(h.logs)).not.toContain(STRANGER);
  });

  it('an agent without a configuration file (simulate, demo) says it changed nothing', async () => {
    h = await startBuzzer({ ownerCell: OWNER });
    expect(message((await text('open 15m')).body)).toBe('Nothing changed: this agent has no configuration file to keep a delivery window in.');
    expect(message((await text('close')).body)).toBe('Nothing changed: this agent has no configuration file to keep a delivery window in.');
    expect(h.modes.openUntil).toBeUndefined();
  });

  it('without household.ownerCell nobody is obeyed', async () => {
    h = await startBuzzer({ configFile: true });
    const res = await text('open 15m');
    expect(res.body).not.toContain('<Message');
    expect(openUntil()).toBeUndefined();
    expect(h.logs.find((l) => l.event === 'sms.ignored')).toMatchObject({ reason: 'household.ownerCell is not set' });
  });

  it('unsigned, forged or signed for another URL: 403, nothing done', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const form = smsForm(OWNER, 'open 15m');
    const token = h.twin.credentials.authToken;
    expect((await post(form, null)).status).toBe(403);
    expect((await post(form, twilio.getExpectedTwilioSignature('f'.repeat(32), SMS_URL, form))).status).toBe(403);
    expect((await post(form, twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}status`, form))).status).toBe(403);
    // Signed, then a parameter changed on the way (a stranger's text passed off as the owner's).
    const stranger = smsForm(STRANGER, 'open 15m');
    const signed = twilio.getExpectedTwilioSignature(token, SMS_URL, stranger);
    expect((await post({ ...stranger, From: OWNER }, signed)).status).toBe(403);
    expect(openUntil()).toBeUndefined();
    expect(h.logs.filter((l) => l.event === 'request.forbidden')).toHaveLength(4);
  });

  it('a window written with the same file timestamp as the last one read is still seen (timestamps are coarse)', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const path = h.config!.path;
    const stamp = new Date('2026-01-01T00:00:00Z');
    await text('open 15m');
    utimesSync(path, stamp, stamp);
    expect(message((await text('status')).body)).toMatch(/^Door: a buzz opens it until 14:17\./);
    await text('close');
    utimesSync(path, stamp, stamp);
    expect(message((await text('status')).body)).toMatch(/^Door: buzzes ring the tenants\./);
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    expect(callTo(await h.buzz(), ALEX)).toHaveLength(1);
  });

  it('the same text delivered again is answered again but not run again', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    const open = await received(OWNER, 'open 15m');
    const first = await post(open);
    await text('close');
    const again = await post(open);
    expect(again.body).toBe(first.body);
    expect(openUntil()).toBeUndefined();
    expect(h.logs.filter((l) => l.event === 'sms.repeated')).toHaveLength(1);
  });

  describe('replays of a signed text (the signature has no timestamp)', () => {
    const REFUSED = 'Nothing changed: Twilio does not have this text as just sent from your cell.';
    const journalTexts = () => (JSON.parse(readFileSync(join(h!.stateDir!, JOURNAL_FILE), 'utf8')) as { texts: Array<{ sid: string }> }).texts.map((t) => t.sid);

    it('a text run before a restart is not run again by the new agent (the journal keeps its MessageSid)', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true, journal: true });
      const open = await received(OWNER, 'open 15m');
      expect(message((await post(open)).body)).toMatch(/^Door: a buzz opens it until 14:17/);
      await text('close');
      expect(journalTexts()).toContain(open.MessageSid);
      await h.restart();
      const replay = await post(open);
      expect(replay.status).toBe(200);
      expect(message(replay.body)).toBe('Nothing done: that text was already run (14:02).');
      expect(openUntil()).toBeUndefined();
      expect(h.logs.find((l) => l.event === 'sms.repeated')).toMatchObject({ level: 'warn', message: open.MessageSid });
      // The next buzz rings the tenants: the door was not opened by the replay.
      h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
      expect(callTo(await h.buzz(), ALEX)).toHaveLength(1);
      // A new text from the owner still opens it, and the restarted agent keeps the old SIDs too.
      expect(message((await text('open 10m')).body)).toMatch(/^Door: a buzz opens it until/);
      expect(journalTexts()).toContain(open.MessageSid);
    });

    it('the journal keeps the texts of the last 24 hours (an open older than 5 minutes is refused anyway)', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true, journal: true });
      const first = await received(OWNER, 'status');
      await post(first);
      await h.twin.engine.advance(23 * 3600);
      const second = await received(OWNER, 'status');
      await post(second);
      expect(journalTexts()).toEqual([first.MessageSid, second.MessageSid]);
      await h.twin.engine.advance(3600 + 1);
      await text('status');
      expect(journalTexts()).not.toContain(first.MessageSid);
      expect(journalTexts()).toContain(second.MessageSid);
      // After a restart (the in-memory answers gone too) the one forgotten is still refused as an
      // open: Twilio received it a day ago.
      await h.restart();
      expect(message((await post({ ...first, Body: 'open 15m' }, twilio.getExpectedTwilioSignature(h.twin.credentials.authToken, SMS_URL, { ...first, Body: 'open 15m' }))).body)).toBe(REFUSED);
    });

    it('the journal keeps at most 200 texts, the newest', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true, journal: true });
      const sids: string[] = [];
      for (let i = 0; i < 201; i++) {
        const form = await received(OWNER, 'help');
        await post(form);
        sids.push(form.MessageSid!);
      }
      expect(journalTexts()).toEqual(sids.slice(1));
    });

    it('a journal written before texts were kept still loads (its buzz summaries too)', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true, journal: true });
      await h.buzz(); // missed
      const path = join(h.stateDir!, JOURNAL_FILE);
      const old = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      delete old.texts;
      writeFileSync(path, JSON.stringify(old), { mode: 0o600 });
      await h.restart();
      expect(h.logs.find((l) => l.event === 'journal.unreadable')).toBeUndefined();
      expect(message((await text('status')).body)).toMatch(/Last buzzes: 14:02 missed\./);
      expect(message((await text('open 15m')).body)).toMatch(/^Door: a buzz opens it until/);
    });

    it('an open received more than 5 minutes ago (by Twilio\'s date_created) is refused', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true });
      const open = await received(OWNER, 'open 15m');
      await h.twin.engine.advance(5 * 60 + 2);
      expect(message((await post(open)).body)).toBe(REFUSED);
      expect(openUntil()).toBeUndefined();
      expect(h.logs.find((l) => l.event === 'sms.refused')).toMatchObject({ level: 'warn', command: 'open', reason: expect.stringMatching(/^received .*, not just now$/) });
      // Within the 5 minutes it runs.
      const fresh = await received(OWNER, 'open 15m');
      await h.twin.engine.advance(4 * 60);
      expect(message((await post(fresh)).body)).toMatch(/^Door: a buzz opens it until/);
    });

    it('a signed open whose MessageSid Twilio does not know, or knows as another text, is refused', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true });
      expect(message((await post(smsForm(OWNER, 'open 15m'))).body)).toBe(REFUSED);
      // A real SID, of a stranger's text, in a request signed as the owner's.
      const stranger = await received(STRANGER, 'hi');
      expect(message((await post({ ...stranger, From: OWNER, Body: 'open 15m' })).body)).toBe(REFUSED);
      // A real SID of a text sent from the buzzer number to the owner (outbound, not received).
      const { accountSid, authToken } = h.twin.credentials;
      const client = createTwilioClient({ accountSid, authToken, twinUrl: h.twin.url }, {});
      const sent = await client.messages.create({ from: BUZZER, to: OWNER, body: 'open 15m' });
      expect(message((await post(smsForm(OWNER, 'open 15m', sent.sid))).body)).toBe(REFUSED);
      expect(openUntil()).toBeUndefined();
      expect(h.logs.filter((l) => l.event === 'sms.refused').map((l) => l.reason)).toEqual([
        'unknown to Twilio',
        'not a text from the owner to the buzzer number',
        'not a text from the owner to the buzzer number',
      ]);
    });

    it('Twilio failing to answer the check: the door stays shut and the reply says so', async () => {
      h = await startBuzzer({ ownerCell: OWNER, configFile: true });
      const open = await received(OWNER, 'open 15m');
      h.twin.admin.addFault({ method: 'GET', path: `/api/2010-04-01/Accounts/*/Messages/${open.MessageSid}.json`, fault: '500' });
      const reply = message((await post(open)).body);
      expect(reply).toMatch(/^Nothing changed: Twilio could not confirm this text \(.+\)\. Text it again, or homephone buzzer open-for 15m\.$/);
      expect(openUntil()).toBeUndefined();
      expect(h.twin.admin.faults()[0]?.fired).toBe(1);
      expect(h.logs.find((l) => l.event === 'sms.unconfirmed')).toMatchObject({ level: 'error', command: 'open' });
      // Texting again (a new Message) works once Twilio answers.
      expect(message((await text('open 15m')).body)).toMatch(/^Door: a buzz opens it until/);
    });
  });

  it('a configuration that cannot be written: the reply says nothing changed, the file is left as it was', async () => {
    h = await startBuzzer({ ownerCell: OWNER, configFile: true });
    writeFileSync(h.config!.path, '{"buzzer": ', { mode: 0o600 });
    const reply = message((await text('open 15m')).body);
    expect(reply).toMatch(/^Nothing changed: the delivery window could not be saved \(.+\)\. Try homephone buzzer open-for 15m\.$/);
    expect(readFileSync(h.config!.path, 'utf8')).toBe('{"buzzer": ');
    expect(h.logs.find((l) => l.event === 'sms.command-failed')).toMatchObject({ level: 'error', command: 'open' });
  });

  describe('Hue in status', () => {
    it.each([
      ['paired and answering', 'ok', 'Hue: paired, the bridge answers.'],
      ['a pairing the bridge forgot', 'forgotten', 'Hue: the bridge no longer knows this pairing (homephone hue pair).'],
      ['a bridge refusing connections', 'closed', 'Hue: paired, but the bridge is not reachable.'],
    ] as const)('%s', async (_, state, expected) => {
      const { closedPort, startFakeHueBridge } = await import('../helpers/fake-hue-bridge.js');
      const { createNodeHueBridge } = await import('../../src/hue/index.js');
      const bridge = state === 'closed' ? undefined : await startFakeHueBridge({ users: state === 'ok' ? ['buzzeruser'] : ['someoneelse'] });
      try {
        const address = bridge ? bridge.url : `http://127.0.0.1:${await closedPort()}`;
        h = await startBuzzer({ ownerCell: OWNER, configFile: true, hue: createNodeHueBridge({ address, username: 'buzzeruser' }) });
        expect(message((await text('status')).body)).toBe(`Door: buzzes ring the tenants. No buzzes since the agent started. ${expected}`);
      } finally {
        await h?.close();
        h = undefined;
        await bridge?.close();
      }
    });
  });
});

describe('texts through the twin: the buzzer number’s sms_url is the agent', () => {
  async function wire(): Promise<BuzzerHarness> {
    const harness = await startBuzzer({ ownerCell: OWNER, configFile: true, mapHost: false });
    const { accountSid, authToken } = harness.twin.credentials;
    const client = createTwilioClient({ accountSid, authToken, twinUrl: harness.twin.url }, {});
    // As deploy does it: the number's sms_url is the agent's public /sms.
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
    await client.incomingPhoneNumbers(number!.sid).update({ smsUrl: SMS_URL, smsMethod: 'POST' });
    // The public host reaches the local agent (the twin plays the reverse proxy).
    const mapped = await fetch(`${harness.twin.url}/_twin/hosts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ host: 'buzz.example.org', target: harness.agent.localUrl }),
    });
    expect(mapped.status).toBe(201);
    return harness;
  }

  async function textTwin(from: string, body: string) {
    const res = await fetch(`${h!.twin.url}/_twin/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from, to: BUZZER, body }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { webhook_status: number | null; replies: Array<{ from: string; to: string; body: string; direction: string }>; error: unknown };
  }

  it('open 15m, a buzz opens without ringing anyone; close, a buzz rings the tenants; status replies', async () => {
    h = await wire();
    const opened = await textTwin(OWNER, 'open 15m');
    expect(opened.webhook_status).toBe(200);
    expect(opened.error).toBeNull();
    expect(opened.replies).toEqual([
      expect.objectContaining({ from: BUZZER, to: OWNER, direction: 'outbound-reply', body: expect.stringMatching(/^Door: a buzz opens it until 14:17 \(15 min\)/) }),
    ]);

    const inWindow = await h.buzz();
    expect(inWindow.calls.map((c) => c.to)).toEqual([BUZZER]);
    expect(eventsOf(inWindow, inWindow.callSid, 'play')[0]?.data.digits).toBe('ww9');

    const closed = await textTwin(OWNER, 'close');
    expect(closed.replies.map((m) => m.body)).toEqual(['Door: the delivery window is closed; buzzes ring the tenants again.']);
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const rung = await h.buzz();
    expect(callTo(rung, ALEX)).toHaveLength(1);
    expect(callTo(rung, SAM)).toHaveLength(1);
    expect(eventsOf(rung, rung.callSid, 'play').some((e) => e.data.digits)).toBe(false);

    const status = await textTwin(OWNER, 'status');
    expect(status.replies).toHaveLength(1);
    expect(status.replies[0]!.body).toMatch(/^Door: buzzes ring the tenants\. Last buzzes: \d\d:\d\d answered by Alex; 14:02 opened by the delivery window\. Hue: not paired\.$/);
    // The replies are in the transcript, as texts from the buzzer number to the owner.
    const replies = h.twin.engine.transcript.events.filter((e) => e.type === 'sms' && e.data.from === BUZZER && e.data.to === OWNER);
    expect(replies).toHaveLength(3);
  });

  it('from any other number nothing is obeyed and nothing is replied', async () => {
    h = await wire();
    for (const body of ['open 15m', 'status', 'banana']) {
      const r = await textTwin(STRANGER, body);
      expect(r.webhook_status).toBe(200);
      expect(r.replies).toEqual([]);
    }
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play').some((e) => e.data.digits)).toBe(false);
    expect(h.twin.engine.transcript.events.some((e) => e.type === 'sms' && e.data.to === STRANGER)).toBe(false);
    expect(h.logs.filter((l) => l.event === 'sms.ignored')).toHaveLength(3);
  });
});
