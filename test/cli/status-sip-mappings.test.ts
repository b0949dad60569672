// `homephone status` through the built binary shows a SIP mapping removed in the Console as drift
// (the twin, like Twilio, then refuses the phone's calls or finds it unregistered), and the next
// `homephone deploy` maps the credential list again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { homephone } from '../helpers/cli.js';
import { deployedCliHousehold, SHARED_NUMBERS, SHARED_RECIPE, SHARED_TWIN_ACCOUNT } from '../helpers/cli-household.js';

const HOME = SHARED_NUMBERS.home;
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, SHARED_NUMBERS.buzzer], credentials: SHARED_TWIN_ACCOUNT });
});
afterAll(async () => {
  await twin.close();
});

describe('homephone status and the SIP mappings', () => {
  it('shows the dropped Auth/Calls mapping as drift, and deploy puts it back', async () => {
    // A first `deploy --yes` of the shared household, copied when this worker has made it (helpers/cli-household.ts).
    const { dir, env } = await deployedCliHousehold(twin, SHARED_RECIPE);

    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const [domain] = await sdk.sip.domains.list();
    const calls = sdk.sip.domains(domain!.sid).auth.calls.credentialListMappings;
    const [mapping] = await calls.list();
    await calls(mapping!.sid).remove();

    const status = await homephone(['status'], { dir, env });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('credential list under Auth/Registrations yes and Auth/Calls no');
    expect(status.stdout).toContain('Drift since the last deploy (1)');
    expect(status.stdout).toContain(`SIP domain myhome.sip.twilio.com auth_calls: "${mapping!.sid}" → ""`);

    expect((await homephone(['deploy', '--yes'], { dir, env })).exitCode).toBe(0);
    expect((await calls.list()).map((m) => m.sid)).toEqual([mapping!.sid]);
    expect((await homephone(['status'], { dir, env })).stdout).toContain('No drift since the last deploy.');
    // Five runs of the binary: the timeout only catches a hang, on a busy machine too.
  }, 120_000);
});
