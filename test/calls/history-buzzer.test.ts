// The buzzer's part of `homephone calls`: the agent appends each buzz's outcome (opened, and by
// whom; missed) to the Sync List the Functions write, and the command shows it with --buzzer.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ConfigStore } from '../../src/config/store.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { SYNC_SERVICE_FRIENDLY_NAME } from '../../src/deploy/sync-name.js';
import { tempDir } from '../helpers/cli.js';
import { ALEX, BUZZER, ENTERPHONE, SAM, startBuzzer, type BuzzerHarness } from '../agent/harness.js';

let h: BuzzerHarness;
let env: NodeJS.ProcessEnv;

async function calls(...flags: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await main(['calls', '--json', ...flags], { stdout, stderr, stdinIsTTY: false, env });
  expect(code, err).toBe(0);
  return (JSON.parse(out) as { calls: Array<{ callSid: string; line: string; name: string | null; decision: string; decisionText: string }> }).calls;
}

beforeAll(async () => {
  h = await startBuzzer({ startTime: new Date(Date.now() - 3_600_000) });
  const { accountSid, authToken } = h.twin.credentials;
  // What `homephone deploy` creates: the Sync service the history lives in.
  const client = createTwilioClient({ accountSid, authToken, twinUrl: h.twin.url }, {});
  await client.sync.v1.services.create({ friendlyName: SYNC_SERVICE_FRIENDLY_NAME });
  env = { HOMEPHONE_CONFIG_DIR: tempDir(), HOMEPHONE_TWIN_URL: h.twin.url, TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, CI: '1', NO_COLOR: '1' };
  await ConfigStore.open(env).replace({
    household: { timeZone: 'America/New_York' },
    buzzer: { number: BUZZER, enterphoneNumber: ENTERPHONE, tenants: [{ name: 'Alex', number: ALEX }, { name: 'Sam', number: SAM }] },
  });
});
afterAll(async () => {
  await h?.close();
});

it('shows a buzz opened by Alex and a missed buzz, newest first, as the agent recorded them', async () => {
  h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 2 }] });
  h.twin.engine.phones.set(SAM, { answerAfter: 12 });
  const opened = await h.buzz();
  h.twin.engine.phones.clear();
  h.twin.engine.phones.set(ALEX, { behaviour: 'no-answer' });
  h.twin.engine.phones.set(SAM, { behaviour: 'no-answer' });
  const missed = await h.buzz();

  const rows = await calls('--buzzer');
  expect(rows.map((r) => [r.callSid, r.line, r.name, r.decision])).toEqual([
    [missed.callSid, 'buzzer', 'Enterphone', 'missed-buzz'],
    [opened.callSid, 'buzzer', 'Enterphone', 'buzz-opened'],
  ]);
  expect(rows[1]!.decisionText).toBe('buzz opened by Alex');
  // The buzzer's calls are not home-phone calls turned away.
  expect(await calls('--blocked')).toEqual([]);
});
