// Serverless as Twilio runs it: deploying the build already live in an environment is refused
// with 409 (twilio-labs/serverless-api#28, a maintainer), and Functions read the environment's
// Variables at each execution, so an update reaches the next execution with no deployment
// (Twilio docs, "Environment Variables").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers.js';
import { deploy, type Deployed } from './deploy.js';

let h: Harness;
let svc: Deployed;

beforeAll(async () => {
  h = await startHarness();
  svc = await deploy(h, {
    service: 'live',
    variables: { GREETING: 'hello' },
    functions: [{ path: '/greet', visibility: 'public', content: `exports.handler = (context, event, callback) => callback(null, { said: context.GREETING ?? null });` }],
  });
});
afterAll(() => h.twin.close());

const greet = async () => JSON.parse((await h.twin.engine.webhooks.send({ url: `https://${svc.domain}/greet`, method: 'POST', params: {}, unsigned: true })).body);
const env = () => h.client.serverless.v1.services(svc.serviceSid).environments(svc.environmentSid);

describe('deployments', () => {
  it('refuses to deploy the build that is already live, with 409 and Twilio’s error body', async () => {
    const before = (await env().deployments.list()).length;
    const refused = await env().deployments.create({ buildSid: svc.buildSid }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: 20409, moreInfo: 'https://www.twilio.com/docs/errors/20409' });
    expect((refused as Error).message).toContain(svc.buildSid);
    expect(await env().deployments.list()).toHaveLength(before);
    expect((await env().fetch()).buildSid).toBe(svc.buildSid);
  });

  it('deploys another build, and the first one again once it is no longer live', async () => {
    const v2 = await deploy(h, {
      service: 'live',
      existing: svc,
      functions: [{ path: '/greet', visibility: 'public', content: `exports.handler = (c, e, cb) => cb(null, { said: 'v2' });` }],
    });
    expect(await greet()).toEqual({ said: 'v2' });
    await env().deployments.create({ buildSid: svc.buildSid });
    expect((await env().fetch()).buildSid).toBe(svc.buildSid);
    expect(v2.buildSid).not.toBe(svc.buildSid);
  });
});

describe('variables', () => {
  it('are read at each execution: an update, a create and a delete reach the next one with no deployment', async () => {
    const deploymentsBefore = (await env().deployments.list()).length;
    expect(await greet()).toEqual({ said: 'hello' });
    const [greeting] = await env().variables.list();
    await env().variables(greeting!.sid).update({ value: 'good evening' });
    expect(await greet()).toEqual({ said: 'good evening' });
    await env().variables(greeting!.sid).remove();
    expect(await greet()).toEqual({ said: null });
    await env().variables.create({ key: 'GREETING', value: 'welcome back' });
    expect(await greet()).toEqual({ said: 'welcome back' });
    expect(await env().deployments.list()).toHaveLength(deploymentsBefore);
  });
});
