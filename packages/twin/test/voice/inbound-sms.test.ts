// Texts to the account's numbers: POST /_twin/messages records the inbound Message, sends the
// number's sms_url a signed webhook with Twilio's messaging parameters, and turns the TwiML
// answer's <Message> verbs into reply Messages that the REST API lists and the transcript shows.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';

const OWNER = '+15550002222';
let h: Harness;
let app: App;

async function setSms(fields: Record<string, string>) {
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update(fields);
}

async function text(body: Record<string, unknown>) {
  const res = await fetch(`${h.twin.url}/_twin/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('inbound SMS', () => {
  it("posts Twilio's messaging parameters, signed, and sends each <Message> back as a reply", async () => {
    app.route('/sms', twiml('<Message>Quiet until 22:00.</Message>'));
    await setSms({ smsUrl: `${app.url}/sms` });
    const r = await text({ from: OWNER, to: HOME, body: 'quiet 2h' });
    expect(r.status).toBe(200);
    const req = app.requests[0]!;
    expect(req.valid).toBe(true);
    expect(twilio.validateRequest(h.twin.credentials.authToken, req.signature, req.url, req.params)).toBe(true);
    expect(req.params).toMatchObject({ From: OWNER, To: HOME, Body: 'quiet 2h', MessageSid: r.body.message.sid, AccountSid: h.twin.credentials.accountSid, NumMedia: '0', ApiVersion: '2010-04-01' });
    expect(r.body.message).toMatchObject({ direction: 'inbound', status: 'received', from: OWNER, to: HOME });
    expect(r.body.replies).toHaveLength(1);
    expect(r.body.replies[0]).toMatchObject({ direction: 'outbound-reply', from: HOME, to: OWNER, body: 'Quiet until 22:00.' });
    // The reply is an ordinary Message: listed by the REST API, and in the transcript.
    const listed = await h.client.messages.list({ to: OWNER });
    expect(listed.map((m) => m.body)).toContain('Quiet until 22:00.');
    expect(h.twin.engine.transcript.events.some((e) => e.type === 'sms' && e.data.body === 'Quiet until 22:00.')).toBe(true);
  });

  it('an empty <Response/> sends nothing back', async () => {
    app.route('/sms', twiml(''));
    await setSms({ smsUrl: `${app.url}/sms` });
    const r = await text({ from: '+15550009999', to: HOME, body: 'open' });
    expect(r.body.replies).toEqual([]);
    expect(r.body.error).toBeNull();
  });

  it('a failing sms_url is 11200 and sends nothing; unparsable TwiML is 12100', async () => {
    app.route('/sms', () => ({ status: 500, body: 'boom' }));
    await setSms({ smsUrl: `${app.url}/sms` });
    const failed = await text({ from: OWNER, to: HOME, body: 'who' });
    expect(failed.body).toMatchObject({ webhook_status: 500, replies: [], error: { code: 11200 } });
    app.route('/sms', () => ({ type: 'text/xml', body: '<Reply>no</Reply>' }));
    const bad = await text({ from: OWNER, to: HOME, body: 'who' });
    expect(bad.body).toMatchObject({ replies: [], error: { code: 12100 } });
  });

  it('a failing sms_url sends the request again to sms_fallback_url, with ErrorCode and ErrorUrl, and sends its <Message>s', async () => {
    app.route('/sms', () => ({ status: 502, body: 'bad gateway' }));
    app.route('/sms-fallback', twiml('<Message>The agent is not reachable.</Message>'));
    await setSms({ smsUrl: `${app.url}/sms`, smsFallbackUrl: `${app.url}/sms-fallback` });
    try {
      const r = await text({ from: OWNER, to: HOME, body: 'open 15m' });
      expect(r.body).toMatchObject({ webhook_status: 502, fallback_status: 200, error: { code: 11200 } });
      expect(r.body.replies.map((m: { body: string }) => m.body)).toEqual(['The agent is not reachable.']);
      const fallback = app.requests.find((q) => q.path === '/sms-fallback')!;
      expect(fallback.valid).toBe(true);
      expect(fallback.params).toMatchObject({ From: OWNER, To: HOME, Body: 'open 15m', ErrorCode: '11200', ErrorUrl: `${app.url}/sms` });
      // A primary that answers is the only request: the fallback is not asked.
      app.requests.length = 0;
      app.route('/sms', twiml('<Message>ok</Message>'));
      const fine = await text({ from: OWNER, to: HOME, body: 'status' });
      expect(fine.body).toMatchObject({ fallback_status: null, error: null });
      expect(app.requests.map((q) => q.path)).toEqual(['/sms']);
    } finally {
      await setSms({ smsUrl: `${app.url}/sms`, smsFallbackUrl: '' });
    }
  });

  it('refuses an sms_fallback_url sent without an sms_url (21406)', async () => {
    const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
    await expect(h.client.incomingPhoneNumbers(n!.sid).update({ smsFallbackUrl: `${app.url}/sms-fallback` })).rejects.toMatchObject({ status: 400, code: 21406 });
    expect((await h.client.incomingPhoneNumbers(n!.sid).fetch()).smsFallbackUrl).toBe('');
  });

  it('refuses a number that is not the account\'s, and a request without from/to/body', async () => {
    expect((await text({ from: OWNER, to: '+15557770000', body: 'hi' })).status).toBe(404);
    expect((await text({ from: OWNER, to: HOME })).status).toBe(400);
  });
});
