// The Functions runtime: deployed builds run like Twilio's, called by the engine in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { deploy, type Deployed } from './deploy.js';

let h: Harness;
let svc: Deployed;

const LIB = `module.exports = { greeting: (name) => 'hello ' + name };`;
const fns = {
  hello: `exports.handler = (context, event, callback) => {
    const lib = require(Runtime.getFunctions()['lib/greet'].path);
    const list = JSON.parse(Runtime.getAssets()['/list.json'].open());
    callback(null, { text: lib.greeting(event.Name), listed: list.includes(event.Name), domain: context.DOMAIN_NAME, owner: context.OWNER, now: new Date().toISOString() });
  };`,
  fails: `exports.handler = () => { throw new Error('kaboom'); };`,
  silent: `exports.handler = () => {};`,
  custom: `exports.handler = (context, event, callback) => {
    const r = new Twilio.Response(); r.setStatusCode(201); r.appendHeader('Content-Type', 'text/plain'); r.setBody('made');
    callback(null, r);
  };`,
  // Two invocations of this one are open together: each waits until the other has started
  // (module state is shared by a build's invocations), then logs after a REST round trip to the
  // twin and after the callback (same turn), so every line comes from code resumed after an await.
  overlap: `const waiting = [];
  exports.handler = async (context, event, callback) => {
    console.log('start ' + event.Name);
    await new Promise((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 2) waiting.splice(0).forEach((r) => r());
    });
    console.log('both open ' + event.Name);
    await context.getTwilioClient().incomingPhoneNumbers.list({ limit: 1 });
    console.warn('after REST ' + event.Name);
    callback(null, { name: event.Name });
    console.error('after callback ' + event.Name);
  };`,
  // The home phone's shape: one invocation creates the SIP participant and joins the caller's own room.
  incoming: `exports.handler = async (context, event, callback) => {
    const room = 'hp-' + event.CallSid;
    await context.getTwilioClient().conferences(room).participants.create({ from: event.To, to: context.SIP_PHONE, endConferenceOnExit: true });
    const twiml = new Twilio.twiml.VoiceResponse();
    twiml.dial().conference({ endConferenceOnExit: true }, room);
    callback(null, twiml);
  };`,
};

async function call(path: string, params: Record<string, string> = {}, unsigned = false) {
  return h.twin.engine.webhooks.send({ url: `https://${svc.domain}${path}`, method: 'POST', params, unsigned });
}

beforeAll(async () => {
  h = await startHarness();
  const domain = await h.client.sip.domains.create({ domainName: 'rt-home.sip.twilio.com', sipRegistration: true });
  const list = await h.client.sip.credentialLists.create({ friendlyName: 'rt' });
  await h.client.sip.credentialLists(list.sid).credentials.create({ username: 'desk', password: 'Runtime-Pass-123' });
  await h.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
  svc = await deploy(h, {
    service: 'rt',
    variables: { OWNER: 'Ada', SIP_PHONE: 'sip:desk@rt-home.sip.twilio.com' },
    functions: [
      ...Object.entries(fns).map(([name, content]) => ({ path: `/${name}`, visibility: 'protected' as const, content })),
      { path: '/lib/greet', visibility: 'private', content: LIB },
      { path: '/open', visibility: 'public', content: `exports.handler = (c, e, cb) => cb(null, 'open to all');` },
    ],
    assets: [
      { path: '/list.json', visibility: 'private', content: '["Ada"]' },
      { path: '/ring.xml', visibility: 'public', content: '<Response><Play loop="0">https://x.invalid/r.mp3</Play></Response>', contentType: 'text/xml' },
    ],
  });
});
afterAll(() => h.twin.close());

