// `homephone twin call` in-process through main(), against `homephone twin start` as a real process
// (the built binary: npm test builds first) whose webhooks reach a real HTTP server in this one.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/twilio/client.js';
import { homephone } from '../helpers/cli.js';
import { startApp, twiml, type App } from '../../packages/twin/test/voice/app.js';

const BIN = fileURLToPath(new URL('../../bin/homephone', import.meta.url));
const HOME = '+15551230001';

function firstJsonDocument(stream: NodeJS.ReadableStream): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      try {
        resolve(JSON.parse(text) as Record<string, string>);
      } catch {
        // not complete yet
      }
    });
    stream.on('end', () => reject(new Error(`stdout ended without a JSON document: ${text}`)));
  });
}

let twin: ReturnType<typeof execa>;
let info: Record<string, string>;
let app: App;

beforeAll(async () => {
  twin = execa('node', [BIN, 'twin', 'start', '--json', '--number', HOME], { env: { NO_COLOR: '1' }, reject: false });
  info = await firstJsonDocument(twin.stdout!);
  app = await startApp(() => info.auth_token!);
  app.route('/voice', twiml('<Gather action="/pressed" numDigits="1"><Say>Press 1 to hear a secret</Say></Gather><Say>Goodbye</Say>'));
  app.route('/pressed', (r) => twiml(`<Say>The secret is ${r.params.Digits}${r.valid ? ' (signed)' : ''}</Say>`));
  const client = createTwilioClient({ accountSid: info.account_sid!, authToken: info.auth_token!, twinUrl: info.url! }, {});
  const [n] = await client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${app.url}/voice` });
});
afterAll(async () => {
  twin.kill('SIGINT');
  await twin;
  await app.close();
});

const run = (args: string[]) => homephone(['twin', 'call', '--twin', info.url!, ...args]);

describe('homephone twin call', () => {
  it('prints a readable transcript', async () => {
    const res = await run(['--from', '+15550001111', '--to', HOME, '--press', '1@2s']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toMatch(/^Call CA[0-9a-f]{32} ended completed/);
    expect(res.stdout).toMatch(/2\.0s\s+C1\s+digits-sent\s+caller pressed 1/);
    expect(res.stdout).toContain('"The secret is 1 (signed)"');
  });

  it('prints one JSON document with --json', async () => {
    const res = await run(['--from', '+15550001111', '--to', HOME, '--json']);
    expect(res.exitCode).toBe(0);
    const body = JSON.parse(res.stdout) as { status: string; events: Array<{ type: string; text: string }> };
    expect(body.status).toBe('completed');
    expect(body.events.map((e) => e.type)).toContain('gather');
    expect(body.events.some((e) => e.text.includes('Goodbye'))).toBe(true);
  });

  it('rejects bad input with exit code 2', async () => {
    expect((await run(['--from', '+15550001111', '--to', HOME, '--press', 'x@y'])).exitCode).toBe(2);
    const notOwned = await run(['--from', '+15550001111', '--to', '+15559999999']);
    expect(notOwned.exitCode).toBe(2);
    expect(notOwned.stderr).toContain('not a number this twin account owns');
  });
});
