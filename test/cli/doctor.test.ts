// homephone doctor against a deployed twin, a running agent and a fake Hue bridge.
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { startFakeHueBridge, type FakeBridge } from '../helpers/fake-hue-bridge.js';
import { ACCOUNT_SID, AUTH_TOKEN, bin, homephone, initFlags, tempDir } from '../helpers/cli.js';

const HOME = '+15551230000';
const BUZZER = '+15551239999';

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}

describe('homephone doctor', () => {
  let twin: Twin;
  let bridge: FakeBridge;
  let agent: ResultPromise;
  let agentUrl: string;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    twin = await startTwin({ numbers: [HOME, BUZZER], credentials: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } });
    bridge = await startFakeHueBridge({ users: ['doctor-user'] });
    dir = tempDir();
    env = { HOMEPHONE_TWIN_URL: twin.url };
    const init = await homephone(
      [
        'init', ...initFlags,
        '--buzzer-number', BUZZER, '--enterphone-number', '+15551238888',
        '--tenant', 'Alex=+15551110000', '--public-url', 'https://buzz.example.org/',
      ],
      { dir },
    );
    expect(init.exitCode, init.stderr).toBe(0);
    await homephone(['config', 'set', 'hue.bridgeAddress', bridge.url], { dir });
    await homephone(['config', 'set', 'hue.username', 'doctor-user'], { dir });
    const deployed = await homephone(['deploy', '--yes'], { dir, env });
    expect(deployed.exitCode, deployed.stderr).toBe(0);

    agent = execa('node', [bin, 'agent', '--port', '0', '--host', '127.0.0.1', '--log-format', 'json'], {
      env: { HOMEPHONE_CONFIG_DIR: dir, HOMEPHONE_TWIN_URL: twin.url, CI: '1', NO_COLOR: '1' },
      reject: false,
    });
    agentUrl = await new Promise<string>((resolve, reject) => {
      agent.stderr!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter((l) => l.startsWith('{'))) {
          const record = JSON.parse(line) as { event?: string; listen?: string };
          if (record.event === 'agent.started') resolve(`http://127.0.0.1:${String(record.listen).split(':').at(-1)}`);
        }
      });
      void agent.then((r) => reject(new Error(`the agent exited ${r.exitCode}: ${r.stderr}`)));
    });
  });

  afterAll(async () => {
    agent?.kill('SIGTERM');
    await agent;
    await bridge?.close();
    await twin?.close();
  });

  const doctor = async (extra: string[] = []) => {
    const result = await homephone(['--json', 'doctor', '--agent-url', agentUrl, ...extra], { dir, env });
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
    return { result, report, byId: (id: string) => report.checks.find((c) => c.id === id) };
  };

  it('passes when everything is in place, warning that the home number has no emergency address', async () => {
    const { result, report, byId } = await doctor();
    expect(result.exitCode, JSON.stringify(report.checks, null, 2)).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['config', 'pass'],
      ['credentials', 'pass'],
      ['number-home', 'pass'],
      ['number-buzzer', 'pass'],
      ['flows', 'pass'],
      ['sip', 'pass'],
      ['emergency', 'warn'],
      ['agent', 'pass'],
      ['agent-unsigned', 'pass'],
      ['agent-signed', 'pass'],
      ['tenants', 'pass'],
      ['hue', 'pass'],
    ]);
    expect(byId('tenants')?.detail).toMatch(/one <Dial> .* calls per second do not limit/);
    expect(byId('emergency')?.fix).toMatch(/Emergency Calling/);
    // The signed test request came from a number that is not the enterphone: no tenant was called.
    expect([...twin.state.calls.values()]).toEqual([]);
    const text = await homephone(['doctor', '--agent-url', agentUrl], { dir, env });
    expect(text.stdout).toContain('✔ Twilio credentials work');
    expect(text.stdout).toContain('All checks passed (1 warning(s)).');
  });

  it('fails, with a fix, when a number was re-pointed in the console or the bridge forgot us', async () => {
    const client = (await import('../../src/twilio/client.js')).createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, twinUrl: twin.url }, {});
    const [home] = await client.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await client.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/elsewhere' });
    bridge.users.delete('doctor-user');
    const { result, report, byId } = await doctor();
    expect(result.exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(byId('number-home')).toMatchObject({ status: 'fail', fix: 'homephone deploy (points it back)' });
    expect(byId('hue')).toMatchObject({ status: 'fail', fix: 'pair again: homephone hue pair' });
    expect(byId('flows')?.status).toBe('pass');
    // Fixing it by the advice makes the number pass again.
    expect((await homephone(['deploy', '--yes'], { dir, env })).exitCode).toBe(0);
    expect((await doctor()).byId('number-home')?.status).toBe('pass');
    bridge.users.add('doctor-user');
  });

  it('fails the agent checks when the agent is not there, and the Twilio ones with bad credentials', async () => {
    const gone = await doctor(['--agent-url', 'http://127.0.0.1:9']);
    expect(gone.byId('agent')).toMatchObject({ status: 'fail', fix: expect.stringContaining('homephone agent') });
    const bad = await homephone(['--json', 'doctor', '--agent-url', agentUrl], {
      dir,
      env: { ...env, TWILIO_AUTH_TOKEN: 'f'.repeat(32) },
    });
    expect(bad.exitCode).toBe(1);
    const checks = (JSON.parse(bad.stdout) as { checks: Check[] }).checks;
    expect(checks.find((c) => c.id === 'credentials')).toMatchObject({ status: 'fail', detail: expect.stringContaining('20003') });
    expect(checks.find((c) => c.id === 'twilio')?.status).toBe('skip');
    // The agent was checked with the wrong token too: a request signed with it is refused.
    expect(checks.find((c) => c.id === 'agent-signed')).toMatchObject({ status: 'fail' });
  });
});