describe('Functions runtime', () => {
  it('runs handlers with context, event, private modules and assets, on virtual time', async () => {
    const res = await call('/hello', { Name: 'Ada' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      text: 'hello Ada',
      listed: true,
      domain: svc.domain,
      owner: 'Ada',
      now: h.twin.clock.now().toISOString(),
    });
  });

  it('demands a valid signature for protected Functions (400); private ones are not reachable', async () => {
    expect((await call('/hello', { Name: 'x' }, true)).status).toBe(400);
    expect((await call('/open', {}, true)).body).toBe('open to all');
    expect((await call('/lib/greet')).status).toBe(404);
    expect((await call('/list.json')).status).toBe(404);
    const ring = await call('/ring.xml', {}, true);
    expect(ring).toMatchObject({ status: 200, contentType: 'text/xml' });
  });

  it('answers 500 when a Function throws, and 504 when it never calls back within 10 virtual seconds', async () => {
    const failed = await call('/fails');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body).message).toBe('kaboom');
    const before = h.twin.clock.now().getTime();
    const wall = Date.now();
    const pending = call('/silent');
    await h.twin.engine.settle();
    const silent = await pending;
    expect(silent.status).toBe(504);
    expect(h.twin.clock.now().getTime() - before).toBe(10_000);
    expect(Date.now() - wall).toBeLessThan(1000);
    const errors = h.twin.engine.transcript.events.filter((e) => e.type === 'error').map((e) => e.data.code);
    expect(errors).toEqual(expect.arrayContaining([82002]));
  });

  it('serves Twilio.Response as built', async () => {
    expect(await call('/custom')).toMatchObject({ status: 201, contentType: 'text/plain', body: 'made' });
  });

  it('attributes console output to its own invocation after awaits, with two invocations open together', async () => {
    const logs = () => h.client.serverless.v1.services(svc.serviceSid).environments(svc.environmentSid).logs.list({ pageSize: 1000 });
    const seen = new Set((await logs()).map((l) => l.sid));
    const mark = h.twin.engine.transcript.events.length;
    const calls = { A: `CA${'a'.repeat(32)}`, B: `CA${'b'.repeat(32)}` };
    // Twice, so the second pair runs after every invocation of the first has ended.
    for (const round of [1, 2]) {
      const answers = await Promise.all((['A', 'B'] as const).map((name) => call('/overlap', { Name: `${name}${round}`, CallSid: calls[name] })));
      expect(answers.map((a) => JSON.parse(a.body))).toEqual([{ name: `A${round}` }, { name: `B${round}` }]);
    }
    const lines = h.twin.engine.transcript.events.slice(mark).filter((e) => e.type === 'log');
    expect(lines).toHaveLength(16);
    for (const line of lines) {
      const name = /([AB])\d$/.exec(line.text)![1] as 'A' | 'B';
      expect(line.callSid, line.text).toBe(calls[name]);
      expect(line.data.path).toBe('/overlap');
    }
    // Serverless Logs: one request SID per invocation, holding exactly that invocation's 4 lines.
    const recorded = (await logs()).filter((l) => !seen.has(l.sid));
    expect(recorded).toHaveLength(16);
    const byRequest = new Map<string, string[]>();
    for (const l of recorded) byRequest.set(l.requestSid, [...(byRequest.get(l.requestSid) ?? []), l.message]);
    expect([...byRequest.values()].map((messages) => [...new Set(messages.map((m) => m.slice(-2)))])).toEqual(
      expect.arrayContaining([['A1'], ['B1'], ['A2'], ['B2']]),
    );
    expect(byRequest.size).toBe(4);
    for (const messages of byRequest.values()) expect(messages).toHaveLength(4);
  });

  it('runs each build isolated: a new deployment changes behaviour', async () => {
    const v2 = await deploy(h, {
      service: 'rt',
      existing: svc,
      functions: [{ path: '/hello', visibility: 'protected', content: `exports.handler = (c, e, cb) => cb(null, { text: 'v2' });` }],
    });
    expect(v2.buildSid).not.toBe(svc.buildSid);
    expect(JSON.parse((await call('/hello')).body)).toEqual({ text: 'v2' });
  });

  it("carries the home phone's shape: one invocation rings the SIP phone into the caller's own room", async () => {
    svc = await deploy(h, {
      service: 'rt',
      existing: svc,
      functions: [{ path: '/incoming', visibility: 'protected', content: fns.incoming }],
    });
    const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
    await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `https://${svc.domain}/incoming` });
    h.twin.engine.phones.set('sip:desk@rt-home.sip.twilio.com', { answerAfter: 4, hangupAfter: 30 });
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME });
    expect(r.events.filter((e) => e.type === 'function')).toHaveLength(1);
    const room = `hp-${r.callSid}`;
    expect(r.events.filter((e) => e.type === 'conference-join').map((e) => e.data.room)).toEqual([room, room]);
    const started = r.events.find((e) => e.type === 'conference-start')!;
    expect((started.atMs - r.events[0]!.atMs) / 1000).toBe(4);
    expect(r.events.find((e) => e.type === 'conference-end')?.data.reason).toBe('participant-with-end-conference-on-exit-left');
    const [conf] = await h.client.conferences.list({ friendlyName: room });
    expect(conf!.status).toBe('completed');
  });
});
