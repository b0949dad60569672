// The codes and statuses the twin answers with, as Twilio documents them: an invalid Studio flow
// definition is 400 / 81022 with the failures in details; a protected Function without a valid
// signature is refused with HTTP 400 by the Functions Gateway; a Function that throws or never calls
// back is a 5xx response (82002), and one that logs an error is 82005; uniqueness conflicts are 409
// with Twilio's conflict code (20409) and, for Serverless environments, Twilio's own wording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, VALID_FLOW, type Harness } from './helpers.js';
import { deploy, type Deployed } from './voice/deploy.js';

let h: Harness;
let svc: Deployed;

beforeAll(async () => {
  h = await startHarness();
  svc = await deploy(h, {
    service: 'codes',
    functions: [
      { path: '/guarded', visibility: 'protected', content: `exports.handler = (c, e, cb) => cb(null, 'in');` },
      { path: '/throws', visibility: 'public', content: `exports.handler = () => { throw new Error('kaboom'); };` },
      { path: '/silent', visibility: 'public', content: `exports.handler = () => {};` },
      { path: '/complains', visibility: 'public', content: `exports.handler = (c, e, cb) => { console.error('no whitelist'); cb(null, 'ok'); };` },
    ],
  });
});
afterAll(() => h.twin.close());

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { status: number; code: number; message: string; details?: { errors?: unknown[] } }) => e,
  );

const BROKEN = { ...VALID_FLOW, states: VALID_FLOW.states.map((s) => (s.name === 'connect' ? { ...s, properties: { ...s.properties, timeout: 14400 } } : s)) };

describe('Studio: an invalid flow definition', () => {
  it('is refused with 400 and 81022 on create, update and Validate, naming the property', async () => {
    const flows = h.client.studio.v2.flows;
    const created = await refusal(flows.create({ friendlyName: 'bad', status: 'published', definition: BROKEN }));
    const good = await flows.create({ friendlyName: 'good', status: 'published', definition: VALID_FLOW });
    const updated = await refusal(flows(good.sid).update({ status: 'published', definition: BROKEN }));
    const validated = await refusal(h.client.studio.v2.flowValidate.update({ friendlyName: 'bad', status: 'published', definition: BROKEN }));
    for (const e of [created, updated, validated]) {
      expect(e).toMatchObject({ status: 400, code: 81022, message: 'Flow definition validation failed', moreInfo: 'https://www.twilio.com/docs/errors/81022' });
      expect((e as { details: { errors: Array<{ property_path: string }> } }).details.errors[0]!.property_path).toBe('#/states/3/properties/timeout');
    }
  });
});

describe('Functions', () => {
  const send = (path: string, options: { unsigned?: boolean; headers?: Record<string, string> } = {}) =>
    h.twin.engine.webhooks.send({ url: `https://${svc.domain}${path}`, method: 'POST', params: { CallSid: 'CA00000000000000000000000000000000' }, ...options });

  it('a protected Function answers 400 to a request without a valid signature, and runs for a signed one', async () => {
    expect((await send('/guarded', { unsigned: true })).status).toBe(400);
    expect((await send('/guarded', { unsigned: true, headers: { 'X-Twilio-Signature': 'bm90IGEgc2lnbmF0dXJl' } })).status).toBe(400);
    expect(await send('/guarded')).toMatchObject({ status: 200, body: 'in' });
  });

  it('a throw is a 500 and no callback a 504 after 10 s, both 82002; console.error logs 82005', async () => {
    const mark = h.twin.engine.transcript.events.length;
    expect((await send('/throws')).status).toBe(500);
    const pending = send('/silent');
    await h.twin.engine.settle();
    expect((await pending).status).toBe(504);
    expect(await send('/complains')).toMatchObject({ status: 200, body: 'ok' });
    const errors = h.twin.engine.transcript.since(mark).filter((e) => e.type === 'error').map((e) => [e.data.code, e.data.path, e.data.status]);
    expect(errors).toEqual([
      [82002, '/throws', 500],
      [82002, '/silent', 504],
      [82005, '/complains', undefined],
    ]);
  });
});

describe('uniqueness conflicts', () => {
  it('are 409 with code 20409; an environment names Twilio’s reason', async () => {
    const svcs = h.client.serverless.v1.services;
    expect(await refusal(svcs.create({ uniqueName: 'codes', friendlyName: 'again' }))).toMatchObject({ status: 409, code: 20409 });
    const envs = svcs(svc.serviceSid).environments;
    for (const attempt of [{ uniqueName: 'production' }, { uniqueName: 'other', domainSuffix: 'production' }]) {
      expect(await refusal(envs.create(attempt))).toMatchObject({ status: 409, code: 20409, message: 'Environment with this UniqueName or DomainSuffix already exists.' });
    }
  });
});
