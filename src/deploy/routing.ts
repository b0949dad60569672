// Reconciling what routes calls: the Studio flows (validated before anything is written), the
// SIP domain with its credential list, credential and both mappings, and, last, the numbers.
import { InputError } from '../errors.js';
import { flowWebhook } from './desired.js';
import { twilioCall } from './errors.js';
import { canonicalJson, jsonDiff, normaliseMethod, normaliseUrl, numberRouting, sha256 } from './normalise.js';
import { foreignMessaging, MESSAGING_PARAMS, wantedMessaging } from './messaging.js';
import { UnsafeCredentialListError } from './ownership.js';
import type { FieldChange } from './run.js';
import type { StepContext } from './serverless.js';

const MAX_FIELD_DIFFS = 12;
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export interface FlowOptions {
  /** Check new or changed definitions with Studio's Validate (plans do; the apply after a plan doesn't repeat it). */
  validate: boolean;
}

export async function reconcileFlows(sc: StepContext, options: FlowOptions): Promise<void> {
  const { run, desired, remote, facts } = sc;
  const studio = run.client.studio.v2;
  const commitMessage = run.deps.commitMessage ?? 'homephone deploy';
  for (const d of desired.flows) {
    const definition = d.definition(facts);
    const r = remote.flows[d.key];
    const resource = `Studio flow "${d.friendlyName}"`;
    const differs = !r || canonicalJson(definition) !== canonicalJson(r.definition) || r.status !== 'published';
    if (differs && options.validate) {
      await twilioCall(`${resource} (Validate)`, () => studio.flowValidate.update({ friendlyName: d.friendlyName, status: 'published', definition }));
    }
    if (!r) {
      run.record({
        section: 'studio',
        resource,
        action: 'create',
        fields: [{ field: 'status', after: 'published' }, { field: 'states', after: definition.states.map((s) => s.name).join(', ') }],
        writes: 1,
      });
      if (run.dryRun) continue;
      const flow = await run.write({ method: 'POST', operation: 'create', resource }, () =>
        studio.flows.create({ friendlyName: d.friendlyName, status: 'published', definition, commitMessage }),
      );
      facts.flowWebhooks[d.key] = flow.webhookUrl;
      run.state.flows = { ...run.state.flows, [d.key]: { sid: flow.sid, revision: flow.revision } };
      continue;
    }
    facts.flowWebhooks[d.key] = r.webhookUrl;
    const kept = run.state.flows?.[d.key];
    if (!differs) {
      run.record({ section: 'studio', resource, action: 'unchanged', fields: [], writes: 0, note: `revision ${r.revision}` });
      run.state.flows = { ...run.state.flows, [d.key]: { ...kept, sid: r.sid, revision: r.revision } };
      continue;
    }
    const diffs = jsonDiff(r.definition, definition);
    const fields: FieldChange[] = diffs.slice(0, MAX_FIELD_DIFFS).map((x) => ({
      field: `definition.${x.path}`,
      ...(x.before === undefined ? {} : { before: text(x.before) }),
      ...(x.after === undefined ? {} : { after: text(x.after) }),
    }));
    if (diffs.length > MAX_FIELD_DIFFS) fields.push({ field: `… and ${diffs.length - MAX_FIELD_DIFFS} more definition changes` });
    if (r.status !== 'published') fields.push({ field: 'status', before: r.status, after: 'published' });
    const foreign = !r.owned;
    run.record({
      section: 'studio',
      resource,
      action: 'update',
      fields,
      writes: 1,
      note: `${foreign ? `${r.sid}, not created by homephone: --adopt overwrites it; ` : ''}revision ${r.revision} → ${r.revision + 1}`,
      ...(foreign ? { foreign } : {}),
    });
    if (run.dryRun) continue;
    await run.write({ method: 'POST', operation: 'update', resource, sid: r.sid }, () =>
      studio.flows(r.sid).update({ status: 'published', definition, commitMessage }),
      (flow) => void (run.state.flows = { ...run.state.flows, [d.key]: { ...kept, sid: r.sid, revision: flow.revision } }),
    );
  }
}

