// The buzzer number's messaging wiring as deploy leaves it, end to end: a text from the owner's
// cell reaches the real agent's /sms (the number's sms_url, signed for the public URL) and its
// <Message> comes back; with the agent stopped, Twilio's fallback (the deployed
// /sms-buzzer-fallback) tells the owner it is not reachable.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentSettings, restOverTwilio, startAgent, type Agent } from '../../src/agent/index.js';
import type { HomephoneConfig } from '../../src/config/schema.js';
import { startDeployedTwin, type DeployedTwin } from '../../src/simulate/deployed-twin.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { householdConfig, local, OWNER, STRANGER, WHITELIST } from './helpers.js';

const BUZZER = '+15551230002';
const PUBLIC_URL = 'https://buzz.example.org/';
let deployed: DeployedTwin;
let agent: Agent | undefined;

const config: HomephoneConfig = {
  ...householdConfig(),
  buzzer: { number: BUZZER, enterphoneNumber: '+15551238888', publicUrl: PUBLIC_URL, tenants: [{ name: 'Alex', number: '+15551110000' }] },
};

beforeAll(async () => {
  deployed = await startDeployedTwin({ config, whitelist: WHITELIST, startTime: local('2026-11-20 15:00') });
  const { twin } = deployed;
  const withCredentials: HomephoneConfig = { ...config, twilio: { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken } };
  const settings = agentSettings(withCredentials, {}, { port: 0, host: '127.0.0.1' });
  const client = createTwilioClient({ ...twin.credentials, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
  agent = await startAgent({
    settings,
    rest: restOverTwilio(client),
    clock: { now: () => twin.clock.now(), after: (seconds, fn) => twin.engine.scheduler.after(seconds, fn) },
    observeWork: (work) => void twin.engine.track(work),
    startupSms: false,
  });
  twin.hosts.map(new URL(PUBLIC_URL).hostname, agent.localUrl);
});
afterAll(async () => {
  await agent?.close();
  await deployed.close();
});

const textBuzzer = async (from: string, body: string) => {
  const r = await deployed.twin.engine.receiveSms({ from, to: BUZZER, body });
  return { r, replies: r.replies.map((m) => String(m.body)) };
};

it("deploy points the buzzer number's texts at the agent: the owner's status text is answered by it", async () => {
  const [number] = await createTwilioClient({ ...deployed.twin.credentials, twinUrl: deployed.twin.url }, {}).incomingPhoneNumbers.list({ phoneNumber: BUZZER, limit: 1 });
  expect(number!.smsUrl).toBe('https://buzz.example.org/sms');
  const { r, replies } = await textBuzzer(OWNER, 'status');
  expect(r.error).toBeNull();
  expect(r.fallbackStatus).toBeNull();
  expect(replies).toEqual(['Door: buzzes ring the tenants. No buzzes since the agent started. Hue: not paired.']);
  // Anyone else: the agent answers nothing.
  expect((await textBuzzer(STRANGER, 'status')).replies).toEqual([]);
});

it('with the agent stopped, the fallback Function tells the owner, and nobody else', async () => {
  await agent!.close();
  agent = undefined;
  const { r, replies } = await textBuzzer(OWNER, 'open 15m');
  expect(r.error).toMatchObject({ code: 11200 });
  expect(replies).toEqual([
    'The buzzer agent is not reachable: it did not answer (HTTP retrieval failure, error 11200). "open 15m" was not carried out; check the agent (homephone doctor).',
  ]);
  expect((await textBuzzer(STRANGER, 'open 15m')).replies).toEqual([]);
});
