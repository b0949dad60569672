#!/usr/bin/env node
// Memory with abandoned buzzes: BUZZES visitors (default 1,220) each hang up at the entry-code
// prompt, through an in-process twin and the real agent (cap: 500 buzzes remembered). Reports how
// many buzzes the agent still holds and the heap after a GC. Every fifth buzz, virtual time moves
// 11 minutes on, out of the wrong-code window, so every visitor is asked for a code.
// Run after `npm run build`: node --expose-gc bench/abandoned.mjs
import { startTwin } from '@homephone/twin';
import { createTwilioClient } from '../dist/twilio/client.js';
import { startAgent, restOverTwilio } from '../dist/agent/index.js';
import { hashMonitorCode } from '../dist/household/monitor-code.js';

const BUZZES = Number(process.env.BUZZES ?? 1220);
const BUZZER = '+15551239999';
const ENTERPHONE = '+15551238888';
const twin = await startTwin({ numbers: [BUZZER], startTime: new Date('2026-11-21T19:02:00Z') });
const { accountSid, authToken } = twin.credentials;
const client = createTwilioClient({ accountSid, authToken, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
await client.incomingPhoneNumbers(number.sid).update({ voiceUrl: 'https://buzz.example.org/' });
const modes = { entryCodes: [{ name: 'courier', hash: hashMonitorCode('4321') }] };
const agent = await startAgent({
  settings: {
    publicUrl: 'https://buzz.example.org/', authToken, buzzerNumber: BUZZER, enterphoneNumber: ENTERPHONE,
    tenants: [{ name: 'Alex', number: '+15551110000' }], doorDigits: '9', ringTimeout: 30, timeZone: 'America/New_York',
    port: 0, host: '127.0.0.1', hueLights: 'all',
  },
  rest: restOverTwilio(client),
  clock: { now: () => twin.clock.now(), after: (s, fn) => twin.engine.scheduler.after(s, fn) },
  observeWork: (w) => void twin.engine.track(w),
  modes: () => modes,
  startupSms: false,
});
twin.engine.webhooks.alias('buzz.example.org', agent.localUrl);
const heap = () => { globalThis.gc?.(); return Math.round(process.memoryUsage().heapUsed / 1024 / 1024 * 10) / 10; };
const before = heap();
const t = performance.now();
for (let i = 1; i <= BUZZES; i++) {
  await twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: { hangupAfter: 2 } });
  if (i % 5 === 0) await twin.engine.advance(11 * 60);
}
const entry = agent.buzzes.all().filter((b) => b.phase === 'entry').length;
console.log(`${BUZZES} abandoned buzzes in ${Math.round(performance.now() - t)} ms: the agent holds ${agent.buzzes.size} (${entry} at the prompt), heap ${before} MB before, ${heap()} MB after${globalThis.gc ? '' : ' (run with --expose-gc for settled figures)'}`);
await agent.close();
await twin.close();