export async function reconcileSip(sc: StepContext): Promise<void> {
  const { run, desired, remote, facts } = sc;
  const sip = run.client.sip;
  const want = desired.sip;
  run.state.sip = { ...run.state.sip };

  // Credential list, then the phone's credential (Twilio never shows a password, so the state
  // remembers a hash of the one we set). A list holding users homephone did not create is never
  // mapped: homephone's own is refused outright, another one is left alone for a list of our own.
  const listResource = `SIP credential list ${want.credentialListName}`;
  let found = remote.credentialList;
  const strangers = found ? found.usernames.filter((u) => u !== want.username) : [];
  if (found && strangers.length) {
    if (found.owned) throw new UnsafeCredentialListError(found, strangers);
    run.record({
      section: 'sip',
      resource: `SIP credential list ${found.friendlyName}`,
      action: 'unchanged',
      fields: [],
      writes: 0,
      foreign: true,
      note: `${found.sid}, not created by homephone, holds users it did not create (${strangers.join(', ')}): left alone and never mapped`,
    });
    found = undefined;
  }
  let listSid = found?.sid;
  if (!found) {
    run.record({ section: 'sip', resource: listResource, action: 'create', fields: [{ field: 'friendly_name', after: want.credentialListName }], writes: 1 });
    if (!run.dryRun) {
      listSid = (await run.write({ method: 'POST', operation: 'create', resource: listResource }, () =>
        sip.credentialLists.create({ friendlyName: want.credentialListName }),
      )).sid;
    }
  } else if (found.friendlyName !== want.credentialListName) {
    // Made before the mark (recorded in the state), or another party's list holding only our user.
    const foreign = !found.owned;
    run.record({
      section: 'sip',
      resource: listResource,
      action: 'update',
      fields: [{ field: 'friendly_name', before: found.friendlyName, after: want.credentialListName }],
      writes: 1,
      ...(foreign ? { foreign, note: `${found.sid}, not created by homephone: --adopt takes it over` } : { note: "marks it as homephone's" }),
    });
    if (!run.dryRun) {
      await run.write({ method: 'POST', operation: 'update', resource: listResource, sid: found.sid }, () =>
        sip.credentialLists(found!.sid).update({ friendlyName: want.credentialListName }),
      );
    }
  } else run.record({ section: 'sip', resource: listResource, action: 'unchanged', fields: [], writes: 0 });
  if (listSid) run.state.sip.credentialListSid = listSid;

  const credResource = `SIP credential ${want.username}`;
  const passwordHash = sha256(want.password);
  const credential = found ? remote.credential : undefined;
  if (!credential) {
    run.record({
      section: 'sip',
      resource: credResource,
      action: 'create',
      fields: [{ field: 'username', after: want.username }, { field: 'password', after: want.password, secret: true }],
      writes: 1,
    });
    if (!run.dryRun) {
      await run.write({ method: 'POST', operation: 'create', resource: credResource }, () =>
        sip.credentialLists(listSid!).credentials.create({ username: want.username, password: want.password }),
        (c) => Object.assign(run.state.sip!, { credentialSid: c.sid, passwordHash }),
      );
    }
  } else if (run.state.sip.passwordHash !== passwordHash || run.state.sip.credentialSid !== credential.sid) {
    run.record({
      section: 'sip',
      resource: credResource,
      action: 'update',
      fields: [{ field: 'password', before: '?', after: want.password, secret: true }],
      writes: 1,
      note: 'sets the password kept in the configuration (Twilio never shows it back)',
    });
    if (!run.dryRun) {
      await run.write({ method: 'POST', operation: 'update', resource: credResource, sid: credential.sid }, () =>
        sip.credentialLists(listSid!).credentials(credential.sid).update({ password: want.password }),
        () => Object.assign(run.state.sip!, { credentialSid: credential.sid, passwordHash }),
      );
    }
  } else run.record({ section: 'sip', resource: credResource, action: 'unchanged', fields: [], writes: 0 });

  // The domain: registration on, calls from the phone go to the outbound flow.
  const domainResource = `SIP domain ${want.domainName}`;
  const wanted = {
    friendly_name: want.friendlyName,
    voice_url: normaliseUrl(flowWebhook(desired.accountSid, facts, 'outbound')),
    voice_method: 'POST',
    sip_registration: 'true',
    emergency_calling_enabled: String(want.emergencyCallingEnabled),
  };
  const params = (fields: string[]) => ({
    ...(fields.includes('friendly_name') ? { friendlyName: wanted.friendly_name } : {}),
    ...(fields.includes('voice_url') ? { voiceUrl: wanted.voice_url } : {}),
    ...(fields.includes('voice_method') ? { voiceMethod: wanted.voice_method } : {}),
    ...(fields.includes('sip_registration') ? { sipRegistration: true } : {}),
    ...(fields.includes('emergency_calling_enabled') ? { emergencyCallingEnabled: want.emergencyCallingEnabled } : {}),
  });
  const d = remote.sipDomain;
  let domainSid = d?.sid;
  if (!d) {
    run.record({
      section: 'sip',
      resource: domainResource,
      action: 'create',
      fields: Object.entries(wanted).map(([field, after]) => ({ field, after })),
      writes: 1,
    });
    if (!run.dryRun) {
      domainSid = (await run.write({ method: 'POST', operation: 'create', resource: domainResource }, () =>
        sip.domains.create({ domainName: want.domainName, ...params(Object.keys(wanted)) }),
      )).sid;
    }
  } else {
    const current = {
      friendly_name: d.friendlyName,
      voice_url: normaliseUrl(d.voiceUrl),
      voice_method: normaliseMethod(d.voiceMethod),
      sip_registration: String(d.sipRegistration),
      emergency_calling_enabled: String(d.emergencyCallingEnabled),
    };
    const changed = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((k) => current[k] !== wanted[k]);
    if (changed.length) {
      const foreign = !d.owned;
      run.record({
        section: 'sip',
        resource: domainResource,
        action: 'update',
        fields: changed.map((k) => ({ field: k, before: current[k], after: wanted[k] })),
        writes: 1,
        ...(foreign ? { foreign, note: `${d.sid} "${d.friendlyName}", not created by homephone: --adopt repoints it` } : {}),
      });
      if (!run.dryRun) {
        await run.write({ method: 'POST', operation: 'update', resource: domainResource, sid: d.sid }, () => sip.domains(d.sid).update(params(changed)));
      }
    } else run.record({ section: 'sip', resource: domainResource, action: 'unchanged', fields: [], writes: 0 });
  }
  if (domainSid) run.state.sip.domainSid = domainSid;

  // Other lists mapped under the domain (e.g. by a version before the mark, which took any list
  // named "homephone"): their users can register or call through it. Said in the plan, not undone.
  for (const other of remote.otherMappedLists) {
    if (other.sid === listSid) continue;
    const where = other.kinds.map((k) => `Auth/${k === 'calls' ? 'Calls' : 'Registrations'}`).join(' and ');
    run.record({
      section: 'sip',
      resource: `SIP credential list ${other.friendlyName} (${other.sid})`,
      action: 'unchanged',
      fields: [],
      writes: 0,
      foreign: true,
      note: `WARNING: not homephone's, yet mapped under this domain's ${where}, so its users can use the domain: remove that mapping in the Twilio Console unless you meant it`,
    });
  }

  // The list under both Auth/Registrations (else 32212) and Auth/Calls (the phone places calls).
  for (const kind of ['registrations', 'calls'] as const) {
    const resource = `SIP domain ${want.domainName} Auth/${kind === 'calls' ? 'Calls' : 'Registrations'} mapping`;
    const mapped = Boolean(listSid && found && remote.sipDomain && remote.mappings[kind].includes(listSid));
    if (mapped) {
      run.record({ section: 'sip', resource, action: 'unchanged', fields: [], writes: 0 });
      continue;
    }
    run.record({ section: 'sip', resource, action: 'create', fields: [{ field: 'credential_list', after: want.credentialListName }], writes: 1 });
    if (run.dryRun) continue;
    const auth = sip.domains(domainSid!).auth;
    await run.write<{ sid: string }>({ method: 'POST', operation: 'create', resource }, () =>
      kind === 'calls'
        ? auth.calls.credentialListMappings.create({ credentialListSid: listSid! })
        : auth.registrations.credentialListMappings.create({ credentialListSid: listSid! }),
    );
  }
}

