// The Studio interpreter on a flow that uses every widget it runs, against a real local app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionHolds } from '../../src/studio/conditions.js';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';

let h: Harness;
let app: App;
let webhook: string;
const CELL = '+15550002222';

const flow = (appUrl: string) => ({
  description: 'every widget',
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'menu' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
    {
      name: 'menu',
      type: 'gather-input-on-call',
      transitions: [{ event: 'keypress', next: 'route' }, { event: 'speech' }, { event: 'timeout', next: 'bye' }],
      properties: { say: 'Press 1 or 2, caller {{trigger.call.From}}', timeout: 5, number_of_digits: 1, finish_on_key: '#', loop: 1, stop_gather: true },
    },
    {
      name: 'route',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'bye' },
        { event: 'match', next: 'remember', conditions: [{ friendly_name: '1 or 2', arguments: ['{{widgets.menu.Digits}}'], type: 'matches_any_of', value: '1,2' }] },
      ],
      properties: { input: '{{widgets.menu.Digits}}' },
    },
    { name: 'remember', type: 'set-variables', transitions: [{ event: 'next', next: 'ask_app' }], properties: { variables: [{ key: 'choice', value: 'option {{widgets.menu.Digits}}' }] } },
    {
      name: 'ask_app',
      type: 'add-twiml-redirect',
      transitions: [{ event: 'return', next: 'lookup' }, { event: 'timeout' }, { event: 'fail' }],
      properties: { url: `${appUrl}/detour`, method: 'POST', timeout: '60' },
    },
    {
      name: 'lookup',
      type: 'make-http-request',
      transitions: [{ event: 'success', next: 'check' }, { event: 'failed', next: 'bye' }],
      properties: { method: 'POST', url: `${appUrl}/lookup`, content_type: 'application/x-www-form-urlencoded;charset=utf-8', parameters: [{ key: 'choice', value: '{{flow.variables.choice}}' }] },
    },
    {
      name: 'check',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'bye' },
        { event: 'match', next: 'tell', conditions: [{ friendly_name: 'cell', arguments: ['{{widgets.lookup.parsed.forward}}'], type: 'starts_with', value: '+1555' }] },
      ],
      properties: { input: '{{widgets.lookup.parsed.forward}}' },
    },
    {
      name: 'tell',
      type: 'say-play',
      transitions: [{ event: 'audioComplete', next: 'connect' }],
      properties: { say: 'You chose {{flow.variables.choice}}, the app said {{widgets.ask_app.note}}', loop: 1 },
    },
    {
      name: 'connect',
      type: 'connect-call-to',
      transitions: [{ event: 'callCompleted', next: 'after' }, { event: 'hangup' }],
      properties: { noun: 'number', to: '{{widgets.lookup.parsed.forward}}', caller_id: '{{trigger.call.To}}', timeout: 15 },
    },
    { name: 'after', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'The call ended: {{widgets.connect.DialCallStatus}}', loop: 1 } },
    { name: 'bye', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Goodbye', loop: 1 } },
  ],
});

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
  const f = await h.client.studio.v2.flows.create({ friendlyName: 'widgets', status: 'published', definition: flow(app.url) });
  webhook = f.webhookUrl;
  app.route('/detour', twiml(`<Say>A detour</Say><Redirect>${webhook}?FlowEvent=return&amp;note=fine</Redirect>`));
  app.route('/lookup', () => ({ type: 'application/json', body: JSON.stringify({ forward: CELL }) }));
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: webhook });
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('Studio interpreter', () => {
  it('runs gather, split, set-variables, TwiML redirect with return, HTTP request, say-play and connect-call-to', async () => {
    h.twin.engine.phones.set(CELL, { behaviour: 'no-answer' });
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME, script: { press: [{ digits: '2', at: 1 }] } });
    const says = r.events.filter((e) => e.type === 'say').map((e) => e.data.text);
    expect(says).toEqual([
      'Press 1 or 2, caller +15550001111',
      'A detour',
      'You chose option 2, the app said fine',
      'The call ended: no-answer',
    ]);
    expect(app.requests.find((x) => x.path === '/lookup')?.params.choice).toBe('option 2');
    const dial = r.events.find((e) => e.type === 'dial' && e.text.startsWith('dialling'))!;
    expect(dial.data).toMatchObject({ targets: [CELL], callerId: HOME, timeout: 15 });
    expect(r.events.filter((e) => e.type === 'studio').length).toBeGreaterThan(10);
  });

  it('takes the timeout branch when no key is pressed', async () => {
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME });
    expect(r.events.filter((e) => e.type === 'say').map((e) => e.data.text)).toEqual(['Press 1 or 2, caller +15550001111', 'Goodbye']);
  });
});

describe('split conditions', () => {
  it.each([
    ['equal_to', 'a', 'a', true],
    ['equal_to', 'a', 'A', false],
    ['not_equal_to', 'a', 'b', true],
    ['matches_any_of', '2', '1, 2,3', true],
    ['matches_any_of', '4', '1,2,3', false],
    ['starts_with', '+15551234', '+1555', true],
    ['is_blank', '  ', '', true],
    ['is_not_blank', 'x', '', true],
    ['regex', '2468', '^\\d{4}$', true],
    ['regex', '24a8', '^\\d{4}$', false],
    ['contains', 'hello', 'ell', true],
    ['less_than', '3', '10', true],
  ])('%s(%j, %j) is %s', (type, input, value, expected) => {
    expect(conditionHolds(type, input, value)).toBe(expected);
  });
});
