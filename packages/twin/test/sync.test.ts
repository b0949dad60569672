// Sync Documents in the twin, through the real SDK: unique names address a Document like its SID,
// every answer carries its revision as ETag, and a conditional update (If-Match) from a writer
// that read an older revision is refused, so two concurrent read-modify-writes cannot both win.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let serviceSid: string;

beforeAll(async () => {
  h = await startHarness();
  serviceSid = (await h.client.sync.v1.services.create({ friendlyName: 'sync test' })).sid;
});
afterAll(async () => {
  await h.twin.close();
});

const docs = () => h.client.sync.v1.services(serviceSid).documents;
const rejection = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: { status: number; code: number }) => ({ status: e.status, code: e.code }));

describe('Sync Documents', () => {
  it('are created at revision 0, fetched by unique name, and each update moves the revision on', async () => {
    const d = await docs().create({ uniqueName: 'counter', data: { n: 0 } });
    expect(d).toMatchObject({ uniqueName: 'counter', revision: '0', data: { n: 0 }, createdBy: 'system', dateExpires: null });
    const byName = await docs()('counter').fetch();
    expect(byName.sid).toBe(d.sid);
    const updated = await docs()('counter').update({ data: { n: 1 }, ifMatch: '0' });
    expect(updated).toMatchObject({ revision: '1', data: { n: 1 } });
  });

  it('refuse an update whose If-Match is not the current revision (412, 54103), and keep the data', async () => {
    const d = await docs().create({ uniqueName: 'race', data: { n: 0 } });
    // Two writers read revision 0; the first wins, the second is told to read again.
    await docs()(d.sid).update({ data: { n: 1 }, ifMatch: d.revision });
    expect(await rejection(docs()(d.sid).update({ data: { n: 100 }, ifMatch: d.revision }))).toEqual({ status: 412, code: 54103 });
    expect((await docs()(d.sid).fetch()).data).toEqual({ n: 1 });
    // Without If-Match the last write wins, as on Twilio.
    expect((await docs()(d.sid).update({ data: { n: 2 } })).revision).toBe('2');
  });

  it('send the revision as ETag', async () => {
    const d = await docs().create({ uniqueName: 'etag', data: {} });
    const res = await h.client.request({ method: 'get', uri: `https://sync.twilio.com/v1/Services/${serviceSid}/Documents/${d.sid}` });
    expect(res.headers?.etag ?? res.headers?.ETag).toBe('0');
  });

  it('answer 54100 for an unknown Document, 54301 for a taken unique name, and refuse data that is not a JSON object', async () => {
    expect(await rejection(docs()('no-such-doc').fetch())).toEqual({ status: 404, code: 54100 });
    await docs().create({ uniqueName: 'taken', data: {} });
    expect(await rejection(docs().create({ uniqueName: 'taken', data: {} }))).toEqual({ status: 409, code: 54301 });
    expect(await rejection(docs().create({ uniqueName: 'list', data: [1, 2] as unknown as object }))).toMatchObject({ status: 400 });
    expect(await rejection(docs().create({ uniqueName: 'big', data: { x: 'x'.repeat(17 * 1024) } }))).toEqual({ status: 400, code: 54006 });
  });
});
