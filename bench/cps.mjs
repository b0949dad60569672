#!/usr/bin/env node
// Ringing every tenant at Twilio's default call rate (issue 17). Run after `npm run build`:
// npm run bench:cps
// For 2, 3, 5 and 10 tenants, a simulated buzz (the real agent, the twin at its default 1 CPS,
// nobody answering) and the spread between the first and the last tenant's phone starting to
// ring, read from the twin's transcript (each leg's `ringing` event; REST-created legs also have a
// `queued` event with their queue_time). It measures whatever the product does now: REST-created
// legs queue behind each other, legs of one <Dial> do not. Also prints what a second and third
// simultaneous caller to the home phone would wait for their phone leg at 1 CPS, from the twin's
// queue alone (the home phone rings its SIP phone through the Participants API).
import { simulateBuzz } from '../dist/simulate/buzz.js';
import { startTwin } from '@homephone/twin';

const COUNTS = [2, 3, 5, 10];

async function spread(n) {
  const names = Array.from({ length: n }, (_, i) => `Tenant${i + 1}`);
  const config = { buzzer: { ringTimeout: 30, tenants: names.map((name, i) => ({ name, number: `+1555020${String(1000 + i).slice(1)}` })) } };
  const sim = await simulateBuzz({ config, tenants: new Map(names.map((name) => [name, { kind: 'no-answer' }])) });
  const numbers = new Set(sim.tenants.map((t) => t.number));
  const legs = sim.result.calls.filter((c) => numbers.has(c.to));
  const ringing = legs
    .map((c) => sim.result.events.find((e) => e.callSid === c.sid && e.type === 'ringing'))
    .filter(Boolean)
    .map((e) => e.atMs);
  const queued = sim.result.events.filter((e) => e.type === 'queued' && legs.some((c) => c.sid === e.callSid)).length;
  return {
    tenants: n,
    rung: ringing.length,
    restLegs: queued,
    spreadSeconds: ringing.length ? (Math.max(...ringing) - Math.min(...ringing)) / 1000 : NaN,
  };
}

/** The queue_time two or three Participants-API legs created at one instant get at 1 CPS. */
async function homePhoneQueue() {
  const twin = await startTwin({ numbers: ['+15551230001'] });
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${twin.url}/api/2010-04-01/Accounts/${twin.credentials.accountSid}/Conferences/hp-room-${i}/Participants.json`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${twin.credentials.accountSid}:${twin.credentials.authToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ From: '+15551230001', To: 'sip:homephone@myhome.sip.twilio.com' }).toString(),
      });
      times.push(Number((await res.json()).queue_time));
    }
    return times;
  } finally {
    await twin.close();
  }
}

const rows = [];
for (const n of COUNTS) rows.push(await spread(n));
console.log('tenants  rung  REST-created legs  first→last ringing (s)');
for (const r of rows) console.log(`${String(r.tenants).padStart(7)}  ${String(r.rung).padStart(4)}  ${String(r.restLegs).padStart(17)}  ${r.spreadSeconds.toFixed(2).padStart(22)}`);
const q = await homePhoneQueue();
console.log(`\nhome phone, callers arriving together at 1 CPS: phone leg queue_time ${q.map((ms) => `${ms} ms`).join(', ')}`);
