#!/usr/bin/env node
// The agent for bench/agent.mjs (a): the real server and buzz logic on 127.0.0.1, in its own
// process so the load generator does not share its event loop. Twilio's REST API is replaced by
// an in-memory stand-in that answers at once: this measures the webhook, not the network.
import { createServer } from 'node:http';
import { startAgent } from '../dist/agent/index.js';

// BENCH_BARE=1: a do-nothing Node HTTP server answering a fixed TwiML, the floor for this machine.
if (process.env.BENCH_BARE) {
  const body = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }).end(body));
  });
  server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
  process.on('message', () => process.exit(0));
  await new Promise(() => {});
}

const TOKEN = process.env.BENCH_TOKEN;
const rest = {
  updateCall: async (sid) => ({ sid, status: 'canceled' }),
  fetchCall: async (sid) => ({ sid, status: 'in-progress' }),
  sendSms: async () => ({ sid: 'SM0' }),
};
const agent = await startAgent({
  settings: {
    publicUrl: 'https://buzz.example.org/',
    authToken: TOKEN,
    buzzerNumber: '+15551239999',
    enterphoneNumber: '+15551238888',
    tenants: [{ name: 'Alex', number: '+15551110000' }, { name: 'Sam', number: '+15551110001' }],
    doorDigits: '9',
    ringTimeout: 5,
    timeZone: 'America/New_York',
    port: 0,
    host: '127.0.0.1',
    hueLights: 'all',
  },
  rest,
  startupSms: false,
});
process.send({ url: agent.localUrl });
process.on('message', async (m) => {
  if (m === 'stop') {
    await agent.close();
    process.exit(0);
  }
});
