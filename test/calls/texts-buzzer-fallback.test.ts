// Texts to the buzzer number go to the agent's /sms; when the agent cannot be reached, Twilio
// requests the number's messaging fallback, the deployed /sms-buzzer-fallback: the owner is told
// the agent is not reachable and the command was not carried out; anyone else hears nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { household, householdConfig, OWNER, STRANGER, type Household } from './helpers.js';

const BUZZER = '+15551230002';
let h: Household;

beforeAll(async () => {
  // buzz.example.org is not a local address: the twin never reaches it (as if the agent were down).
  const config = { ...householdConfig(), buzzer: { number: BUZZER, publicUrl: 'https://buzz.example.org/', tenants: [{ name: 'Alex', number: '+15551110000' }] } };
  h = await household({ start: '2026-11-20 15:00', config });
});
afterAll(async () => {
  await h.close();
});

const textBuzzer = async (from: string, body: string) => {
  const mark = h.twin.engine.transcript.events.length;
  const r = await h.twin.engine.receiveSms({ from, to: BUZZER, body });
  const logs = h.twin.engine.transcript.since(mark).filter((e) => e.type === 'log').map((e) => e.text);
  return { r, replies: r.replies.map((m) => m.body), logs };
};

it('the owner is told the agent is not reachable, and that the command was not carried out', async () => {
  const { r, replies } = await textBuzzer(OWNER, 'open 15m');
  expect(r.error).toMatchObject({ code: 11200 });
  expect(r.fallbackStatus).toBe(200);
  expect(replies).toEqual([
    'The buzzer agent is not reachable: it did not answer (HTTP retrieval failure, error 11200). "open 15m" was not carried out; check the agent (homephone doctor).',
  ]);
});

it('anyone else gets no reply, and the log masks their number', async () => {
  const { r, replies, logs } = await textBuzzer(STRANGER, 'open 15m');
  expect(r.fallbackStatus).toBe(200);
  expect(replies).toEqual([]);
  expect(logs).toEqual(["text to the buzzer number from +1******9999 ignored (the agent is not reachable; only the owner's cell is told)"]);
});
