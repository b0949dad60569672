// The check window (check/window.ts) through the agent's HTTP endpoint: the twin posts signed
// webhooks for calls to the buzzer number; `homephone check`'s Sync Document decides whether a call
// from the tester is a check buzz (greeting and ringback, recorded, nobody rung, no light flashed).
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ALEX, ENTERPHONE, SAM, callTo, eventsOf, startBuzzer, type BuzzerHarness } from './harness.js';
import { MESSAGES } from '../../src/agent/index.js';
import { closeCheckWindow, openCheckWindow, readCheckWindow } from '../../src/check/window.js';
import { SYNC_SERVICE_FRIENDLY_NAME } from '../../src/deploy/sync-name.js';
import { createTwilioClient } from '../../src/twilio/client.js';

const TESTER = '+15551230003';
const STRANGER = '+15557654321';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withSync(options: Parameters<typeof startBuzzer>[0] = {}) {
  h = await startBuzzer(options);
  const { accountSid, authToken } = h.twin.credentials;
  const client = createTwilioClient({ accountSid, authToken, twinUrl: h.twin.url }, {}, { retry: { sleep: async () => {} } });
  const service = await client.sync.v1.services.create({ friendlyName: SYNC_SERVICE_FRIENDLY_NAME });
  return { h, client, serviceSid: service.sid };
}

const said = (r: { events: Array<{ type: string; data: Record<string, unknown> }> }) => r.events.filter((e) => e.type === 'say').map((e) => e.data.text);

describe('the agent: a check window', () => {
  it('a call from the tester inside the window: greeting and the ringback audio, recorded in the window, nobody rung, no light flashed', async () => {
    const { startFakeHueBridge } = await import('../helpers/fake-hue-bridge.js');
    const { createNodeHueBridge } = await import('../../src/hue/index.js');
    const bridge = await startFakeHueBridge({ users: ['buzzeruser'], linkPressed: false });
    onTestFinished(() => bridge.close());
    const { h, client, serviceSid } = await withSync({ hue: createNodeHueBridge({ address: bridge.url, username: 'buzzeruser', flashTimeoutMs: 120_000 }) });
    await openCheckWindow(client, serviceSid, { tester: TESTER, ringPeople: false, seconds: 120 });
    const r = await h.buzz({}, TESTER);
    await h.agent.idle();
    expect(said(r)).toEqual([MESSAGES.checkGreeting]);
    const play = eventsOf(r, r.callSid, 'play')[0];
    expect(play?.data).toMatchObject({ url: 'https://buzz.example.org/ringback.wav', status: 200 });
    expect(callTo(r, ALEX)).toEqual([]);
    expect(callTo(r, SAM)).toEqual([]);
    expect(r.events.some((e) => e.type === 'sms')).toBe(false);
    expect(h.agent.buzzes.all()).toEqual([]);
    expect(bridge.calls.filter((c) => c.method === 'PUT')).toEqual([]);
    expect(h.logs.find((l) => l.event === 'buzz.check')).toMatchObject({ call: r.callSid, ringPeople: false });
    const window = await readCheckWindow(client, serviceSid);
    expect(window?.answered).toEqual([{ call: r.callSid, at: expect.any(String) }]);
  });

  it('another number inside the window, or the tester once the window expired: refused as before, nothing recorded', async () => {
    const { h, client, serviceSid } = await withSync();
    await openCheckWindow(client, serviceSid, { tester: TESTER, ringPeople: false, seconds: 60 });
    const stranger = await h.buzz({}, STRANGER);
    expect(said(stranger)).toEqual([MESSAGES.rejected]);
    await h.twin.engine.advance(61);
    const late = await h.buzz({}, TESTER);
    expect(said(late)).toEqual([MESSAGES.rejected]);
    await h.agent.idle();
    expect(h.logs.some((l) => l.event === 'buzz.check')).toBe(false);
    expect(h.logs.filter((l) => l.event === 'buzz.rejected')).toHaveLength(2);
    expect(callTo(stranger, ALEX).concat(callTo(late, ALEX))).toEqual([]);
  });

  it('no window, or a closed one: the tester is refused', async () => {
    const { h, client, serviceSid } = await withSync();
    expect(said(await h.buzz({}, TESTER))).toEqual([MESSAGES.rejected]);
    await openCheckWindow(client, serviceSid, { tester: TESTER, ringPeople: false });
    await closeCheckWindow(client, serviceSid);
    expect(said(await h.buzz({}, TESTER))).toEqual([MESSAGES.rejected]);
    expect(await readCheckWindow(client, serviceSid)).toBeNull();
  });

  it('the enterphone during a window: a real buzz, unchanged', async () => {
    const { h, client, serviceSid } = await withSync();
    await openCheckWindow(client, serviceSid, { tester: TESTER, ringPeople: false });
    const r = await h.buzz({ hangupAfter: 10 }, ENTERPHONE);
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(callTo(r, SAM)).toHaveLength(1);
    expect(said(r)).not.toContain(MESSAGES.checkGreeting);
  });

  it('--ring-people: the tester inside the window is a real buzz, the tenants ring', async () => {
    const { h, client, serviceSid } = await withSync();
    await openCheckWindow(client, serviceSid, { tester: TESTER, ringPeople: true });
    const r = await h.buzz({ hangupAfter: 10 }, TESTER);
    await h.agent.idle();
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(callTo(r, SAM)).toHaveLength(1);
    expect(h.logs.find((l) => l.event === 'buzz.check')).toMatchObject({ ringPeople: true });
    expect((await readCheckWindow(client, serviceSid))?.answered).toEqual([{ call: r.callSid, at: expect.any(String) }]);
  });
});
