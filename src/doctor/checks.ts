// `homephone doctor`: a checklist of what must hold for the home phone and the buzzer to work, each
// failure with its fix. Reads only: it never changes Twilio, the bridge or the configuration.
import type { HomephoneConfig } from '../config/schema.js';
import type { DeploySession, StatusResult } from '../deploy/index.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail });
const fail = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'fail', detail, fix });
const warn = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'warn', detail, fix });
const skip = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'skip', detail });

/** The answers without which nothing can work; `init` asks for each. */
export function checkConfig(config: HomephoneConfig, env: NodeJS.ProcessEnv): CheckResult {
  const h = config.household ?? {};
  const t = config.twilio ?? {};
  const missing = [
    ...(t.accountSid || env.TWILIO_ACCOUNT_SID ? [] : ['twilio.accountSid']),
    ...(t.authToken || env.TWILIO_AUTH_TOKEN || ((t.apiKey || env.TWILIO_API_KEY) && (t.apiSecret || env.TWILIO_API_SECRET))
      ? []
      : ['twilio.authToken (or an API key and secret)']),
    ...(['homeNumber', 'ownerCell', 'defaultCountry', 'timeZone', 'sipDomain', 'sipUsername', 'monitorCodeHash'] as const)
      .filter((k) => !h[k])
      .map((k) => `household.${k}`),
  ];
  const b = config.buzzer;
  if (b) {
    for (const k of ['number', 'enterphoneNumber', 'publicUrl'] as const) if (!b[k]) missing.push(`buzzer.${k}`);
    if (!b.tenants?.length) missing.push('buzzer.tenants');
    if (!t.authToken && !env.TWILIO_AUTH_TOKEN) missing.push('twilio.authToken (the buzzer agent checks signatures with it)');
  }
  return missing.length
    ? fail('config', 'Configuration complete', `missing: ${missing.join(', ')}`, 'homephone init (it keeps what is already set)')
    : pass('config', 'Configuration complete', `home number ${h.homeNumber}${b ? `, buzzer ${b.number}` : ''}`);
}

/** One cheap authenticated request. */
export async function checkCredentials(session: DeploySession): Promise<CheckResult> {
  try {
    await session.client.incomingPhoneNumbers.list({ limit: 1 });
    return pass('credentials', 'Twilio credentials work', session.target ?? 'Twilio');
  } catch (err) {
    const e = err as { status?: number; code?: number; message?: string };
    if (e.status === 401) {
      return fail('credentials', 'Twilio credentials work', `Twilio rejected them (${e.code ?? 20003})`, 'check twilio.accountSid and the API key/secret or auth token (homephone config show), or TWILIO_* env vars');
    }
    return fail('credentials', 'Twilio credentials work', `Twilio did not answer: ${e.message ?? String(err)}`, 'check the network, then run homephone doctor again');
  }
}

export function checkNumbers(status: StatusResult): CheckResult[] {
  return status.numbers.map((n) => {
    const title = `The ${n.role} number ${n.number} is owned and routed`;
    const id = `number-${n.role}`;
    if (!n.found) return fail(id, title, 'not a phone number of this account', `buy or port it in the Twilio Console, or correct ${n.role === 'home' ? 'household.homeNumber' : 'buzzer.number'}`);
    const changed = [
      ...status.drift.filter((d) => d.resource.includes(n.number)).map((d) => `${d.field} changed since the last deploy`),
      ...(status.pending?.changes ?? []).filter((c) => c.resource.includes(n.number)).flatMap((c) => c.fields.map((f) => `${f.field} is not what deploy sets`)),
    ];
    if (changed.length) return fail(id, title, [...new Set(changed)].join('; '), 'homephone deploy (points it back)');
    return pass(id, title, `voice URL ${n.voiceUrl}`);
  });
}

export async function checkFlows(session: DeploySession, status: StatusResult): Promise<CheckResult> {
  const title = 'Studio flows published and valid';
  if (status.flows.length === 0) return fail('flows', title, 'no homephone flows on the account', 'homephone deploy');
  const problems: string[] = [];
  for (const f of status.flows) {
    if (f.status !== 'published') problems.push(`${f.name} is ${f.status}`);
    const flow = await session.client.studio.v2.flows(f.sid).fetch();
    try {
      await session.client.studio.v2.flowValidate.update({ friendlyName: flow.friendlyName, status: 'published', definition: flow.definition });
    } catch (err) {
      const details = (err as { details?: { errors?: { property_path?: string; message?: string }[] } }).details?.errors ?? [];
      problems.push(`${f.name} is invalid: ${details.map((d) => `${d.property_path} ${d.message}`).join('; ') || (err as Error).message}`);
    }
  }
  return problems.length
    ? fail('flows', title, problems.join('; '), 'homephone deploy (re-publishes the flows homephone builds)')
    : pass('flows', title, status.flows.map((f) => `${f.name} r${f.revision}`).join(', '));
}

export function checkSip(status: StatusResult, config: HomephoneConfig): CheckResult {
  const title = `SIP domain ${config.household?.sipDomain ?? ''} ready for the phone`;
  const sip = status.sip;
  if (!sip) return fail('sip', title, 'the SIP domain does not exist', 'homephone deploy');
  const problems = [
    ...(sip.registration ? [] : ['registration is off (the phone cannot register: 32210)']),
    ...(sip.credentialList && sip.username ? [] : ["the phone's credential is missing"]),
    ...(sip.mappings.registrations ? [] : ['the credential list is not mapped under Auth/Registrations (32212)']),
    ...(sip.mappings.calls ? [] : ['the credential list is not mapped under Auth/Calls (calls from the phone are refused)']),
  ];
  return problems.length ? fail('sip', title, problems.join('; '), 'homephone deploy') : pass('sip', title, `registration on, user ${sip.username}, both mappings`);
}

/** Emergency calls need a registered emergency address on the number that calls out. */
export async function checkEmergencyAddress(session: DeploySession, homeNumber: string): Promise<CheckResult> {
  const title = 'Emergency address on the home number';
  const [number] = await session.client.incomingPhoneNumbers.list({ phoneNumber: homeNumber, limit: 1 });
  if (!number) return skip('emergency', title, 'the home number is not on this account');
  if (number.emergencyAddressSid) return pass('emergency', title, `address ${number.emergencyAddressSid} (${number.emergencyAddressStatus})`);
  return warn(
    'emergency',
    title,
    'none: 911 calls from the home phone reach a dispatcher without your address',
    'add one in the Twilio Console: Phone Numbers > the home number > Emergency Calling',
  );
}

export { pass, fail, warn, skip };
