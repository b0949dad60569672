// homephone monitor against an in-process twin: rooms are made with the real SDK, the command (in-process; under a pseudo-terminal, the binary) reads them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, HOME, type Harness } from '../helpers/twin.js';
import { homephone, tempDir } from '../helpers/cli.js';

const GRANDMA = '+15555550101';
const OWNER = '+15551230042';
const SIP = 'sip:homephone@myhome.sip.twilio.com';
const ROOM = `hp-CA${'0a'.repeat(16)}`;

interface RoomJson {
  name: string;
  kind: string;
  participants: { name: string; address: string; muted: boolean; coaching: boolean; callSid: string }[];
}

describe('homephone monitor', () => {
  let h: Harness;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness();
    dir = tempDir();
    env = {
      HOMEPHONE_TWIN_URL: h.twin.url,
      TWILIO_ACCOUNT_SID: h.settings.accountSid,
      TWILIO_AUTH_TOKEN: h.settings.authToken,
    };
    const init = await homephone(
      ['init', '--yes', '--home-number', HOME, '--owner-cell', OWNER, '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468'],
      { dir, env },
    );
    expect(init.exitCode, init.stderr).toBe(0);
    await homephone(['whitelist', 'add', GRANDMA, '--name', 'Grandma'], { dir });
    // The twin rings a SIP user only if it could have registered: a domain with registration on and
    // the user's credential in a list mapped under Auth/Registrations, as on Twilio.
    const domain = await h.client.sip.domains.create({ domainName: 'myhome.sip.twilio.com', sipRegistration: true });
    const list = await h.client.sip.credentialLists.create({ friendlyName: 'phone' });
    await h.client.sip.credentialLists(list.sid).credentials.create({ username: 'homephone', password: 'Sup3rSecretPw' });
    await h.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
    h.twin.engine.phones.set(SIP, { answerAfter: 2 });
  });
  afterAll(async () => h?.twin.close());

  const rooms = async () => {
    const result = await homephone(['--json', 'monitor', '--once'], { dir, env });
    expect(result.exitCode, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { rooms: RoomJson[] }).rooms;
  };

  it('says so when no call is in progress, and --listen has nothing to join', async () => {
    expect(await rooms()).toEqual([]);
    const text = await homephone(['monitor', '--once'], { dir, env });
    expect(text.stdout.trim()).toBe('No calls in progress.');
    const listen = await homephone(['monitor', '--listen'], { dir, env });
    expect(listen.exitCode).toBe(1);
    expect(listen.stderr).toMatch(/no call is in progress/);
  });

  it('shows each room with who is in it, by name, and --listen joins the owner muted', async () => {
    const room = h.client.conferences(ROOM).participants;
    await room.create({ from: HOME, to: GRANDMA });
    await room.create({ from: HOME, to: SIP });
    await h.twin.engine.advance(10);

    const [only, ...others] = await rooms();
    expect(others).toEqual([]);
    expect(only).toMatchObject({ name: ROOM, kind: 'home' });
    expect(only!.participants.map((p) => [p.name, p.address, p.muted])).toEqual([
      ['Grandma', GRANDMA, false],
      ['Home phone', SIP, false],
    ]);
    const text = await homephone(['monitor', '--once'], { dir, env });
    expect(text.stdout).toMatch(new RegExp(`${ROOM}\\s+home phone\\s+since \\d\\d:\\d\\d`));
    expect(text.stdout).toMatch(/Grandma\s+\+15555550101/);

    const listen = await homephone(['--json', 'monitor', '--listen'], { dir, env });
    expect(listen.exitCode, listen.stderr).toBe(0);
    expect(JSON.parse(listen.stdout)).toMatchObject({ room: ROOM, to: OWNER, mode: 'muted' });
    await h.twin.engine.advance(10);
    const owner = (await rooms())[0]!.participants.find((p) => p.address === OWNER);
    expect(owner).toMatchObject({ name: 'Owner', muted: true, coaching: false });
  });

  it('--whisper joins as a coach of the home phone; --to calls another number', async () => {
    const before = (await rooms())[0]!;
    const phone = before.participants.find((p) => p.name === 'Home phone')!;
    const result = await homephone(['--json', 'monitor', '--listen', ROOM, '--whisper', '--to', '(555) 123-0009'], { dir, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ to: '+15551230009', mode: 'whisper' });
    await h.twin.engine.advance(10);
    const conference = [...h.twin.state.conferences.values()].find((c) => c.json.friendly_name === ROOM)!;
    const coach = [...conference.participants.values()].find((p) => p.json.coaching);
    expect(coach?.json).toMatchObject({ coaching: true, muted: false, call_sid_to_coach: phone.callSid });
  });

  it('on a terminal, refreshes the view until Ctrl-C', async () => {
    // `script` gives the binary a pseudo-terminal, so it runs the live view.
    const { execa } = await import('execa');
    const { bin } = await import('../helpers/cli.js');
    const child = execa('script', ['-qfec', `node ${bin} monitor --interval 0.5`, '/dev/null'], {
      env: { ...env, HOMEPHONE_CONFIG_DIR: dir, NO_COLOR: '1', CI: undefined },
      reject: false,
    });
    let screen = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        // Two full frames: the view was drawn, then redrawn.
        if ((screen.match(/\u001b\[2J/g) ?? []).length >= 2) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(screen).toContain(ROOM);
    expect(screen).toContain('Ctrl-C to stop');
    expect(result.exitCode).toBe(0);
  });

  it('refuses bad input with exit 2', async () => {
    const unknownRoom = await homephone(['monitor', '--listen', 'hp-nope'], { dir, env });
    expect(unknownRoom.exitCode).toBe(2);
    expect(unknownRoom.stderr).toMatch(/no room "hp-nope" is in progress/);
    const toWithoutListen = await homephone(['monitor', '--to', '+15551230009'], { dir, env });
    expect(toWithoutListen.exitCode).toBe(2);
    const badTo = await homephone(['monitor', '--listen', '--to', 'grandma'], { dir, env });
    expect(badTo.exitCode).toBe(2);
  });
});
