// Contacts the owner texted (allow, block) live in Sync from the next call; `homephone whitelist
// sync` writes them into the whitelist file, pushes it, and then drops them from Sync. A number
// the syncing command itself just changed (whitelist add/remove --deploy) keeps the local change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { homephone, tempDir } from '../helpers/cli.js';

const HOME = '+15551230000';
const OWNER = '+15551230001';
const GRANDPA = '+15550009999';
const BOB = '+15555550100';
let twin: Twin;
let dir: string;
let env: Record<string, string>;

const textHome = async (body: string) => (await twin.engine.receiveSms({ from: OWNER, to: HOME, body })).replies.map((m) => String(m.body));
const list = async () => JSON.parse((await homephone(['--json', 'whitelist', 'list'], { dir })).stdout) as { contacts: Array<{ Number: string; Person: string }> } | Array<{ Number: string; Person: string }>;
const numbers = async () => {
  const l = await list();
  return (Array.isArray(l) ? l : l.contacts).map((c) => `${c.Person} ${c.Number}`);
};
const decisionFor = async (from: string) => {
  const r = await twin.engine.placeCall({ from, to: HOME, script: { hangupAfter: 5 } });
  const line = r.events.find((e) => e.type === 'log' && e.text.startsWith('{"homephone":"decision"'));
  return JSON.parse(line!.text) as { path: string; person: string | null };
};
const pendingInSync = () =>
  [...twin.state.syncServices.values()].flatMap((s) => [...s.documents.values()]).find((d) => d.json.unique_name === 'household-overrides')?.json.data as
    | { contacts: Record<string, unknown> }
    | undefined;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME] });
  dir = tempDir();
  env = { HOMEPHONE_TWIN_URL: twin.url };
  const init = await homephone(
    ['init', '--yes', '--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken, '--home-number', HOME, '--owner-cell', OWNER, '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468'],
    { dir, env },
  );
  expect(init.exitCode).toBe(0);
  expect((await homephone(['whitelist', 'add', BOB, '--name', 'Uncle Bob'], { dir })).exitCode).toBe(0);
  expect((await homephone(['deploy', '--yes'], { dir, env })).exitCode).toBe(0);
});
afterAll(async () => {
  await twin.close();
});

describe('texted contacts and whitelist sync', () => {
  it('allow and block hold from the next call, then whitelist sync writes them into the file and drops them from Sync', async () => {
    expect((await textHome(`allow ${GRANDPA} Grandpa Joe`))[0]).toMatch(/^Allowed Grandpa Joe/);
    expect((await textHome(`block ${BOB}`))[0]).toMatch(/^Blocked Uncle Bob/);
    expect(await decisionFor(GRANDPA)).toMatchObject({ path: 'ring', person: 'Grandpa Joe' });
    expect(await decisionFor(BOB)).toMatchObject({ path: 'not-whitelisted' });
    // Still only on Twilio: the file is as the user left it.
    expect(await numbers()).toEqual([`Uncle Bob ${BOB}`]);

    const sync = await homephone(['--json', 'whitelist', 'sync'], { dir, env });
    expect(sync.exitCode).toBe(0);
    const doc = JSON.parse(sync.stdout) as { changed: boolean; texted: Array<{ number: string; action: string; effect: string }> };
    expect(doc.changed).toBe(true);
    expect(doc.texted.map((t) => `${t.action} ${t.number} ${t.effect}`)).toEqual([`allow ${GRANDPA} added`, `block ${BOB} removed`]);
    expect(await numbers()).toEqual([`Grandpa Joe ${GRANDPA}`]);
    expect(pendingInSync()?.contacts).toEqual({});
    // The deployed whitelist alone now says the same.
    expect(await decisionFor(GRANDPA)).toMatchObject({ path: 'ring', person: 'Grandpa Joe' });
    expect(await decisionFor(BOB)).toMatchObject({ path: 'not-whitelisted' });

    const again = await homephone(['whitelist', 'sync'], { dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('texted');
    expect(again.stdout).toContain('already up to date');
  });

  it('homephone calls names a contact allowed by text before any sync', async () => {
    const cousin = '+15550006666';
    await textHome(`allow ${cousin} Cousin Al`);
    await decisionFor(cousin);
    const calls = await homephone(['--json', 'calls', '--limit', '1'], { dir, env });
    expect(calls.exitCode).toBe(0);
    expect((JSON.parse(calls.stdout) as { calls: Array<{ name: string | null; number: string }> }).calls[0]).toMatchObject({ name: 'Cousin Al', number: cousin });
    await homephone(['whitelist', 'sync'], { dir, env });
  });

  it('homephone status shows what the texts changed and is live: the quiet time and the contacts waiting for a sync', async () => {
    expect((await textHome('quiet 2h'))[0]).toMatch(/^Quiet until/);
    await textHome('allow +1 555 000 5555 Neighbour');
    const status = await homephone(['--json', 'status'], { dir, env });
    expect(status.exitCode).toBe(0);
    const doc = JSON.parse(status.stdout) as { texted: { quietUntil: string | null; contacts: Array<{ number: string; action: string; person: string }> } };
    expect(doc.texted.quietUntil).not.toBeNull();
    expect(doc.texted.contacts).toEqual([expect.objectContaining({ number: '+15550005555', action: 'allow', person: 'Neighbour' })]);
    const human = await homephone(['status'], { dir, env });
    expect(human.stdout).toContain('Texted to the home number (live now):\n  quiet until ');
    expect(human.stdout).toContain('  allow Neighbour +15550005555 (texted ');
    expect((await textHome('awake'))[0]).toBe('Quiet time ended: the phone rings as usual.');
    await homephone(['whitelist', 'sync'], { dir, env });
    const after = JSON.parse((await homephone(['--json', 'status'], { dir, env })).stdout) as { texted: unknown };
    expect(after.texted).toEqual({ quietUntil: null, contacts: [] });
  });

  it('the human output says what was written', async () => {
    await textHome('allow +1 555 000 7777 Aunt May');
    const sync = await homephone(['whitelist', 'sync'], { dir, env });
    expect(sync.stdout).toMatch(/Wrote 1 change\(s\) texted to the home number into the whitelist:\n {2}allow Aunt May \+15550007777 \(texted \S+\): added/);
  });

  it('a number the syncing command just changed keeps the local change; its text is dropped', async () => {
    await textHome(`block ${GRANDPA}`);
    const add = await homephone(['--json', 'whitelist', 'add', GRANDPA, '--name', 'Grandpa J', '--deploy'], { dir, env });
    expect(add.exitCode).toBe(0);
    const doc = JSON.parse(add.stdout) as { deploy: { texted: Array<{ number: string; effect: string }> } };
    expect(doc.deploy.texted).toEqual([expect.objectContaining({ number: GRANDPA, effect: 'superseded' })]);
    expect(await numbers()).toContain(`Grandpa J ${GRANDPA}`);
    expect(pendingInSync()?.contacts).toEqual({});
    expect(await decisionFor(GRANDPA)).toMatchObject({ path: 'ring', person: 'Grandpa J' });
  });
});
