// The agent's HTTP surface: signatures against the configured public URL (behind a proxy), 403,
// 413, 405, 404, the health check, and refusing to start half-configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { agentSettings, startAgent, type Agent, type AgentRest, type AgentSettings } from '../../src/agent/index.js';
import type { HomephoneConfig } from '../../src/config/schema.js';

const TOKEN = '0123456789abcdef0123456789abcdef';
const ENTERPHONE = '+15551238888';
const CALL = 'CA0123456789abcdef0123456789abcdef';

function fakeRest(): AgentRest & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    updateCall: async (sid, update) => {
      calls.push({ sid, update });
      return { sid, status: 'in-progress' };
    },
    fetchCall: async (sid) => ({ sid, status: 'in-progress' }),
    sendSms: async () => ({ sid: 'SM0' }),
  };
}

function settings(publicUrl: string): AgentSettings {
  return {
    publicUrl,
    authToken: TOKEN,
    buzzerNumber: '+15551239999',
    enterphoneNumber: ENTERPHONE,
    tenants: [{ name: 'Alex', number: '+15551110000' }],
    doorDigits: '9',
    ringTimeout: 30,
    timeZone: 'America/New_York',
    port: 0,
    host: '127.0.0.1',
    hueLights: 'all',
  };
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const sign = (url: string, params: Record<string, string>, token = TOKEN) => twilio.getExpectedTwilioSignature(token, url, params);
const buzzParams = { CallSid: CALL, From: ENTERPHONE, To: '+15551239999', CallStatus: 'ringing' };

describe('the agent over HTTP', () => {
  let agent: Agent;
  let rest: ReturnType<typeof fakeRest>;
  // Behind a TLS proxy that passes the /buzzer prefix through: the agent sees http://127.0.0.1/buzzer.
  const PUBLIC = 'https://buzz.example.org/buzzer';
  beforeAll(async () => {
    rest = fakeRest();
    agent = await startAgent({ settings: settings(PUBLIC), rest, startupSms: false });
  });
  afterAll(async () => agent.close());

  const post = (path: string, params: Record<string, string>, signature?: string) =>
    fetch(`${agent.localUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'X-Twilio-Signature': signature }) },
      body: form(params),
    });

  it('answers a buzz signed over the public URL (not the address it arrived on) with TwiML', async () => {
    const res = await post('/buzzer', buzzParams, sign(PUBLIC, buzzParams));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const body = await res.text();
    // One <Dial> rings the tenants from the visitor's own call, each screened by the agent.
    expect(body).toContain(`<Dial action="https://buzz.example.org/buzzer/dialed?buzz=${CALL}" timeout="30">`);
    expect(body).toContain(`url="https://buzz.example.org/buzzer/tenant?buzz=${CALL}&amp;t=0"`);
    expect(body).toContain(`statusCallback="https://buzz.example.org/buzzer/status?buzz=${CALL}&amp;t=0"`);
    await agent.idle();
    // Nothing is created through the REST API: no call waits for the account's calls per second.
    expect(rest.calls).toHaveLength(0);
  });

  it('also accepts a proxy that strips the prefix', async () => {
    const params = { CallSid: CALL, CallStatus: 'ringing' };
    const url = `${PUBLIC}/status?buzz=${CALL}&t=0`;
    const res = await post(`/status?buzz=${CALL}&t=0`, params, sign(url, params));
    expect(res.status).toBe(200);
  });

  it('403s an unsigned request, a forged one, one signed over the local address, and one with a changed parameter', async () => {
    const local = `${agent.localUrl}/buzzer`;
    const forged = { ...buzzParams, CallSid: 'CA' + 'f'.repeat(32) };
    for (const [params, signature] of [
      [buzzParams, undefined],
      [buzzParams, 'bm90IGEgc2lnbmF0dXJl'],
      [buzzParams, sign(local, buzzParams)],
      [buzzParams, sign(PUBLIC, buzzParams, 'f'.repeat(32))],
      [forged, sign(PUBLIC, buzzParams)],
    ] as const) {
      const before = rest.calls.length;
      const res = await post('/buzzer', params, signature);
      expect(res.status).toBe(403);
      await agent.idle();
      expect(rest.calls.length).toBe(before);
    }
  });

  it('413s a body over 64 KiB, 405s other methods, 404s unknown paths', async () => {
    const big = { ...buzzParams, Padding: 'x'.repeat(70 * 1024) };
    expect((await post('/buzzer', big, sign(PUBLIC, big))).status).toBe(413);
    const put = await fetch(`${agent.localUrl}/buzzer`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect((await fetch(`${agent.localUrl}/buzzer`)).status).toBe(405);
    expect((await fetch(`${agent.localUrl}/buzzer/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('serves /healthz and the ringback audio without a signature', async () => {
    const health = await fetch(`${agent.localUrl}/buzzer/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const stripped = await fetch(`${agent.localUrl}/healthz`);
    expect(stripped.status).toBe(200);
    const audio = await fetch(`${agent.localUrl}/buzzer/ringback.wav`);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
  });

  it('the ringback TwiML is signed too, and loops the WAV', async () => {
    const params = { CallSid: CALL, ConferenceSid: 'CF' + '0'.repeat(32) };
    const res = await post('/buzzer/ringback', params, sign(`${PUBLIC}/ringback`, params));
    expect(await res.text()).toContain('<Play loop="0">https://buzz.example.org/buzzer/ringback.wav</Play>');
  });
});

describe('refusing to start', () => {
  const base: HomephoneConfig = {
    twilio: { accountSid: 'AC' + '0'.repeat(32), authToken: TOKEN },
    household: { timeZone: 'America/New_York' },
    buzzer: { number: '+15551239999', enterphoneNumber: ENTERPHONE, tenants: [{ name: 'Alex', number: '+15551110000' }], publicUrl: 'https://buzz.example.org/' },
  };

  it('without an auth token, naming it (an API key is not enough)', () => {
    const config = { ...base, twilio: { accountSid: base.twilio!.accountSid!, apiKey: 'SK' + '0'.repeat(32), apiSecret: 'secretsecret' } };
    expect(() => agentSettings(config, {})).toThrow(/twilio\.authToken \(or TWILIO_AUTH_TOKEN\)/);
    expect(agentSettings(config, { TWILIO_AUTH_TOKEN: TOKEN }).authToken).toBe(TOKEN);
  });

  it('without a public URL, naming it', () => {
    const config = { ...base, buzzer: { ...base.buzzer, publicUrl: undefined } };
    try {
      agentSettings(config, {});
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/buzzer\.publicUrl/);
      expect((err as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it('with a certificate but no key', () => {
    expect(() => agentSettings(base, {}, { tlsCert: '/x/cert.pem' })).toThrow(/both a certificate and a key/);
  });
});
