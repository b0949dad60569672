// Credentials and twin selection, the address scheme, and the retry back-off.
import { describe, expect, it } from 'vitest';
import { AuthError, InputError } from '../../src/errors.js';
import { resolveTwilioSettings, retryDelayMs, serverlessUploadBase, toTwinUrl } from '../../src/twilio/index.js';

const AC = 'AC' + 'a'.repeat(32);
const SK = 'SK' + 'b'.repeat(32);

describe('resolveTwilioSettings', () => {
  it('prefers an API key over the auth token', () => {
    expect(resolveTwilioSettings({ accountSid: AC, authToken: 't', apiKey: SK, apiSecret: 's' }, {})).toEqual({
      accountSid: AC, username: SK, password: 's', auth: 'api-key', twinUrl: undefined,
    });
    expect(resolveTwilioSettings({ accountSid: AC, authToken: 't' }, {})).toMatchObject({ username: AC, password: 't', auth: 'auth-token' });
  });

  it('lets env vars override settings', () => {
    const env = { TWILIO_ACCOUNT_SID: 'AC' + 'c'.repeat(32), TWILIO_AUTH_TOKEN: 'env-token', HOMEPHONE_TWIN_URL: 'http://127.0.0.1:4010/' };
    expect(resolveTwilioSettings({ accountSid: AC, authToken: 't' }, env)).toMatchObject({
      accountSid: env.TWILIO_ACCOUNT_SID, password: 'env-token', twinUrl: 'http://127.0.0.1:4010',
    });
    expect(resolveTwilioSettings({ accountSid: AC, authToken: 't' }, { TWILIO_API_KEY: SK, TWILIO_API_SECRET: 'x' })).toMatchObject({
      username: SK, auth: 'api-key',
    });
  });

  it('throws AuthError with a hint when credentials are missing or malformed', () => {
    for (const settings of [{}, { accountSid: AC }, { accountSid: 'nope', authToken: 't' }, { accountSid: AC, apiKey: SK }]) {
      let err: unknown;
      try {
        resolveTwilioSettings(settings, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).hint).toMatch(/TWILIO_ACCOUNT_SID/);
    }
  });

  it('rejects a twin URL that is not http(s)', () => {
    expect(() => resolveTwilioSettings({ accountSid: AC, authToken: 't', twinUrl: 'ftp://x' }, {})).toThrow(InputError);
  });
});

describe('address scheme', () => {
  it('serves each product under the first label of its host', () => {
    const twin = 'http://127.0.0.1:4010';
    expect(toTwinUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?PageSize=1', twin)).toBe(
      `${twin}/api/2010-04-01/Accounts/AC1/Calls.json?PageSize=1`,
    );
    expect(toTwinUrl('https://serverless.twilio.com/v1/Services', `${twin}/`)).toBe(`${twin}/serverless/v1/Services`);
    expect(toTwinUrl('https://studio.sydney.au1.twilio.com/v2/Flows', twin)).toBe(`${twin}/studio/v2/Flows`);
    expect(toTwinUrl('https://monitor.twilio.com/v1/Alerts?LogLevel=error', twin)).toBe(`${twin}/monitor/v1/Alerts?LogLevel=error`);
    expect(serverlessUploadBase(twin)).toBe(`${twin}/serverless-upload`);
    expect(serverlessUploadBase(undefined)).toBe('https://serverless-upload.twilio.com');
  });
});

describe('retryDelayMs', () => {
  it('honours Retry-After in seconds or as a date', () => {
    expect(retryDelayMs(1, '3')).toBe(3000);
    expect(retryDelayMs(1, '0')).toBe(0);
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryDelayMs(1, inTwoSeconds)).toBeGreaterThan(0);
    expect(retryDelayMs(1, inTwoSeconds)).toBeLessThanOrEqual(2000);
    expect(retryDelayMs(1, '3600', { maxRetryAfterMs: 10_000 })).toBe(10_000);
  });

  it('backs off exponentially with jitter, capped, without Retry-After', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(1, undefined, { ...opts, random: () => 1 })).toBe(100);
    expect(retryDelayMs(3, undefined, { ...opts, random: () => 1 })).toBe(400);
    expect(retryDelayMs(3, undefined, { ...opts, random: () => 0 })).toBe(200);
    expect(retryDelayMs(10, undefined, { ...opts, random: () => 1 })).toBe(1000);
  });
});
