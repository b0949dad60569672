#!/usr/bin/env node
// The home phone at Twilio's default call rate (issue 17, "The home phone"). Run after
// `npm run build`: npm run bench:home-queue
// One, two and three whitelisted callers ring the home number at the same instant, on a twin
// holding exactly what deploy deploys, at the twin's default 1 call per second. Each caller is
// answered into a room of its own and the SIP phone is rung into it through the Participants API,
// a REST-created call, so the phone legs queue behind each other. For each caller: when it starts
// hearing something (the room's ringback), the phone leg's queue_time, when the phone starts
// ringing and when the room starts (the phone answers 4 s after it starts ringing). Virtual time,
// read from the twin's transcript.
import { startDeployedTwin } from '../dist/simulate/deployed-twin.js';
import { hashMonitorCode } from '../dist/household/monitor-code.js';
import { localTimeToInstant } from '../dist/household/local-time.js';

const config = {
  household: {
    homeNumber: '+15551230001', ownerCell: '+15551239000', defaultCountry: 'US', timeZone: 'America/New_York',
    sipDomain: 'myhome.sip.twilio.com', sipUsername: 'homephone', sipPassword: 'Bench-Password-1234',
    emergencyNumbers: ['911'], monitorCodeHash: hashMonitorCode('2468'),
  },
};
const CALLERS = ['+15555555555', '+15555550100', '+15555550111'];
const whitelist = CALLERS.map((Number, i) => ({ Number, Person: `Caller ${i + 1}`, OverrideBedtime: true, PrimaryContact: null }));
const SIP = 'sip:homephone@myhome.sip.twilio.com';

console.log('| callers at once | caller | hears ringback at | phone leg queue_time | phone rings at | room starts at |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const n of [1, 2, 3]) {
  const deployed = await startDeployedTwin({ config, whitelist, startTime: localTimeToInstant('2026-11-20 15:00', 'America/New_York') });
  try {
    const engine = deployed.twin.engine;
    engine.phones.set(SIP, { answerAfter: 4 });
    const mark = engine.transcript.events.length;
    const calls = CALLERS.slice(0, n).map((from) => engine.startCall({ from, to: deployed.homeNumber, script: { hangupAfter: 30 } }));
    await engine.settle();
    const events = engine.transcript.since(mark);
    const t0 = events[0].atMs;
    const s = (e) => (e ? `${((e.atMs - t0) / 1000).toFixed(2)} s` : '–');
    calls.forEach((c, i) => {
      const sid = c.json.sid;
      const room = `hp-${sid}`;
      const hears = events.find((e) => e.callSid === sid && e.type === 'play');
      const phone = events.find((e) => e.type === 'conference-join' && e.data.room === room && e.callSid !== sid)?.callSid;
      const queued = events.find((e) => e.callSid === phone && e.type === 'queued');
      const ringing = events.find((e) => e.callSid === phone && e.type === 'ringing');
      const start = events.find((e) => e.type === 'conference-start' && e.data.room === room);
      console.log(`| ${n} | ${i + 1} | ${s(hears)} | ${queued ? `${queued.data.queueTimeMs} ms` : '–'} | ${s(ringing)} | ${s(start)} |`);
    });
  } finally {
    await deployed.close();
  }
}
console.log(`\n(twin at its default 1 CPS; Node ${process.version})`);
