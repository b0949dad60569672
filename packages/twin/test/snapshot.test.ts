// Snapshots of a twin's account (admin.snapshot / restore, GET /_twin/snapshot, POST /_twin/restore):
// a twin restored from one holds the same resources, serves the same deployed Functions, and is
// a fresh copy each time; a snapshot of another account is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_TABLES } from '../src/snapshot.js';
import { SnapshotError, startTwin, twinClient, type Twin, type TwinSnapshot } from '../src/index.js';
import { HOME, startHarness, type Harness } from './helpers.js';
import { deploy, type Deployed } from './voice/deploy.js';

const FN = `exports.handler = async (context, event, callback) => {
  const doc = await context.getTwilioClient().sync.v1.services(context.SYNC).documents('state').fetch();
  callback(null, { owner: context.OWNER, state: doc.data, now: new Date().toISOString() });
};`;

let h: Harness;
let svc: Deployed;
let saved: TwinSnapshot;
const twins: Twin[] = [];

/** Every resource table, deep and strict (Maps, Buffers, prototypes, undefined fields). */
function expectSameTables(t: Twin, other: Twin): void {
  for (const k of SNAPSHOT_TABLES) expect(t.state[k], k).toStrictEqual(other.state[k]);
}

async function twinOf(startTime: Date): Promise<Twin> {
  const t = await startTwin({ credentials: h.twin.credentials, startTime });
  twins.push(t);
  return t;
}

const invoke = (t: Twin) => t.engine.webhooks.send({ url: `https://${svc.domain}/state`, method: 'POST', params: {} });

beforeAll(async () => {
  h = await startHarness({ startTime: new Date('2026-01-05T10:00:00Z'), hosts: { 'buzz.example.org': 'http://127.0.0.1:9' }, cps: 3 });
  const sync = await h.client.sync.v1.services.create({ friendlyName: 'snap' });
  await h.client.sync.v1.services(sync.sid).documents.create({ uniqueName: 'state', data: { locked: false } });
  svc = await deploy(h, { service: 'snap', variables: { OWNER: 'Ada', SYNC: sync.sid }, functions: [{ path: '/state', visibility: 'public', content: FN }] });
  const number = [...h.twin.state.numbers.values()].find((n) => n.json.phone_number === HOME)!;
  await h.client.incomingPhoneNumbers(number.json.sid).update({ voiceUrl: `https://${svc.domain}/state` });
  saved = h.twin.admin.snapshot();
});
afterAll(async () => {
  await Promise.all([h.twin.close(), ...twins.map((t) => t.close())]);
});

describe('twin snapshots', () => {
  it('restores every resource table, the account settings and the host mappings', async () => {
    const t = await twinOf(new Date('2026-02-01T08:00:00Z'));
    t.admin.restore(saved);
    expectSameTables(t, h.twin);
    expect(t.admin.account().cps).toBe(3);
    expect(t.admin.hosts()).toEqual([{ host: 'buzz.example.org', target: 'http://127.0.0.1:9' }]);
    expect(t.state.numbers.get([...t.state.numbers.keys()][0]!)!.json.voice_url).toBe(`https://${svc.domain}/state`);
    expect(saved.takenAt).toBe('2026-01-05T10:00:00.000Z');
  });

  it('serves the deployed Functions with their variables and Sync data, on its own clock', async () => {
    const t = await twinOf(new Date('2026-02-01T08:00:00Z'));
    t.admin.restore(saved);
    const res = await invoke(t);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ owner: 'Ada', state: { locked: false }, now: '2026-02-01T08:00:00.000Z' });
    // The same Function on the original twin answers alike, on that twin's clock.
    expect(JSON.parse((await invoke(h.twin)).body)).toEqual({ owner: 'Ada', state: { locked: false }, now: '2026-01-05T10:00:00.000Z' });
  });

  it('is a fresh copy each time, and forgets what the twin held before', async () => {
    const t = await twinOf(new Date('2026-02-01T08:00:00Z'));
    t.admin.restore(saved);
    const client = twinClient({ accountSid: t.credentials.accountSid, authToken: t.credentials.authToken, twinUrl: t.url });
    const sync = [...t.state.syncServices.keys()][0]!;
    await client.sync.v1.services(sync).documents('state').update({ data: { locked: true } });
    await client.messages.create({ from: HOME, to: '+15551110000', body: 'hello' });
    expect(JSON.parse((await invoke(t)).body).state).toEqual({ locked: true });

    t.admin.restore(saved);
    expect(t.state.messages.size).toBe(0);
    expect(t.log.all().length).toBe(0);
    expect(JSON.parse((await invoke(t)).body).state).toEqual({ locked: false });
    expect(JSON.parse((await invoke(h.twin)).body).state).toEqual({ locked: false }); // the original untouched
  });

  it('refuses a snapshot of another account, leaving the twin as it was', async () => {
    const other = await startTwin({ numbers: ['+15551112222'] });
    twins.push(other);
    expect(() => other.admin.restore(saved)).toThrow(SnapshotError);
    expect(() => other.admin.restore(saved)).toThrow(/belongs to account AC\w+, this twin is AC\w+/);
    expect([...other.state.numbers.values()].map((n) => n.json.phone_number)).toEqual(['+15551112222']);
  });

  it('takes and restores snapshots over HTTP, and answers a bad body with 400', async () => {
    const post = (t: Twin, path: string, body: unknown) =>
      fetch(t.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    const got = (await (await fetch(`${h.twin.url}/_twin/snapshot`)).json()) as { account_sid: string; taken_at: string; snapshot: string };
    expect(got.account_sid).toBe(h.twin.credentials.accountSid);
    const t = await twinOf(new Date('2026-02-01T08:00:00Z'));
    expect((await post(t, '/_twin/restore', got)).status).toBe(204);
    expectSameTables(t, h.twin);

    const bad = await post(t, '/_twin/restore', { account_sid: got.account_sid, snapshot: Buffer.from('nope').toString('base64') });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not a twin snapshot/);
    expect((await post(t, '/_twin/restore', {})).status).toBe(400);
    expectSameTables(t, h.twin); // a refused restore changes nothing
  });
});
