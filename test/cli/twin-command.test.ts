// `homephone twin start` through the built binary (npm test builds first): prints one JSON
// object, serves the real SDK, stops cleanly on SIGINT.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/twilio/client.js';

const BIN = fileURLToPath(new URL('../../bin/homephone', import.meta.url));

function firstJsonDocument(stream: NodeJS.ReadableStream): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      try {
        resolve(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // not complete yet
      }
    });
    stream.on('end', () => reject(new Error(`stdout ended without a JSON document: ${text}`)));
  });
}

describe('homephone twin start', () => {
  it('prints its URL and credentials as JSON, serves requests, and stops on SIGINT', async () => {
    const child = execa('node', [BIN, 'twin', 'start', '--json', '--number', '+15551230001', '+15551230002', '--caller-id', '+15550002222'], {
      env: { NO_COLOR: '1' },
      reject: false,
    });
    const info = await firstJsonDocument(child.stdout!);
    expect(info).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      account_sid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
      auth_token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const client = createTwilioClient(
      { accountSid: info.account_sid as string, authToken: info.auth_token as string, twinUrl: info.url as string },
      {},
    );
    expect((await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber).sort()).toEqual(['+15551230001', '+15551230002']);
    // A verified caller ID: listed, and accepted as the From of a REST call.
    expect(info.caller_ids).toEqual([{ phone_number: '+15550002222', sid: expect.stringMatching(/^PN[0-9a-f]{32}$/) }]);
    expect((await client.outgoingCallerIds.list({ phoneNumber: '+15550002222' })).map((c) => c.phoneNumber)).toEqual(['+15550002222']);
    expect((await client.calls.create({ from: '+15550002222', to: '+15551230001', twiml: '<Response/>' })).status).toBe('queued');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('twin stopped (SIGINT)');
  });

  it('rejects bad input with exit code 2', async () => {
    const res = await execa('node', [BIN, 'twin', 'start', '--number', '5551230001'], { env: { NO_COLOR: '1' }, reject: false });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/E\.164/);
    const callerId = await execa('node', [BIN, 'twin', 'start', '--caller-id', '555-000-2222'], { env: { NO_COLOR: '1' }, reject: false });
    expect(callerId.exitCode).toBe(2);
    expect(callerId.stderr).toContain('--caller-id 555-000-2222: not in E.164 form');
  });
});
