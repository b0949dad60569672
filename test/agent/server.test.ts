// The agent's HTTP surface: signatures against the configured public URL (behind a proxy), 403,
// 413, 405, 404, the health check, and refusing to start half-configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { agentSettings, startAgent, type Agent, type AgentRest, type AgentSettings } from '../../src/agent/index.js';
import type { HomephoneConfig } from '../../src/config/schema.js';

const TOKEN = '0123456789abcdef0123456789abcdef';
const ENTERPHONE = '+15551238888';
const CALL = 'CA0123456789abcdef0123456789abcdef';
const OWNER = '+15550002222';

function fakeRest(): AgentRest & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    updateCall: async (sid, update) => {
      calls.push({ sid, update });
      return { sid, status: 'in-progress' };
    },
    fetchCall: async (sid) => ({ sid, status: 'in-progress' }),
    fetchMessage: async () => Promise.reject(new Error('no texts here')),
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
    ownerCell: OWNER,
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
    expect(body).toContain(`<Dial action="https://buzz.example.org/buzzer/dialed?buzz=${CALL}" callerId="+15551239999" timeout="30">`);
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

  it('/sms is below the public URL too (deploy sets the number\'s sms_url to it), prefix passed or stripped', async () => {
    const params = { MessageSid: 'SM' + '1'.repeat(32), AccountSid: 'AC' + '0'.repeat(32), From: OWNER, To: '+15551239999', Body: 'help', NumMedia: '0' };
    for (const path of ['/buzzer/sms', '/sms']) {
      const res = await post(path, params, sign(`${PUBLIC}/sms`, params));
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>Buzzer commands: /);
    }
    expect((await post('/buzzer/sms', params, sign(`${PUBLIC}/`, params))).status).toBe(403);
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

describe('a door nobody can confirm (over HTTP, with Twilio failing every door request)', () => {
  const PUBLIC = 'https://buzz.example.org';
  const TENANT = 'CA' + 'b'.repeat(32);
  let agent: Agent;
  const texts: Array<{ to: string; body: string }> = [];
  const updates: string[] = [];
  beforeAll(async () => {
    const rest: AgentRest = {
      updateCall: async (sid) => {
        updates.push(sid);
        if (sid === CALL) throw Object.assign(new Error('Internal Server Error'), { status: 500, code: 20500 });
        return { sid, status: 'in-progress' };
      },
      fetchCall: async (sid) => ({ sid, status: 'in-progress' }),
      fetchMessage: async () => Promise.reject(new Error('no texts here')),
      sendSms: async (to, _from, body) => {
        texts.push({ to, body });
        return { sid: 'SM0' };
      },
    };
    agent = await startAgent({ settings: { ...settings(PUBLIC), tenants: [{ name: 'Alex', number: '+15551110000' }, { name: 'Sam', number: '+15551110001' }] }, rest, startupSms: false });
  });
  afterAll(async () => agent.close());

  const ask = async (path: string, params: Record<string, string>) => {
    const res = await fetch(`${agent.localUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': sign(`${PUBLIC}${path}`, params) },
      body: form(params),
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('the tenant hears the truth, everyone is texted, and the visitor is offered to the tenants again', async () => {
    const q = `?buzz=${CALL}&t=0`;
    expect(await ask('/', buzzParams)).toContain('<Dial');
    expect(await ask(`/tenant${q}`, { CallSid: TENANT, CallStatus: 'in-progress' })).toContain('Press 1 to talk');
    await ask(`/tenant/answer${q}`, { CallSid: TENANT, CallStatus: 'in-progress', Digits: '1' });
    expect(await ask(`/dialed?buzz=${CALL}`, { CallSid: CALL, CallStatus: 'in-progress', DialCallStatus: 'completed' })).toContain(`bz-${CALL}</Conference>`);
    await agent.idle();
    expect(await ask(`/tenant/star${q}`, { CallSid: TENANT, CallStatus: 'in-progress' })).toContain('Press 9 to open the door');
    expect(await ask(`/tenant/star/answer${q}`, { CallSid: TENANT, CallStatus: 'in-progress', Digits: '9' })).toContain('Opening the door.');
    await agent.idle();
    expect(updates).toEqual([TENANT, CALL]);
    // The visitor's call never asked again and nothing confirmed the door: after the wait, the truth.
    expect(await ask(`/tenant/door${q}&n=3`, { CallSid: TENANT, CallStatus: 'in-progress' })).toContain('<Redirect');
    const truth = await ask(`/tenant/door${q}&n=12`, { CallSid: TENANT, CallStatus: 'in-progress' });
    expect(truth).toContain('Sorry, the door could not be opened. Everyone is being rung again');
    await agent.idle();
    expect(texts.map((t) => t.to).sort()).toEqual(['+15551110000', '+15551110001']);
    expect(texts[0]?.body).toMatch(/Alex could not open it\. The visitor is being put through to everyone again\.$/);
    // The visitor's next request rings every tenant again.
    const again = await ask(`/visitor/after?buzz=${CALL}&hold=1`, { CallSid: CALL, CallStatus: 'in-progress' });
    expect(again).toContain(`<Dial action="${PUBLIC}/dialed?buzz=${CALL}" callerId=`);
    expect(again).toContain('+15551110001</Number>');
  });
});
