// The scheduled drift check in docs/deploy.md, run as documented: the snippet itself, in sh, with
// the real binary as `homephone` and a `notify` that records its message. It must stay silent when
// Twilio matches, notify "differs" on exit 2 and notify a failure on any other code.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { closedPort } from '../helpers/fake-hue-bridge.js';
import { bin, homephone, root, tempDir } from '../helpers/cli.js';

const HOME = '+15551230000';

/** The ```sh block after the drift-check marker in docs/deploy.md. */
function documentedSnippet(): string {
  const text = readFileSync(join(root, 'docs/deploy.md'), 'utf8');
  const block = /<!-- drift-check[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('docs/deploy.md has no drift-check snippet after its marker');
  return block[1]!.trim();
}

let twin: Twin;
let dir: string;
let work: string;
beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME] });
  dir = tempDir();
  work = tempDir('homephone-drift-');
  const env = { HOMEPHONE_TWIN_URL: twin.url };
  const init = await homephone(
    ['init', '--yes', '--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken, '--home-number', HOME, '--owner-cell', '+15551230001', '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468'],
    { dir, env },
  );
  expect(init.exitCode, init.stderr).toBe(0);
  expect((await homephone(['deploy', '--yes'], { dir, env })).exitCode).toBe(0);
  // `homephone` is the built binary; `notify` appends its message to a file.
  const shims = join(work, 'bin');
  mkdirSync(shims);
  writeFileSync(join(shims, 'homephone'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  writeFileSync(join(shims, 'notify'), `#!/bin/sh\necho "$*" >> "${join(work, 'notified.txt')}"\n`);
  for (const f of ['homephone', 'notify']) chmodSync(join(shims, f), 0o755);
});
afterAll(async () => {
  await twin.close();
});

async function runSnippet(twinUrl: string): Promise<string[]> {
  const notified = join(work, 'notified.txt');
  writeFileSync(notified, '');
  const r = await execa('sh', ['-c', documentedSnippet()], {
    cwd: work,
    reject: false,
    env: { PATH: `${join(work, 'bin')}:${process.env.PATH}`, HOMEPHONE_CONFIG_DIR: dir, HOMEPHONE_TWIN_URL: twinUrl, NO_COLOR: '1', CI: '1' },
    extendEnv: false,
  });
  expect(r.exitCode, r.stderr).toBe(0); // the snippet itself never fails the cron job
  return existsSync(notified) ? readFileSync(notified, 'utf8').split('\n').filter(Boolean) : [];
}

describe('the drift-check one-liner in docs/deploy.md', () => {
  it('is silent while Twilio matches the configuration (exit 0)', async () => {
    expect(await runSnippet(twin.url)).toEqual([]);
    expect(JSON.parse(readFileSync(join(work, 'plan.json'), 'utf8')).plan.hasChanges).toBe(false);
  });

  it('notifies when Twilio differs (exit 2)', async () => {
    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const [home] = await sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' });
    expect(await runSnippet(twin.url)).toEqual(['Twilio differs from the config']);
  });

  it('notifies that the check failed when it cannot run (Twilio unreachable: exit 1)', async () => {
    expect(await runSnippet(`http://127.0.0.1:${await closedPort()}`)).toEqual(['the drift check failed']);
  });
});
