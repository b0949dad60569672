// Host mappings: a public host (the agent's https://buzz.example.org) mapped to a local server
// through the admin API or the in-process API. Webhooks reach the local server, signed for the
// public URL as Twilio would sign them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startTwin, type Twin } from '../src/index.js';
import { HOME, startHarness, type Harness } from './helpers.js';
import { startApp, twiml, type App } from './voice/app.js';

const CALLER = '+15550001111';
const PUBLIC = 'https://buzz.example.org';

let h: Harness;
let app: App;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(h.twin.url + path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
  app.route('/buzz/voice', twiml('<Say>Hello from the agent</Say>'));
});
beforeEach(async () => {
  await admin('POST', '/_twin/reset');
  app.requests.length = 0;
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${PUBLIC}/buzz/voice?x=1` });
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('POST/GET/DELETE /_twin/hosts', () => {
  it('maps a public host to a local server: the webhook arrives there, signed for the public URL', async () => {
    const made = await admin('POST', '/_twin/hosts', { host: 'buzz.example.org', target: `${app.url}/` });
    expect(made).toEqual({ status: 201, body: { host: 'buzz.example.org', target: app.url } });
    expect((await admin('GET', '/_twin/hosts')).body).toEqual({ hosts: [{ host: 'buzz.example.org', target: app.url }] });
    expect((await admin('GET', '/_twin/info')).body.hosts).toEqual([{ host: 'buzz.example.org', target: app.url }]);

    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(r.events.find((e) => e.type === 'webhook')).toMatchObject({ text: `POST ${PUBLIC}/buzz/voice?x=1`, data: { status: 200 } });
    expect(r.text).toContain('Hello from the agent');
    const [req] = app.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/buzz/voice' });
    // Valid for the URL the number is configured with (what the agent checks), not the local one.
    expect(twilio.validateRequest(h.twin.credentials.authToken, req!.signature, `${PUBLIC}/buzz/voice?x=1`, req!.params)).toBe(true);
    expect(req!.valid).toBe(false);
  });

  it('without a mapping the public host is unreachable (11205) and the caller hears the application error', async () => {
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(app.requests).toHaveLength(0);
    expect(r.events.find((e) => e.type === 'error')).toMatchObject({ data: { code: 11205 } });
    expect(r.events.some((e) => e.data.applicationError)).toBe(true);
  });

  it('maps a base URL with a path prefix, lists, replaces and removes mappings', async () => {
    expect((await admin('POST', '/_twin/hosts', { hosts: { 'BUZZ.example.org': `${app.url}/buzz` } })).body).toEqual({
      hosts: [{ host: 'buzz.example.org', target: `${app.url}/buzz` }],
    });
    app.route('/buzz/buzz/voice', twiml('<Say>Through the prefix</Say>'));
    expect((await h.twin.engine.placeCall({ from: CALLER, to: HOME })).text).toContain('Through the prefix');

    await admin('POST', '/_twin/hosts', { hosts: [{ host: 'https://buzz.example.org/', target: app.url }, { host: 'other.example.org', target: app.url }] });
    expect((await admin('GET', '/_twin/hosts')).body.hosts).toEqual([
      { host: 'buzz.example.org', target: app.url },
      { host: 'other.example.org', target: app.url },
    ]);
    expect((await admin('DELETE', '/_twin/hosts/buzz.example.org')).status).toBe(204);
    expect((await admin('DELETE', '/_twin/hosts/buzz.example.org')).status).toBe(404);
    expect((await admin('GET', '/_twin/hosts')).body.hosts).toEqual([{ host: 'other.example.org', target: app.url }]);
    expect((await admin('DELETE', '/_twin/hosts')).status).toBe(204);
    expect((await admin('GET', '/_twin/hosts')).body.hosts).toEqual([]);
  });

  it('refuses bad mappings with 400 and a message that says what to give', async () => {
    for (const body of [
      {},
      { host: 'buzz.example.org' },
      { host: 'buzz.example.org/path', target: 'http://127.0.0.1:8080' },
      { host: 'https://buzz.example.org/voice', target: 'http://127.0.0.1:8080' },
      { host: 'buzz.example.org', target: 'ftp://127.0.0.1' },
      { host: 'buzz.example.org', target: 'http://127.0.0.1:8080/?q=1' },
      // Without a scheme the request's own (https) would be kept: a local server needs a base URL.
      { host: 'buzz.example.org', target: '127.0.0.1:8080' },
      { hosts: 'nope' },
    ]) {
      const res = await admin('POST', '/_twin/hosts', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(/host|target/);
    }
    expect((await admin('GET', '/_twin/hosts')).body.hosts).toEqual([]);
  });
});

describe('twin.hosts and startTwin({ hosts })', () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin({ numbers: [HOME], hosts: { 'buzz.example.org': app.url } });
  });
  afterAll(async () => {
    await twin.close();
  });

  it('keeps the start mappings across a reset and drops the ones added later', async () => {
    twin.hosts.map('other.example.org', 'http://127.0.0.1:9');
    expect(twin.hosts.list().map((m) => m.host)).toEqual(['buzz.example.org', 'other.example.org']);
    twin.admin.reset();
    expect(twin.hosts.list()).toEqual([{ host: 'buzz.example.org', target: app.url }]);
    expect(() => twin.hosts.map('not a host', app.url)).toThrow(/not a host name/);
  });
});
