// homephone deploy --adopt through the CLI against an in-process twin: another party's resource
// with homephone's name stops the deploy (exit 2, naming --adopt) until the user adopts it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { homephone, initInTwin } from '../helpers/cli.js';

const HOME = '+15551230000';
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME] });
});
afterAll(async () => {
  await twin.close();
});
beforeEach(() => twin.admin.reset());

const household = () => initInTwin(twin);

describe('homephone deploy and another party\'s resources', () => {
  it('refuses to repoint their SIP domain (exit 2, naming --adopt), then takes it over with --adopt', async () => {
    const { dir, env } = await household();
    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const pbx = await sdk.sip.domains.create({ domainName: 'myhome.sip.twilio.com', friendlyName: 'office PBX', voiceUrl: 'https://pbx.example.com/voice' });

    const dry = await homephone(['deploy', '--dry-run'], { dir, env });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('~ update  SIP domain myhome.sip.twilio.com  [not created by homephone: needs --adopt]');

    twin.log.clear();
    const refused = await homephone(['deploy', '--yes'], { dir, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('error: the plan would change a resource homephone did not create: update SIP domain myhome.sip.twilio.com');
    expect(refused.stderr).toContain('homephone deploy --adopt');
    expect(twin.log.all().filter((r) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate'))).toEqual([]);
    expect((await sdk.sip.domains(pbx.sid).fetch()).voiceUrl).toBe('https://pbx.example.com/voice');

    const json = await homephone(['--json', 'plan'], { dir, env });
    expect(JSON.parse(json.stdout).plan.foreign.map((c: { resource: string }) => c.resource)).toEqual(['SIP domain myhome.sip.twilio.com']);

    const adopted = await homephone(['deploy', '--yes', '--adopt'], { dir, env });
    expect(adopted.exitCode).toBe(0);
    expect((await sdk.sip.domains(pbx.sid).fetch()).friendlyName).toBe('homephone [managed by homephone]');
    expect((await homephone(['deploy', '--yes'], { dir, env })).stdout).toContain('No changes');
    // Six runs of the binary: the timeout only catches a hang, on a busy machine too.
  }, 120_000);
});
