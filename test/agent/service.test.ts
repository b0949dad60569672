// The agent as a service on the open internet: idle and slow connections cannot lock Twilio out,
// the health check says nothing about the door, rejected callers are masked in the log.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ALEX, BUZZER, ENTERPHONE, SAM, callTo, eventsOf, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});

/** Opens one TCP connection to the agent; resolves once it is connected. */
function open(port: number, send?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      if (send) s.write(send);
      resolve(s);
    });
    s.on('error', () => {}); // the agent closing it is expected
    s.once('error', reject);
    sockets.push(s);
  });
}

describe('connection limits', () => {
  it('1,100 idle and half-sent connections do not lock out a signed buzz: the oldest idle ones are shed', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const port = h.agent.port;
    let closedByAgent = 0;
    for (let i = 0; i < 1100; i++) {
      // Every other one starts a request and never finishes it (a slow client).
      const s = await open(port, i % 2 ? 'POST / HTTP/1.1\r\nHost: buzz.example.org\r\nContent-Length: 100\r\n' : undefined);
      s.once('close', () => (closedByAgent += 1));
    }
    const r = await h.buzz();
    expect(eventsOf(r, r.callSid, 'webhook')[0]?.data.status).toBe(200);
    expect(eventsOf(r, callTo(r, ALEX)[0], 'answered')).toHaveLength(1);
    // The agent closed connections to stay under its limit (not one per socket in the log).
    await expect.poll(() => closedByAgent, { timeout: 30_000 }).toBeGreaterThan(0);
    const shed = h.logs.filter((l) => l.event === 'server.connections-shed');
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.length).toBeLessThan(20);
  });
});

describe('what the agent tells strangers', () => {
  it('/healthz says only that it is up, even while a visitor is at the door', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 20 });
    h.twin.engine.startCall({ from: ENTERPHONE, to: BUZZER });
    await h.twin.engine.advance(5);
    expect(h.agent.buzzes.all().some((b) => b.ringing)).toBe(true);
    const res = await fetch(`${h.agent.localUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"ok"}');
  });
});
