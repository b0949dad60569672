// The product's SDK client and uploader against a twin: API keys, HOMEPHONE_TWIN_URL, and 429
// retries that honour Retry-After. The twin is driven through its in-process admin API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/twilio/client.js';
import { createServerlessUploader } from '../../src/twilio/upload.js';
import { cleanEnv, HOME, startHarness, type Harness } from '../helpers/twin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(async () => {
  h.twin.admin.reset();
});

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('the product client against the twin', () => {
  it('accepts the twin’s API key with its secret, and rejects other keys', async () => {
    const { accountSid, apiKeySid, apiKeySecret } = h.twin.credentials;
    const keyed = createTwilioClient({ accountSid, apiKey: apiKeySid, apiSecret: apiKeySecret, twinUrl: h.twin.url }, cleanEnv());
    expect((await keyed.incomingPhoneNumbers.list()).length).toBe(2);
    const other = createTwilioClient(
      { accountSid, apiKey: 'SK' + '1'.repeat(32), apiSecret: apiKeySecret, twinUrl: h.twin.url },
      cleanEnv(),
    );
    await expect(other.incomingPhoneNumbers.list()).rejects.toMatchObject({ status: 401 });
  });

  it('reaches monitor.twilio.com on the twin: a refused call is read back as an Alert', async () => {
    const client = createTwilioClient(h.settings, cleanEnv());
    // A refused call is an Alert (21212), read back through monitor.twilio.com.
    await expect(client.calls.create({ to: '+15550001111', from: 'not-a-number', twiml: '<Response/>' })).rejects.toMatchObject({ status: 400, code: 21212 });
    const [alert] = await client.monitor.v1.alerts.list({ logLevel: 'error' });
    expect(alert).toMatchObject({ errorCode: '21212', logLevel: 'error' });
    expect((await client.monitor.v1.alerts(alert!.sid).fetch()).requestVariables).toContain('From=not-a-number');
    expect(h.twin.admin.requests().map((r) => `${r.product} ${r.path}`)).toContain('monitor /v1/Alerts');
  });

  it('reads the twin URL from HOMEPHONE_TWIN_URL', async () => {
    const { accountSid, authToken } = h.twin.credentials;
    const client = createTwilioClient({ accountSid, authToken }, cleanEnv({ HOMEPHONE_TWIN_URL: h.twin.url }));
    expect((await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber)).toContain(HOME);
  });
  it('fires a 429 fault on exactly the Nth matching request; the client retries honouring Retry-After', async () => {
    h.twin.admin.addFault({
      method: 'GET', path: '/api/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', nth: 2, fault: '429', retryAfter: 7,
    });
    const { waits, sleep } = recordingSleep();
    const client = createTwilioClient(h.settings, cleanEnv(), { retry: { sleep } });
    for (let i = 0; i < 3; i++) expect(await client.incomingPhoneNumbers.list()).toHaveLength(2);
    expect(waits).toEqual([7000]);
    const statuses = h.twin.admin.requests().map((r) => r.status);
    expect(statuses).toEqual([200, 429, 200, 200]);
    const [fault] = h.twin.admin.faults();
    expect(fault).toMatchObject({ seen: 4, fired: 1, nth: 2, times: 1 });
  });

  it('gives up after the retries and surfaces the 429', async () => {
    h.twin.admin.addFault({ path: '/studio/*', fault: '429', times: 10, retryAfter: 0 });
    const { waits, sleep } = recordingSleep();
    const client = createTwilioClient(h.settings, cleanEnv(), { retry: { sleep, maxRetries: 2 } });
    await expect(client.studio.v2.flows.list()).rejects.toMatchObject({ status: 429, code: 20429 });
    expect(waits).toEqual([0, 0]);
  });

  it('retries uploads on 429 too', async () => {
    const svc = await h.client.serverless.v1.services.create({ uniqueName: 'up', friendlyName: 'up' });
    const fn = await h.client.serverless.v1.services(svc.sid).functions.create({ friendlyName: 'f' });
    h.twin.admin.addFault({ path: '/serverless-upload/*', fault: '429', retryAfter: 2 });
    const { waits, sleep } = recordingSleep();
    const uploader = createServerlessUploader(h.settings, cleanEnv(), { retry: { sleep } });
    const v = await uploader.upload({
      serviceSid: svc.sid, kind: 'functions', resourceSid: fn.sid, path: '/f', visibility: 'protected',
      content: 'x', contentType: 'application/javascript', filename: 'f.js',
    });
    expect(v.sid).toMatch(/^ZN/);
    expect(waits).toEqual([2000]);
  });

});
