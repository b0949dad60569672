import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fileMode, homephone, initFlags } from '../helpers/cli.js';
import { initialisedFolder } from '../helpers/cli-household.js';

const PASSWORD = 'Tr1cky&<Passw0rd>';

/** What init writes for the household (a copy: helpers/cli-household.ts), with the SIP password set. */
async function household(withPassword = true) {
  const dir = await initialisedFolder([...initFlags, '--sip-username', 'dect']);
  if (withPassword) await homephone(['config', 'set', 'household.sipPassword', PASSWORD], { dir });
  return dir;
}

describe('homephone sip phone-config', () => {
  it('writes cfg<mac>.xml with mode 0600 and the DP750 P-values, never printing the password', async () => {
    const dir = await household();
    const result = await homephone(['sip', 'phone-config', '--mac', '00:0B:82:AA:BB:CC'], { dir, cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const file = join(dir, 'cfg000b82aabbcc.xml');
    expect(result.stdout).toContain(file);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(fileMode(file)).toBe(0o600);
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ parseTagValue: false }).parse(xml) as {
      gs_provision: { mac: string; config: Record<string, string> };
    };
    expect(doc.gs_provision.mac).toBe('000b82aabbcc');
    expect(doc.gs_provision.config).toMatchObject({
      P271: '1',
      P47: 'myhome.sip.ashburn.twilio.com',
      P130: '2',
      P31: '1',
      P850: '101',
      P57: '0',
      P58: '8',
      P4060: 'dect',
      P4090: 'dect',
      P4120: PASSWORD,
      P4150: '0',
    });
  });

  it('takes --out, --edge and --transport; without --mac the file has no <mac> element', async () => {
    const dir = await household();
    const out = join(dir, 'phone.xml');
    const json = await homephone(['--json', 'sip', 'phone-config', '--out', out, '--edge', 'dublin', '--transport', 'tcp'], { dir });
    expect(json.exitCode, json.stderr).toBe(0);
    const data = JSON.parse(json.stdout) as { file: string; settings: { p: string; value: string }[] };
    expect(data.file).toBe(out);
    expect(json.stdout).not.toContain(PASSWORD);
    expect(data.settings.find((s) => s.p === 'P4120')?.value).toBe('********');
    const xml = readFileSync(out, 'utf8');
    expect(xml).not.toContain('<mac>');
    expect(xml).toContain('<P47>myhome.sip.dublin.twilio.com</P47>');
    expect(xml).toContain('<P130>1</P130>');
  });

  it('prints a web-UI checklist with the password masked unless --show-secrets', async () => {
    const dir = await household();
    const masked = await homephone(['sip', 'phone-config', '--format', 'checklist'], { dir });
    expect(masked.exitCode).toBe(0);
    for (const line of [
      'Primary SIP Server: myhome.sip.ashburn.twilio.com',
      'SIP Transport: TLS',
      'DTMF (1st): RFC2833',
      'Preferred Vocoder 1: PCMU',
      'SIP User ID: dect',
      'sip:dect@myhome.sip.twilio.com',
    ]) {
      expect(masked.stdout).toContain(line);
    }
    expect(masked.stdout).not.toContain(PASSWORD);
    const shown = await homephone(['sip', 'phone-config', '--format', 'checklist', '--show-secrets'], { dir });
    expect(shown.stdout).toContain(`Password: ${PASSWORD}`);
  });

  it('refuses bad input with exit 2 and a hint', async () => {
    const dir = await household();
    const badMac = await homephone(['sip', 'phone-config', '--mac', 'not-a-mac'], { dir, cwd: dir });
    expect(badMac.exitCode).toBe(2);
    expect(badMac.stderr).toMatch(/is not a MAC address/);
    const badEdge = await homephone(['sip', 'phone-config', '--edge', 'mars'], { dir, cwd: dir });
    expect(badEdge.exitCode).toBe(2);
    expect(badEdge.stderr).toMatch(/unknown Twilio edge "mars"/);
    const noPassword = await homephone(['sip', 'phone-config'], { dir: await household(false) });
    expect(noPassword.exitCode).toBe(2);
    expect(noPassword.stderr).toMatch(/homephone deploy creates the credential/);
  });
});
