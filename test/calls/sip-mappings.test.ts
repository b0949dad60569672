// The SIP domain enforces its mappings, as on Twilio: the phone registers only through a credential
// list mapped under Auth/Registrations, and its calls are accepted only from a user in a list
// mapped under Auth/Calls. A deploy maps the one credential list under both. Dropping either
// mapping in the Console breaks the matching call path, `homephone status` shows it as drift, and
// the next deploy puts it back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploy, deployStatus, renderStatus } from '../../src/deploy/index.js';
import { runCall } from '../../src/simulate/home-call.js';
import type { DeployedTwin } from '../../src/simulate/deployed-twin.js';
import { HOME, OWNER, startDeployHarness, type DeployHarness, type SavedDeploy } from '../deploy/helpers.js';
import { callsTo, find, of } from './helpers.js';

const SIP = 'sip:homephone@myhome.sip.twilio.com';
const GRANDMA = '+15555555555'; // whitelisted, rings through at any hour
const STRANGER = '+15550009999';

let h: DeployHarness;
let deployed: SavedDeploy;
beforeAll(async () => {
  h = await startDeployHarness();
  await deploy(h.session());
  deployed = h.save();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(() => {
  h.restore(deployed); // the household as deployed, a fresh copy for each test
});

function household(): DeployedTwin {
  const environment = [...h.twin.state.services.values()].flatMap((s) => [...s.environments.values()])[0]!;
  return { twin: h.twin, domain: environment.json.domain_name, homeNumber: HOME, ownerCell: OWNER, sipUri: SIP, close: async () => {} };
}

/** Removes the credential list's mapping under Auth/Calls or Auth/Registrations, as in the Console. */
async function dropMapping(kind: 'calls' | 'registrations'): Promise<string> {
  const client = h.session().client;
  const [domain] = await client.sip.domains.list();
  const auth = client.sip.domains(domain!.sid).auth;
  if (kind === 'calls') {
    const [mapping] = await auth.calls.credentialListMappings.list();
    await auth.calls.credentialListMappings(mapping!.sid).remove();
    return mapping!.sid;
  }
  const [mapping] = await auth.registrations.credentialListMappings.list();
  await auth.registrations.credentialListMappings(mapping!.sid).remove();
  return mapping!.sid;
}

const inbound = () => runCall(household(), { to: 'home', from: GRANDMA, hangupAfter: 40 });
const outbound = () => runCall(household(), { to: 'phone', dial: STRANGER, hangupAfter: 20 });

describe('as deployed, both mappings in place', () => {
  it('the phone rings for a whitelisted caller, and its own calls go through', async () => {
    const r = await inbound();
    expect(find(of(r, callsTo(r, SIP)[0]!.sid), 'answered')).toBeDefined();
    expect(callsTo(r, OWNER)).toEqual([]);
    const o = await outbound();
    expect(o.decision).toMatchObject({ call: 'outbound', path: 'owner' });
    expect(o.status).toBe('completed');
  });
});

describe('the Auth/Registrations mapping dropped', () => {
  it('the phone cannot register: an inbound call finds it not registered (32009) and goes to the owner’s cell; status shows the drift', async () => {
    const list = await dropMapping('registrations');
    const r = await inbound();
    const [phone] = callsTo(r, SIP);
    expect(find(of(r, phone!.sid), 'error')?.data.code).toBe(32009);
    expect(find(of(r, r.callSid), 'redirect', 'fallback-owner')!.data.url).toContain('reason=failed&code=32009');
    expect(find(of(r, r.callSid), 'dial', `connected to ${OWNER}`)).toBeDefined();
    // Its own calls still go through: they are authorised under Auth/Calls.
    expect((await outbound()).decision).toMatchObject({ path: 'owner' });

    const status = await deployStatus(h.session());
    expect(status.sip?.mappings).toEqual({ registrations: false, calls: true });
    expect(status.drift).toEqual([{ resource: 'SIP domain myhome.sip.twilio.com', field: 'auth_registrations', before: list, after: '' }]);
    expect(renderStatus(status)).toContain('credential list under Auth/Registrations no and Auth/Calls yes');
    expect(status.pending?.changes.filter((c) => c.action !== 'unchanged').map((c) => c.resource)).toEqual([
      'SIP domain myhome.sip.twilio.com Auth/Registrations mapping',
    ]);

    await deploy(h.session());
    const again = await inbound();
    expect(find(of(again, callsTo(again, SIP)[0]!.sid), 'answered')).toBeDefined();
    expect(callsTo(again, OWNER)).toEqual([]);
  });
});

describe('the Auth/Calls mapping dropped', () => {
  it('the domain refuses the phone’s calls (SIP 403, no webhook), inbound calls still ring it; status shows the drift', async () => {
    const list = await dropMapping('calls');
    const functionsBefore = h.twin.engine.transcript.events.filter((e) => e.type === 'function').length;
    const o = await outbound();
    expect(o.status).toBe('failed');
    const refused = find(of(o, o.callSid), 'error')!;
    expect(refused.data).toMatchObject({ code: 32106, sipStatus: 403 });
    expect(o.decision).toBeNull();
    expect(callsTo(o, OWNER)).toEqual([]);
    expect(h.twin.engine.transcript.events.filter((e) => e.type === 'function').length).toBe(functionsBefore);
    // The phone still registers and rings.
    expect(callsTo(await inbound(), OWNER)).toEqual([]);

    const status = await deployStatus(h.session());
    expect(status.sip?.mappings).toEqual({ registrations: true, calls: false });
    expect(status.drift).toEqual([{ resource: 'SIP domain myhome.sip.twilio.com', field: 'auth_calls', before: list, after: '' }]);

    await deploy(h.session());
    expect((await outbound()).status).toBe('completed');
  });
});
