// A small household whose calls leave every kind of record Twilio keeps: Function logs (info,
// warn, error), a Studio execution with its steps, and alerts from a webhook, a Function and a
// refused REST request. Shared by the records tests and the OpenAPI fidelity test.
import { BUZZER, HOME, type Harness } from './helpers.js';
import { deploy, type Deployed } from './voice/deploy.js';

export const CALLER = '+15550001111';
export const STRANGER = '+15550009999';

const SCREEN = `exports.handler = (context, event, callback) => {
  const allowed = event.from === '${CALLER}';
  console.log(JSON.stringify({ homephone: 'decision', path: allowed ? 'whitelisted' : 'not-whitelisted', from: event.from }));
  if (!allowed) console.warn('refusing ' + event.from);
  callback(null, { allowed });
};`;
const BOOM = `exports.handler = () => {
  console.error('the household file is missing');
  throw new Error('kaboom');
};`;

export const recordsFlow = (domain: string) => ({
  description: 'records',
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'check' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
    {
      name: 'check',
      type: 'run-function',
      transitions: [{ event: 'success', next: 'route' }, { event: 'fail', next: 'sorry' }],
      properties: { url: `https://${domain}/screen`, parameters: [{ key: 'from', value: '{{trigger.call.From}}' }] },
    },
    {
      name: 'route',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'sorry' },
        { event: 'match', next: 'hello', conditions: [{ friendly_name: 'ok', arguments: ['{{widgets.check.parsed.allowed}}'], type: 'equal_to', value: 'true' }] },
      ],
      properties: { input: '{{widgets.check.parsed.allowed}}' },
    },
    { name: 'hello', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Hello, family.', loop: 1 } },
    { name: 'sorry', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Sorry.', loop: 1 } },
  ],
});

export interface Recorded {
  svc: Deployed;
  screenSid: string;
  boomSid: string;
  flowSid: string;
  /** The whitelisted caller's call to the home number (through the flow). */
  homeCall: string;
  /** The stranger's call to the home number (refused by the flow). */
  strangerCall: string;
  /** The call to the buzzer number, whose voice URL is a Function that throws. */
  buzzerCall: string;
  /** Virtual time when the scenario started. */
  startMs: number;
}

export async function playRecordedScenario(h: Harness): Promise<Recorded> {
  const startMs = h.twin.clock.nowMs();
  const svc = await deploy(h, {
    service: 'records',
    functions: [
      { path: '/screen', visibility: 'protected', content: SCREEN },
      { path: '/boom', visibility: 'protected', content: BOOM },
    ],
  });
  const fns = await h.client.serverless.v1.services(svc.serviceSid).functions.list();
  const sidOf = (path: string) => fns.find((f) => f.friendlyName === path)!.sid;
  const flow = await h.client.studio.v2.flows.create({ friendlyName: 'records', status: 'published', definition: recordsFlow(svc.domain) });
  const numbers = await h.client.incomingPhoneNumbers.list();
  const home = numbers.find((n) => n.phoneNumber === HOME)!;
  const buzzer = numbers.find((n) => n.phoneNumber === BUZZER)!;
  await h.client.incomingPhoneNumbers(home.sid).update({ voiceUrl: flow.webhookUrl });
  await h.client.incomingPhoneNumbers(buzzer.sid).update({ voiceUrl: `https://${svc.domain}/boom` });
  const homeCall = (await h.twin.engine.placeCall({ from: CALLER, to: HOME })).callSid;
  const strangerCall = (await h.twin.engine.placeCall({ from: STRANGER, to: HOME })).callSid;
  const buzzerCall = (await h.twin.engine.placeCall({ from: CALLER, to: BUZZER })).callSid;
  // A REST request Twilio refuses (21212) is an alert too. Sent with fetch, not the SDK: an error
  // answer is no success body for the OpenAPI fidelity test to validate.
  const { accountSid, authToken } = h.twin.credentials;
  const refused = await fetch(`${h.twin.url}/api/2010-04-01/Accounts/${accountSid}/Calls.json`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: CALLER, From: 'not-a-number', Twiml: '<Response/>' }).toString(),
  });
  if (refused.status !== 400) throw new Error(`expected the bad From to be refused, got ${refused.status}`);
  return { svc, screenSid: sidOf('/screen'), boomSid: sidOf('/boom'), flowSid: flow.sid, homeCall, strangerCall, buzzerCall, startMs };
}
