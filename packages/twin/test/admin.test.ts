// Credentials, error bodies, the admin API (numbers, request log, faults, reset).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twinClient } from '../src/index.js';
import { HOME, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(async () => {
  await admin('POST', '/_twin/reset');
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(h.twin.url + path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('credentials and error bodies', () => {
  it('answers wrong credentials with 401 and Twilio’s error body', async () => {
    const bad = twinClient({ ...h.settings, authToken: 'wrong' });
    const err = (await bad.incomingPhoneNumbers.list().catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({ status: 401, code: 20003, message: 'Authenticate', moreInfo: 'https://www.twilio.com/docs/errors/20003' });

    const res = await fetch(`${h.twin.url}/serverless/v1/Services`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await res.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('answers unknown resources with 20404', async () => {
    const err = (await h.client.calls('CA' + '0'.repeat(32)).fetch().catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({ status: 404, code: 20404 });
    expect(err.message).toMatch(/was not found/);
  });

});

describe('admin API', () => {
  it('seeds owned numbers', async () => {
    const seeded = await admin('POST', '/_twin/numbers', { numbers: ['+15559870001', { phoneNumber: '+15559870002', friendlyName: 'Buzzer' }] });
    expect(seeded.status).toBe(201);
    expect(seeded.body.numbers.map((n: { sid: string }) => n.sid)).toEqual([expect.stringMatching(/^PN/), expect.stringMatching(/^PN/)]);
    const [buzzer] = await h.client.incomingPhoneNumbers.list({ phoneNumber: '+15559870002' });
    expect(buzzer?.friendlyName).toBe('Buzzer');
    expect((await admin('POST', '/_twin/numbers', { phoneNumber: '555' })).status).toBe(400);
  });

  it('logs REST requests so tests can count write calls', async () => {
    await h.client.serverless.v1.services.create({ uniqueName: 'log', friendlyName: 'log' });
    await h.client.serverless.v1.services.list();
    await h.client.calls.create({ to: '+15557654321', from: HOME, twiml: '<Response/>' }).catch(() => undefined);
    const { body } = await admin('GET', '/_twin/requests');
    const requests = body.requests as Array<{ method: string; product: string; path: string; status: number }>;
    expect(requests.map(({ method, product, path, status }) => ({ method, product, path, status }))).toEqual([
      { method: 'POST', product: 'serverless', path: '/v1/Services', status: 201 },
      { method: 'GET', product: 'serverless', path: '/v1/Services', status: 200 },
      { method: 'POST', product: 'api', path: `/2010-04-01/Accounts/${h.twin.credentials.accountSid}/Calls.json`, status: 201 },
    ]);
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(2);
    expect((await admin('DELETE', '/_twin/requests')).status).toBe(204);
    expect((await admin('GET', '/_twin/requests')).body.requests).toEqual([]);
  });

  it('fires a 429 fault on exactly the Nth matching request, with Retry-After', async () => {
    await admin('POST', '/_twin/faults', {
      method: 'GET', path: '/api/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', nth: 2, fault: '429', retryAfter: 7,
    });
    expect(await h.client.incomingPhoneNumbers.list()).toHaveLength(2);
    await expect(h.client.incomingPhoneNumbers.list()).rejects.toMatchObject({ status: 429, code: 20429 });
    expect(await h.client.incomingPhoneNumbers.list()).toHaveLength(2);
    const [fault] = (await admin('GET', '/_twin/faults')).body.faults;
    expect(fault).toMatchObject({ seen: 3, fired: 1, nth: 2, times: 1 });
  });

  it('fires a 500 fault once, without retrying it', async () => {
    await admin('POST', '/_twin/faults', { method: 'POST', path: '/serverless/v1/Services', fault: '500' });
    await expect(h.client.serverless.v1.services.create({ uniqueName: 'a', friendlyName: 'a' })).rejects.toMatchObject({
      status: 500,
      code: 20500,
    });
    // The faulted request changed nothing: the same create now succeeds.
    expect((await h.client.serverless.v1.services.create({ uniqueName: 'a', friendlyName: 'a' })).uniqueName).toBe('a');
  });

  it('never answers a hang fault', async () => {
    const { body: fault } = await admin('POST', '/_twin/faults', { method: 'GET', path: '/studio/v2/Flows', fault: 'hang' });
    const logged = new Promise<void>((resolve) => {
      const off = h.twin.log.events.on('logged', (entry) => {
        if (entry.path === '/v2/Flows') {
          off();
          resolve();
        }
      });
    });
    const abort = new AbortController();
    const auth = Buffer.from(`${h.twin.credentials.accountSid}:${h.twin.credentials.authToken}`).toString('base64');
    const pending = fetch(`${h.twin.url}/studio/v2/Flows`, { headers: { Authorization: `Basic ${auth}` }, signal: abort.signal });
    await logged;
    // Give the server a turn to (not) answer, then give up.
    await new Promise((r) => setImmediate(r));
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const [entry] = (await admin('GET', '/_twin/requests')).body.requests;
    expect(entry).toMatchObject({ path: '/v2/Flows', status: null, fault: fault.id });
    // Later requests are answered.
    expect(await h.client.studio.v2.flows.list()).toEqual([]);
  });

  it('rejects malformed faults', async () => {
    const res = await admin('POST', '/_twin/faults', { path: 'no-slash', fault: '418' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/path/);
  });

  it('resets to the start state', async () => {
    await h.client.serverless.v1.services.create({ uniqueName: 'gone', friendlyName: 'gone' });
    await admin('POST', '/_twin/numbers', { phoneNumber: '+15559870003' });
    expect((await admin('POST', '/_twin/reset')).status).toBe(204);
    expect(await h.client.serverless.v1.services.list()).toEqual([]);
    expect((await h.client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber).sort()).toEqual([HOME, '+15551230002'].sort());
  });

  it('tells its URL and credentials', async () => {
    const { body } = await admin('GET', '/_twin/info');
    expect(body).toMatchObject({
      url: h.twin.url,
      account_sid: h.twin.credentials.accountSid,
      auth_token: h.twin.credentials.authToken,
      products: { api: `${h.twin.url}/api`, 'serverless-upload': `${h.twin.url}/serverless-upload` },
    });
  });
});

describe('admin API: stepping time and fetching as the twin does', () => {
  it('POST /_twin/advance plays N seconds of virtual time: a REST call moves on step by step', async () => {
    const start = h.twin.clock.nowMs();
    const call = await h.client.calls.create({ from: HOME, to: '+15557770001', twiml: '<Response><Pause length="30"/></Response>' });
    expect((await h.client.calls(call.sid).fetch()).status).toBe('queued');
    const step = await admin('POST', '/_twin/advance', { seconds: 5 });
    expect(step.status).toBe(200);
    expect(new Date(step.body.now).getTime() - start).toBe(5000);
    expect(step.body.events.map((e: { type: string }) => e.type)).toContain('answered');
    expect((await h.client.calls(call.sid).fetch()).status).toBe('in-progress');
    await admin('POST', '/_twin/advance', { seconds: 60 });
    expect((await h.client.calls(call.sid).fetch()).status).toBe('completed');
    expect((await admin('POST', '/_twin/advance', { seconds: 0 })).status).toBe(400);
    expect((await admin('POST', '/_twin/advance', {})).status).toBe(400);
  });

  it('POST /_twin/fetch GETs a URL as a <Play> would: signed, through host mappings, nothing from the internet', async () => {
    const { createServer } = await import('node:http');
    let signature: string | undefined;
    const server = createServer((req, res) => {
      signature = req.headers['x-twilio-signature'] as string | undefined;
      res.writeHead(200, { 'Content-Type': 'audio/wav' });
      res.end(Buffer.from('RIFF\0\0\0\0WAVEfmt '));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      h.twin.hosts.map('audio.example.org', `http://127.0.0.1:${port}`);
      const got = await admin('POST', '/_twin/fetch', { url: 'https://audio.example.org/hold.wav' });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ status: 200, content_type: 'audio/wav', network_error: null });
      expect(Buffer.from(got.body.body_base64, 'base64').subarray(0, 4).toString()).toBe('RIFF');
      expect(signature).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
      const away = await admin('POST', '/_twin/fetch', { url: 'https://elsewhere.example.org/x.wav' });
      expect(away.body).toMatchObject({ status: 0, network_error: expect.stringContaining('not a local address') });
      expect((await admin('POST', '/_twin/fetch', { url: 'ftp://x' })).status).toBe(400);
    } finally {
      h.twin.hosts.unmap('audio.example.org');
      server.close();
    }
  });
});

describe('verified caller IDs (POST/GET /_twin/caller-ids)', () => {
  it('adds them without a validation call, lists them, refuses what is not E.164, forgets them on reset unless seeded', async () => {
    const added = await admin('POST', '/_twin/caller-ids', { callerIds: ['+15550002222', { phoneNumber: '+15550003333', friendlyName: 'Tester' }] });
    expect(added.status).toBe(201);
    expect(added.body.caller_ids.map((c: { phone_number: string; friendly_name: string }) => [c.phone_number, c.friendly_name])).toEqual([
      ['+15550002222', '(555) 000-2222'],
      ['+15550003333', 'Tester'],
    ]);
    // Adding one again returns the same resource.
    const again = await admin('POST', '/_twin/caller-ids', { phoneNumber: '+15550002222' });
    expect(again.body.caller_ids[0].sid).toBe(added.body.caller_ids[0].sid);
    expect((await admin('GET', '/_twin/caller-ids')).body.caller_ids).toHaveLength(2);
    expect((await h.client.outgoingCallerIds.list()).map((c) => c.phoneNumber).sort()).toEqual(['+15550002222', '+15550003333']);

    for (const body of [{ phoneNumber: '555-000-2222' }, { callerIds: [] }, {}, { phoneNumber: '+15550002222', friendlyName: 'x'.repeat(65) }]) {
      const res = await admin('POST', '/_twin/caller-ids', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/E\.164/);
    }
    await admin('POST', '/_twin/reset');
    expect((await admin('GET', '/_twin/caller-ids')).body.caller_ids).toEqual([]);

    const seeded = await startHarness({ callerIds: ['+15550004444'] });
    try {
      seeded.twin.admin.reset();
      expect((await seeded.client.outgoingCallerIds.list()).map((c) => c.phoneNumber)).toEqual(['+15550004444']);
      expect((await seeded.client.outgoingCallerIds.list({ friendlyName: '(555) 000-4444' })).length).toBe(1);
    } finally {
      await seeded.twin.close();
    }
  });
});
