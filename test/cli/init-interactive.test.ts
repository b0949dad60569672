// Interactive init, driven through the CLI's main() with @inquirer/testing's virtual screen
// (it replaces the prompts' terminal; everything else runs for real).
import { screen } from '@inquirer/testing/vitest';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { verifyMonitorCode } from '../../src/household/monitor-code.js';
import { ACCOUNT_SID, AUTH_TOKEN, readJson, tempDir } from '../helpers/cli.js';

function interactiveIo(dir: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEPHONE_CONFIG_DIR: dir, NO_COLOR: '1' };
  delete env.CI;
  return { io: { stdout, stderr, stdinIsTTY: true, env }, output: () => ({ out, err }) };
}

async function answer(text: string) {
  screen.type(text);
  screen.keypress('enter');
  await screen.next();
}

describe('homephone init (interactive)', () => {
  it('asks every question, asks again after an invalid answer, and writes the config', async () => {
    const dir = tempDir();
    const { io, output } = interactiveIo(dir);
    const run = main(['init'], io);
    await screen.next(); // the first prompt appears once the command module has loaded

    expect(screen.getScreen()).toContain('Twilio account SID');
    await answer(ACCOUNT_SID);
    expect(screen.getScreen()).toContain('API key SID');
    await answer(''); // no API key
    expect(screen.getScreen()).toContain('auth token');
    await answer(AUTH_TOKEN);
    expect(screen.getScreen()).toContain('Default country');
    await answer(''); // keep the default, US
    expect(screen.getScreen()).toContain('Home number');
    screen.type('12');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toMatch(/is not a valid phone number/);
    for (let i = 0; i < 2; i += 1) screen.keypress('backspace');
    await answer('(555) 123-0000');
    await answer('555 123 0001'); // owner's cell
    expect(screen.getScreen()).toContain('Time zone');
    await answer('America/Chicago');
    await answer('myhome');
    await answer(''); // SIP username: default
    await answer(''); // extra emergency numbers: none (the country's, 112 and 911 need no answer)
    expect(screen.getScreen()).toContain('Monitor code');
    await answer('1357');
    expect(screen.getScreen()).toContain('apartment buzzer');
    await answer('n');
    expect(screen.getScreen()).toContain('bedtime');
    await answer('y');
    await answer('Sun-Thu 20:30-07:00; Fri-Sat 22:00-08:00');
    expect(screen.getScreen()).toContain('Write the configuration');
    screen.type('y');
    screen.keypress('enter');

    expect(await run).toBe(0);
    expect(output().out).toContain('Wrote');
    const config = readJson(join(dir, 'config.json')) as { household: Record<string, unknown> & { monitorCodeHash: string } };
    expect(config.household).toMatchObject({
      homeNumber: '+15551230000',
      ownerCell: '+15551230001',
      timeZone: 'America/Chicago',
      sipDomain: 'myhome.sip.twilio.com',
      sipUsername: 'homephone',
      bedtime: [
        { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:30', end: '07:00' },
        { days: ['Fri', 'Sat'], start: '22:00', end: '08:00' },
      ],
    });
    expect(config.household.emergencyNumbers).toBeUndefined();
    expect(verifyMonitorCode('1357', config.household.monitorCodeHash)).toBe(true);
  });

  it('offers the current values as defaults: pressing Enter throughout keeps the config as it was', async () => {
    const dir = tempDir();
    const flags = ['--yes', '--account-sid', ACCOUNT_SID, '--auth-token', AUTH_TOKEN, '--home-number', '+15551230000',
      '--owner-cell', '+15551230001', '--time-zone', 'America/Denver', '--sip-domain', 'cabin', '--sip-username', 'dect',
      '--monitor-code', '8642', '--bedtime', 'Mon-Fri 21:00-06:30', '--emergency-numbers', '911,933'];
    expect(await main(['init', ...flags], interactiveIo(dir).io)).toBe(0);
    const before = readJson(join(dir, 'config.json'));
    const { io } = interactiveIo(dir);
    let done = false;
    const run = main(['init'], io).finally(() => (done = true));
    await screen.next();
    const asked: string[] = [];
    for (let i = 0; i < 30 && !done; i += 1) {
      asked.push(screen.getScreen().split('\n')[0] ?? '');
      screen.keypress('enter');
      await Promise.race([screen.next(), run]);
    }
    expect(await run).toBe(0);
    expect(asked.some((q) => q.includes('America/Denver'))).toBe(true);
    expect(asked.some((q) => q.includes('leave empty to keep'))).toBe(true);
    expect(readJson(join(dir, 'config.json'))).toEqual(before);
  });

  it('Ctrl-C in a prompt exits 3 and writes nothing', async () => {
    const dir = tempDir();
    const { io, output } = interactiveIo(dir);
    const run = main(['init'], io);
    await screen.next();
    expect(screen.getScreen()).toContain('Twilio account SID');
    screen.keypress({ name: 'c', ctrl: true });
    expect(await run).toBe(3);
    expect(output().err).toContain('cancelled');
    expect(() => readJson(join(dir, 'config.json'))).toThrow();
  });
});
