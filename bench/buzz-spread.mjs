#!/usr/bin/env node
// How far apart the tenants' phones start ringing, for 2, 3, 5 and 10 tenants, on a twin at its
// default calls per second (Twilio's default: 1 CPS for REST-created calls; <Dial> legs are not
// limited). Run after `npm run build`: npm run bench:buzz-spread
//   before: the tenants called through the REST API, all at once (what the agent did up to now,
//           and what the seed does): the account's CPS queues them;
//   after:  the real agent: one <Dial> on the visitor's call, one screened <Number> per tenant.
// The spread is read from the twin's transcript (virtual time): the last tenant's "ringing" minus
// the first one's.
import { createServer } from 'node:http';
import { startTwin } from '@homephone/twin';
import { createTwilioClient } from '../dist/twilio/client.js';
import { startAgent, restOverTwilio, createLogger } from '../dist/agent/index.js';

const PUBLIC_URL = 'https://buzz.example.org/';
const ENTERPHONE = '+15551238888';
const BUZZER = '+15551239999';
const COUNTS = [2, 3, 5, 10];
const tenants = (n) => Array.from({ length: n }, (_, i) => ({ name: `T${i + 1}`, number: `+1555111${String(i).padStart(4, '0')}` }));

async function twinFor(list) {
  const twin = await startTwin({ numbers: [BUZZER] });
  const { accountSid, authToken } = twin.credentials;
  const client = createTwilioClient({ accountSid, authToken, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
  await client.incomingPhoneNumbers(number.sid).update({ voiceUrl: PUBLIC_URL });
  for (const t of list) twin.engine.phones.set(t.number, { behaviour: 'no-answer' });
  return { twin, client, authToken };
}

/** Seconds between the first and the last tenant's phone starting to ring. */
function spread(result, list) {
  const numbers = new Set(list.map((t) => t.number));
  const legs = new Set(result.calls.filter((c) => numbers.has(c.to)).map((c) => c.sid));
  const at = result.events.filter((e) => e.type === 'ringing' && legs.has(e.callSid)).map((e) => e.atMs);
  if (at.length !== list.length) return { spread: NaN, rang: at.length };
  return { spread: (Math.max(...at) - Math.min(...at)) / 1000, rang: at.length };
}

async function before(list) {
  const { twin, client } = await twinFor(list);
  // The old fan-out: answer the enterphone into a room, then create every tenant's call at once.
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response><Dial><Conference startConferenceOnEnter="false">bench-room</Conference></Dial></Response>');
      const work = Promise.all(list.map((t) => client.calls.create({ to: t.number, from: BUZZER, url: `${PUBLIC_URL}tenant`, timeout: 20 })));
      void twin.engine.track(work);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  twin.engine.webhooks.alias('buzz.example.org', `http://127.0.0.1:${server.address().port}`);
  const result = await twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: { hangupAfter: 30 } });
  server.close();
  await twin.close();
  return spread(result, list);
}

async function after(list) {
  const { twin, client, authToken } = await twinFor(list);
  const agent = await startAgent({
    settings: { publicUrl: PUBLIC_URL, authToken, buzzerNumber: BUZZER, enterphoneNumber: ENTERPHONE, tenants: list, doorDigits: '9', ringTimeout: 20, timeZone: 'UTC', port: 0, host: '127.0.0.1', hueLights: 'all' },
    rest: restOverTwilio(client),
    clock: { now: () => twin.clock.now(), after: (s, fn) => twin.engine.scheduler.after(s, fn) },
    observeWork: (w) => void twin.engine.track(w),
    logger: createLogger({ format: 'json', write: () => {} }),
    startupSms: false,
  });
  twin.engine.webhooks.alias('buzz.example.org', agent.localUrl);
  const result = await twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER });
  await agent.close();
  await twin.close();
  return spread(result, list);
}

const rows = [];
for (const n of COUNTS) {
  const list = tenants(n);
  const b = await before(list);
  const a = await after(list);
  rows.push({ tenants: n, before: b, after: a });
}
const fmt = (r) => (Number.isNaN(r.spread) ? `only ${r.rang} rang` : `${r.spread.toFixed(2)} s`);
console.log('tenants | before: REST-created calls | after: one <Dial>, screened <Number> legs');
console.log('--- | --- | ---');
for (const r of rows) console.log(`${r.tenants} | ${fmt(r.before)} | ${fmt(r.after)}`);
console.log(`\n(twin at its default calls per second; Node ${process.version})`);