/** Numbers last: by now everything they point at is live. Never bought or released. */
export async function reconcileNumbers(sc: StepContext): Promise<void> {
  const { run, desired, remote, facts } = sc;
  for (const d of desired.numbers) {
    const r = remote.numbers[d.phoneNumber];
    const resource = `Phone number ${d.phoneNumber} (${d.role})`;
    if (!r) {
      throw new InputError(`the ${d.role} number ${d.phoneNumber} is not a phone number of this Twilio account`, {
        hint: `homephone never buys numbers: buy or port it in the Twilio Console, or correct ${d.role === 'home' ? 'household.homeNumber' : 'buzzer.number'}`,
      });
    }
    const wanted: Record<string, string> = {
      voice_url: normaliseUrl(d.voiceUrl(facts)),
      voice_method: 'POST',
      voice_fallback_url: normaliseUrl(d.voiceFallbackUrl(facts)),
      voice_fallback_method: 'POST',
      voice_application_sid: '',
      trunk_sid: '',
      ...wantedMessaging(d.smsUrl(facts), d.smsFallbackUrl(facts)),
    };
    const current = numberRouting(r);
    const changed = Object.keys(wanted).filter((k) => wanted[k] !== current[k]);
    run.state.numbers = { ...run.state.numbers, [d.phoneNumber]: r.sid };
    if (!changed.length) {
      run.record({ section: 'numbers', resource, action: 'unchanged', fields: [], writes: 0 });
      continue;
    }
    // Texts already going to someone else's app are theirs until --adopt (messaging.ts).
    const theirs = changed.some((k) => k in MESSAGING_PARAMS) ? foreignMessaging(current, wanted, run.state.applied?.[`Phone number ${d.phoneNumber}`]) : null;
    const notes = [
      ...(theirs ? [`${theirs}, not set by homephone: --adopt sends them to homephone instead`] : []),
      ...(changed.some((k) => k === 'voice_application_sid' || k === 'trunk_sid')
        ? ['an application or trunk on a number makes Twilio ignore its voice URL: cleared']
        : []),
      ...(changed.includes('sms_application_sid') ? ['an SMS application on a number makes Twilio ignore its messaging URL: cleared'] : []),
    ];
    run.record({
      section: 'numbers',
      resource,
      action: 'update',
      fields: changed.map((k) => ({ field: k, before: current[k] || '(none)', after: wanted[k] || '(cleared)' })),
      writes: 1,
      ...(notes.length ? { note: notes.join('; ') } : {}),
      ...(theirs ? { foreign: true } : {}),
    });
    if (run.dryRun) continue;
    const update: Record<string, string> = {};
    const param: Record<string, string> = {
      voice_url: 'voiceUrl',
      voice_method: 'voiceMethod',
      voice_fallback_url: 'voiceFallbackUrl',
      voice_fallback_method: 'voiceFallbackMethod',
      voice_application_sid: 'voiceApplicationSid',
      trunk_sid: 'trunkSid',
      ...MESSAGING_PARAMS,
    };
    for (const k of changed) update[param[k]!] = wanted[k]!;
    // Twilio refuses a fallback URL without a voice URL (21405): send the pair together.
    if (update.voiceFallbackUrl !== undefined || update.voiceUrl !== undefined) {
      update.voiceUrl = wanted.voice_url!;
      update.voiceFallbackUrl = wanted.voice_fallback_url!;
    }
    // The same for texts (21406: "Cannot set SmsFallbackUrl without setting SmsUrl").
    if (update.smsFallbackUrl !== undefined || update.smsUrl !== undefined) {
      update.smsUrl = wanted.sms_url!;
      update.smsFallbackUrl = wanted.sms_fallback_url!;
    }
    await run.write({ method: 'POST', operation: 'update', resource, sid: r.sid }, () => run.client.incomingPhoneNumbers(r.sid).update(update));
  }
}
