// SIP domains enforce their mappings (Twilio docs, SIP Domain and CredentialListMapping
// resources): an INVITE from a device is accepted only when its user is in a credential list
// mapped under Auth/Calls (a domain with nothing mapped there blocks every request), and a device
// registers only with a credential in a list mapped under Auth/Registrations (32212), so dialling
// it otherwise finds nobody registered (32009).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';

let h: Harness;
let app: App;

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
  app.route('/sip', twiml('<Say>through</Say>'));
});
afterAll(async () => {
  await app.close();
  await h.twin.close();
});

async function domainWith(name: string, mapped: { calls?: string[]; registrations?: string[] }) {
  const c = h.client.sip;
  const domain = await c.domains.create({ domainName: `${name}.sip.twilio.com`, voiceUrl: `${app.url}/sip`, sipRegistration: true });
  const list = await c.credentialLists.create({ friendlyName: name });
  for (const user of new Set([...(mapped.calls ?? []), ...(mapped.registrations ?? [])])) {
    await c.credentialLists(list.sid).credentials.create({ username: user, password: 'Mapping-Test-123' });
  }
  const other = await c.credentialLists.create({ friendlyName: `${name}-other` });
  await c.credentialLists(other.sid).credentials.create({ username: 'someone-else', password: 'Mapping-Test-123' });
  if (mapped.calls) await c.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: mapped.calls.length ? list.sid : other.sid });
  if (mapped.registrations) {
    await c.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: mapped.registrations.length ? list.sid : other.sid });
  }
  return domain;
}

const requestsTo = (path: string) => app.requests.filter((r) => r.path === path).length;

describe('calls from a device (INVITE)', () => {
  it('are accepted from a user in a list mapped under Auth/Calls', async () => {
    await domainWith('calls-ok', { calls: ['desk'] });
    const before = requestsTo('/sip');
    const r = await h.twin.engine.placeCall({ from: 'sip:desk@calls-ok.sip.twilio.com', to: '+15557654321' });
    expect(requestsTo('/sip')).toBe(before + 1);
    expect(r.status).toBe('completed');
  });

  it.each([
    ['nothing is mapped under Auth/Calls', 'calls-none', {}],
    ['only another user’s list is mapped under Auth/Calls', 'calls-other', { calls: [] }],
    ['the user is mapped only under Auth/Registrations', 'calls-reg-only', { registrations: ['desk'] }],
  ])('are refused with SIP 403 when %s, before any webhook', async (_why, name, mapped) => {
    await domainWith(name, mapped);
    const before = requestsTo('/sip');
    const r = await h.twin.engine.placeCall({ from: `sip:desk@${name}.sip.twilio.com`, to: '+15557654321' });
    expect(r.status).toBe('failed');
    expect(r.events.find((e) => e.type === 'error')?.data).toMatchObject({ code: 32106, sipStatus: 403 });
    expect(requestsTo('/sip')).toBe(before);
  });
});

describe('dialling a device', () => {
  it('reaches a user registered through a list mapped under Auth/Registrations', async () => {
    await domainWith('reg-ok', { registrations: ['desk'] });
    const far = h.twin.engine.phones.resolve('sip:desk@reg-ok.sip.twilio.com');
    expect(far.ok).toBe(true);
  });

  it.each([
    ['nothing is mapped under Auth/Registrations', 'reg-none', { calls: ['desk'] }],
    ['only another user’s list is mapped under Auth/Registrations', 'reg-other', { registrations: [] }],
  ])('finds nobody registered (32009) when %s', async (_why, name, mapped) => {
    await domainWith(name, mapped);
    expect(h.twin.engine.phones.resolve(`sip:desk@${name}.sip.twilio.com`)).toMatchObject({ ok: false, code: 32009 });
  });
});
