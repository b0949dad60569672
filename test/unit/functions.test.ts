// The deployed Functions run as Twilio runs them: CommonJS handlers with `Twilio` and `Runtime`
// globals, called with (context, event, callback). Here with the SDK's VoiceResponse and stub assets.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

const require = createRequire(import.meta.url);
type Handler = (context: Record<string, unknown>, event: Record<string, string>, callback: (err: unknown, res?: unknown) => void) => void;
const load = (name: string) => (require(`../../templates/functions/${name}.js`) as { handler: Handler }).handler;
const globals = globalThis as Record<string, unknown>;
const assets: Record<string, string> = {};

beforeAll(() => {
  globals.Twilio = { twiml: { VoiceResponse } };
  globals.Runtime = {
    getAssets: () => Object.fromEntries(Object.entries(assets).map(([path, text]) => [path, { path, open: () => text }])),
    getFunctions: () => ({}),
  };
});
afterAll(() => {
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
  it('incoming rings the SIP phone and falls back to the owner', () => {
    expect(run('incoming', context)).toBe(
      '<Response><Dial timeout="25" answerOnBridge="true" action="/fallback-owner"><Sip>sip:homephone@myhome.sip.twilio.com</Sip></Dial></Response>',
    );
  });

  it("fallback-owner forwards to the owner's cell with the caller's number, and hangs up after an answered call", () => {
    expect(run('fallback-owner', context, { From: '+15557770000' })).toBe(
      '<Response><Dial callerId="+15557770000" answerOnBridge="true"><Number>+15551239000</Number></Dial></Response>',
    );
    expect(run('fallback-owner', context, { DialCallStatus: 'completed' })).toBe('<Response><Hangup/></Response>');
  });

  it('buzzer-fallback rings every tenant at once', () => {
    expect(run('buzzer-fallback', context)).toBe(
      '<Response><Dial timeout="20" answerOnBridge="true" action="/buzzer-fallback"><Number>+15551110000</Number><Number>+15551110001</Number></Dial></Response>',
    );
    expect(run('buzzer-fallback', context, { DialCallStatus: 'no-answer' })).toContain('<Say>Nobody is answering.');
    expect(run('buzzer-fallback', { ...context, TENANT_NUMBERS: '' })).toContain('nobody can be reached');
  });

  it('outbound connects emergency numbers directly, whitelisted numbers from the home number, anything else to the owner', () => {
    assets['/policy.json'] = JSON.stringify({ emergencyNumbers: ['911', '933'] });
    assets['/whitelist.json'] = JSON.stringify([{ Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null }]);
    expect(run('outbound', context, { To: 'sip:933@myhome.sip.twilio.com' })).toBe(
      '<Response><Dial callerId="+15551230001"><Number>933</Number></Dial></Response>',
    );
    expect(run('outbound', context, { To: 'sip:5555555555@myhome.sip.twilio.com' })).toBe(
      '<Response><Dial callerId="+15551230001"><Number>+15555555555</Number></Dial></Response>',
    );
    expect(run('outbound', context, { To: 'sip:+15550000000@myhome.sip.twilio.com' })).toContain('<Number>+15551239000</Number>');
  });
});
