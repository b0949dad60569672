// The deployed Functions run as Twilio runs them: CommonJS handlers with `Twilio` and `Runtime`
// globals, called with (context, event, callback). Here with the SDK's VoiceResponse and stub assets.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

const require = createRequire(import.meta.url);
type Handler = (context: Record<string, unknown>, event: Record<string, string>, callback: (err: unknown, res?: unknown) => void) => void;
const load = (name: string) => (require(`../../templates/functions/${name}.js`) as { handler: Handler }).handler;
const globals = globalThis as Record<string, unknown>;
const assets: Record<string, string> = {};

beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {}); // the Functions log their decisions
  globals.Twilio = { twiml: { VoiceResponse } };
  globals.Runtime = {
    getAssets: () => Object.fromEntries(Object.entries(assets).map(([path, text]) => [path, { path, open: () => text }])),
    getFunctions: () => ({}),
  };
});
afterAll(() => {
  vi.restoreAllMocks();
  delete globals.Twilio;
  delete globals.Runtime;
});

function run(name: string, context: Record<string, unknown>, event: Record<string, string> = {}): string {
  let out = '';
  load(name)(context, event, (err, res) => {
    if (err) throw err;
    out = String(res);
  });
  return out.replace('<?xml version="1.0" encoding="UTF-8"?>', '');
}

const context = { HOME_NUMBER: '+15551230001', OWNER_CELL: '+15551239000', SIP_URI: 'sip:homephone@myhome.sip.twilio.com', TENANT_NUMBERS: '+15551110000, +15551110001', RING_TIMEOUT: '20' };

describe('deployed Functions', () => {
  it("fallback-owner forwards to the owner's cell with the caller's number, then ends with the message (or voicemail)", () => {
    assets['/policy.json'] = JSON.stringify({ messages: { phoneUnavailable: 'Nobody is home.' }, ringTimeout: 20 });
    expect(run('fallback-owner', context, { From: '+15557770000' })).toBe(
      '<Response><Dial callerId="+15557770000" answerOnBridge="true" timeout="20" action="/fallback-owner"><Number>+15551239000</Number></Dial></Response>',
    );
    expect(run('fallback-owner', context, { DialCallStatus: 'completed' })).toBe('<Response><Hangup/></Response>');
    expect(run('fallback-owner', context, { From: '+15557770000', DialCallStatus: 'no-answer' })).toBe('<Response><Say>Nobody is home.</Say><Hangup/></Response>');
    // The owner is never forwarded to their own cell.
    expect(run('fallback-owner', context, { From: '+15551239000' })).toBe('<Response><Say>Nobody is home.</Say><Hangup/></Response>');
    assets['/policy.json'] = JSON.stringify({ voicemail: true });
    expect(run('fallback-owner', context, { From: '+15557770000', DialCallStatus: 'busy' })).toContain(
      '<Record action="/voicemail" method="POST" maxLength="120" timeout="5" finishOnKey="#" playBeep="true"/><Hangup/>',
    );
  });

  it('buzzer-fallback rings every tenant at once', () => {
    expect(run('buzzer-fallback', context)).toBe(
      '<Response><Dial timeout="20" answerOnBridge="true" action="/buzzer-fallback"><Number>+15551110000</Number><Number>+15551110001</Number></Dial></Response>',
    );
    expect(run('buzzer-fallback', context, { DialCallStatus: 'no-answer' })).toContain('<Say>Nobody is answering.');
    expect(run('buzzer-fallback', { ...context, TENANT_NUMBERS: '' })).toContain('nobody can be reached');
  });

  it('outbound dials emergency numbers directly, sends other numbers to the owner, and refuses what is no number', () => {
    assets['/policy.json'] = JSON.stringify({ emergencyNumbers: ['911', '933'], defaultCountry: 'US' });
    assets['/whitelist.json'] = JSON.stringify([{ Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null }]);
    expect(run('outbound', context, { To: 'sip:933@myhome.sip.twilio.com' })).toBe('<Response><Dial callerId="+15551230001"><Number>933</Number></Dial></Response>');
    expect(run('outbound', context, { To: 'sip:911@myhome.sip.twilio.com' })).toBe('<Response><Dial callerId="+15551230001"><Number>911</Number></Dial></Response>');
    expect(run('outbound', context, { To: 'sip:+15550000000@myhome.sip.twilio.com' })).toBe(
      '<Response><Say>That number is not on the family list. Connecting you to a parent.</Say><Dial callerId="+15551230001"><Number>+15551239000</Number></Dial></Response>',
    );
    expect(run('outbound', context, { To: 'sip:411@myhome.sip.twilio.com' })).toContain('could not be dialled');
  });
});
