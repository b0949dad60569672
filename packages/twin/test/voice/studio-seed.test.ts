// The home-phone seed's own Studio flows, exported from the Twilio console, run unchanged
// (placeholders and all) against stand-ins of its Functions deployed into the twin. The host
// "URL" of their Run Function widgets is aliased to the deployed domain.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { deploy, type Deployed } from './deploy.js';
import { countByType, type TranscriptEvent } from '../../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/seed-000/${name}`, import.meta.url), 'utf8');
const WHITELISTED = '+15555555555'; // "John Doe" in the seed's whitelistnumbers.json
const STRANGER = '+15550009999';
const DESK = 'sip:desk@seed-home.sip.twilio.com';

let h: Harness;
let service: Deployed;
let incomingFlow: string;
let outboundFlow: string;

const texts = (events: TranscriptEvent[], type: string) => events.filter((e) => e.type === type).map((e) => e.text);

beforeAll(async () => {
  h = await startHarness();
  const c = h.client;
  const domain = await c.sip.domains.create({ domainName: 'seed-home.sip.twilio.com', sipRegistration: true });
  const list = await c.sip.credentialLists.create({ friendlyName: 'seed' });
  await c.sip.credentialLists(list.sid).credentials.create({ username: 'desk', password: 'Seed-Password-123' });
  await c.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
  await c.sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: list.sid });

  const fn = (name: string) => ({ path: `/${name}`, visibility: 'protected' as const, content: fixture(`functions/${name}.js`) });
  const names = ['is-whitelisted', 'connect-to-sip-endpoint', 'conference-exists', 'getnumberfromsip', 'connect-to-outbound-call'];
  // The TwiML Bin URL is known only once the environment exists: deploy twice, as a user would.
  service = await deploy(h, { service: 'seed-home', functions: [], assets: [] });
  await c.serverless.v1.services(service.serviceSid).environments(service.environmentSid).variables.create({ key: 'SIP_ENDPOINT_URI', value: DESK });
  await c.serverless.v1.services(service.serviceSid).environments(service.environmentSid).variables.create({ key: 'TWILIO_CALLER_ID', value: HOME });
  await c.serverless.v1
    .services(service.serviceSid)
    .environments(service.environmentSid)
    .variables.create({ key: 'TWIML_BIN_URL', value: `https://${service.domain}/conference-dial.xml` });
  service = await deploy(h, {
    service: 'seed-home',
    existing: service,
    functions: names.map(fn),
    assets: [
      { path: '/whitelistnumbers.json', visibility: 'private', content: fixture('whitelistnumbers.json') },
      { path: '/conference-dial.xml', visibility: 'protected', content: fixture('functions/conference-dial.xml'), contentType: 'text/xml' },
    ],
  });
  h.twin.engine.webhooks.alias('URL', service.domain);

  const incoming = await c.studio.v2.flows.create({ friendlyName: 'seed incoming', status: 'published', definition: JSON.parse(fixture('conf.json')) });
  const outbound = await c.studio.v2.flows.create({ friendlyName: 'seed outbound', status: 'published', definition: JSON.parse(fixture('conf-out.json')) });
  incomingFlow = incoming.webhookUrl;
  outboundFlow = outbound.webhookUrl;
  const [n] = await c.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await c.incomingPhoneNumbers(n!.sid).update({ voiceUrl: incomingFlow });
  await c.sip.domains(domain.sid).update({ voiceUrl: outboundFlow });
});
afterAll(() => h.twin.close());

describe('the seed incoming flow (conf.json), as published', () => {
  it('tells a caller who is not on the list so, and hangs up', async () => {
    const r = await h.twin.engine.placeCall({ from: STRANGER, to: HOME });
    expect(texts(r.events, 'say')).toEqual(['"Only listed numbers allowed.  Contact phone owner to be added."']);
    expect(texts(r.events, 'studio')).toContain('split_5 (split-based-on)');
    expect(countByType(r.events).function).toBe(1);
    expect(r.status).toBe('completed');
  });

  it('hangs up on the whitelisted caller it means to connect: Run Function does not execute TwiML', async () => {
    h.twin.engine.phones.set(DESK, { answerAfter: 3, hangupAfter: 20 });
    const r = await h.twin.engine.placeCall({ from: WHITELISTED, to: HOME });
    const caller = r.events.filter((e) => e.callSid === r.callSid);
    // Two Function invocations (is-whitelisted, then connect-to-sip-endpoint)…
    expect(texts(r.events, 'function').map((t) => t.replace(/^.*\//, '/').replace(/ .*/, ''))).toEqual(['/is-whitelisted', '/connect-to-sip-endpoint']);
    // …whose TwiML (join "myconf") is only stored: the flow has no next state, so it ends, and the call with it.
    expect(texts(r.events, 'studio')).toContain('flow ended: no next transition');
    expect(caller.some((e) => e.type === 'conference-join')).toBe(false);
    expect(caller.at(-1)).toMatchObject({ type: 'hangup', data: { by: 'end of TwiML' } });
    // Meanwhile the desk phone was called anyway and waits in "myconf" alone.
    const desk = r.events.find((e) => e.type === 'ringing' && e.text.includes(DESK))!;
    expect(r.events.some((e) => e.callSid === desk.callSid && e.type === 'conference-join' && e.text.includes('myconf'))).toBe(true);
    expect(r.events.some((e) => e.callSid === desk.callSid && e.type === 'play' && e.text.includes('hold music'))).toBe(true);
  });
});

describe('the seed outbound flow (conf-out.json), as published', () => {
  it('sends a call to a number not on the list to the placeholder owner number, which fails (13223)', async () => {
    const r = await h.twin.engine.placeCall({ from: DESK, to: '+15550001234' });
    expect(texts(r.events, 'function').length).toBe(2); // getnumberfromsip, is-whitelisted
    expect(r.events.find((e) => e.type === 'error' && e.data.code === 13223)).toBeDefined();
    expect(texts(r.events, 'studio')).toContain('connect_call_1: callCompleted');
    expect(r.status).toBe('completed');
  });

  it('hangs up on the SIP phone for a whitelisted destination too, after calling the destination', async () => {
    h.twin.engine.phones.set(WHITELISTED, { answerAfter: 2, hangupAfter: 10 });
    const r = await h.twin.engine.placeCall({ from: DESK, to: WHITELISTED });
    expect(texts(r.events, 'function').length).toBe(3);
    expect(r.events.some((e) => e.type === 'ringing' && e.text.startsWith(`calling ${WHITELISTED}`))).toBe(true);
    expect(r.events.filter((e) => e.callSid === r.callSid).at(-1)).toMatchObject({ type: 'hangup', data: { by: 'end of TwiML' } });
  });
});
