// Caller IDs no real network could present are refused the way Twilio refuses them: a REST call or
// participant whose From is not a phone number (letters, a placeholder like +MY_PHONE_NUMBER) is
// 21212, an invalid To is 21211, both 400 with Twilio's wording (Twilio error catalogue, 21211 and
// 21212); and the twin places no inbound call from such a number (its admin API answers 400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUZZER, HOME, startHarness, type Harness } from './helpers.js';
import { InvalidCallerIdError } from '../src/index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.twin.close();
});

const twiml = '<Response><Say>hi</Say></Response>';
const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { status: number; code: number; message: string }) => ({ status: e.status, code: e.code, message: e.message }));

describe('REST Calls create', () => {
  it.each(['+MY_PHONE_NUMBER', '+1MY_PHONE_NUMBER', 'HOMEPHONE', 'anonymous', '555-CALL-NOW'])('refuses From %j with 21212 (400)', async (from) => {
    expect(await refusal(h.client.calls.create({ to: '+15557654321', from, twiml }))).toEqual({
      status: 400,
      code: 21212,
      message: `The 'From' number ${from} is not a valid phone number, client identifier or SIP URI.`,
    });
  });

  it.each(['+MY_PHONE_NUMBER', 'mum', '5551234'])('refuses To %j with 21211 (400)', async (to) => {
    expect(await refusal(h.client.calls.create({ to, from: HOME, twiml }))).toEqual({ status: 400, code: 21211, message: `The 'To' number ${to} is not a valid phone number.` });
  });

  it('takes a well-formed From that the account does not own as a number, then refuses it as unverified (21210)', async () => {
    expect(await refusal(h.client.calls.create({ to: '+15557654321', from: '(555) 765-0000', twiml }))).toMatchObject({ status: 400, code: 21210 });
    expect(await refusal(h.client.calls.create({ to: '+15557654321', from: BUZZER, twiml }))).toBe('accepted');
  });
});

describe('REST Participants create', () => {
  it('refuses From +MY_PHONE_NUMBER with 21212 and an invalid To with 21211', async () => {
    const room = h.client.conferences('caller-id-room').participants;
    expect(await refusal(room.create({ from: '+MY_PHONE_NUMBER', to: '+15557654321' }))).toMatchObject({ status: 400, code: 21212 });
    expect(await refusal(room.create({ from: HOME, to: 'MY_PHONE_NUMBER' }))).toMatchObject({ status: 400, code: 21211 });
  });
});

describe('inbound calls placed in the twin', () => {
  it.each(['+MY_PHONE_NUMBER', 'Mum', '5551234567', ''])('are refused from %j: the engine throws, the admin API answers 400', async (from) => {
    expect(() => h.twin.engine.startCall({ from, to: HOME })).toThrow(InvalidCallerIdError);
    const res = await fetch(`${h.twin.url}/_twin/calls`, { method: 'POST', body: JSON.stringify({ from: from || ' ', to: HOME }), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('not a caller ID any telephone network could present');
  });

  it('are placed from an E.164 number', async () => {
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME });
    expect(r.events[0]).toMatchObject({ type: 'ringing' });
  });
});
