// api.twilio.com/2010-04-01: numbers, calls, conferences, participants, messages.
import { rfc2822 } from '../clock.js';
import { invalid, notFound, TwinError } from '../errors.js';
import {
  addParticipant,
  E164,
  endConference,
  ensureConference,
  findNumber,
  findParticipant,
  createCall,
  createMessage,
  isEnded,
  removeParticipant,
  setCallStatus,
} from '../model/voice.js';
import { isRestCallerId } from '../model/caller-id.js';
import { callFilter } from '../model/call-filters.js';
import { mayCallFrom } from '../model/outgoing-caller-ids.js';
import { enqueueCall } from '../model/call-queue.js';
import { page2010 } from '../paging.js';
import type { Params } from '../params.js';
import type { RestRequest, Router } from '../router.js';
import { isSid } from '../sids.js';
import type { CallInstructions, CallRecord, TwinState } from '../state.js';
import { created, isUrlOrEmpty, noContent, ok } from './respond.js';

const A = '/2010-04-01/Accounts/{AccountSid}';
const METHODS = ['GET', 'POST'] as const;

function bad(code: number, message: string): TwinError {
  return new TwinError(400, code, message);
}

function url(form: Params, key: string): string | undefined {
  const v = form.get(key);
  if (v !== undefined && !isUrlOrEmpty(v)) throw bad(21502, `Invalid ${key}: '${v}' is not a valid URL`);
  return v;
}

function method(form: Params, key: string): string | undefined {
  const v = form.get(key);
  if (v === undefined) return undefined;
  const upper = v.toUpperCase();
  if (!(METHODS as readonly string[]).includes(upper)) throw bad(21403, `Invalid ${key}: '${v}' must be GET or POST`);
  return upper;
}

/** A phone-ish address a call can be placed to. */
function isDialable(to: string): boolean {
  return E164.test(to) || /^sip:[^@\s]*@?[^\s]+$/.test(to) || /^client:[\w.-]+$/.test(to);
}

/** Twilio's wording for an invalid To (21211) and From (21212), both 400. */
function invalidTo(to: string): TwinError {
  return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
}

function invalidFrom(from: string): TwinError {
  return bad(21212, `The 'From' number ${from} is not a valid phone number, client identifier or SIP URI.`);
}

/** 21210: a caller ID that is neither one of the account's numbers nor a verified caller ID. */
function unverifiedFrom(from: string): TwinError {
  return bad(21210, `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`);
}

/** SendDigits: at most 32 of 0-9 A-D # * w W (Twilio's Call resource). */
function sendDigits(form: Params): string | undefined {
  const v = form.get('SendDigits');
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9A-D#*wW]{1,32}$/.test(v)) throw invalid(`Invalid SendDigits: '${v}' must be up to 32 of 0-9, A-D, #, *, w and W`);
  return v;
}

function touch(state: TwinState, json: Record<string, unknown>): void {
  json.date_updated = rfc2822(state.now());
}

/** Wildcard phone-number filter: partial numbers match anywhere, '*' stands for any one digit. */
function numberMatches(filter: string, phone: string): boolean {
  const pattern = filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d');
  return new RegExp(pattern).test(phone);
}

export function registerApi2010(router: Router, state: TwinState): void {
  const add = (m: 'GET' | 'POST' | 'DELETE', pattern: string, h: (req: RestRequest) => ReturnType<typeof ok>) =>
    router.add('api', m, pattern, h);

  // ---- IncomingPhoneNumbers ------------------------------------------------------------------
  const number = (req: RestRequest) => {
    const rec = state.numbers.get(req.params.Sid ?? '');
    if (!rec) throw notFound(req.path);
    return rec.json;
  };
  add('GET', `${A}/IncomingPhoneNumbers.json`, (req) => {
    const phone = req.query.get('PhoneNumber');
    const friendly = req.query.get('FriendlyName');
    const origin = req.query.get('Origin');
    const items = [...state.numbers.values()]
      .map((r) => r.json)
      .filter((n) => (phone === undefined ? true : numberMatches(phone, n.phone_number)))
      .filter((n) => (friendly === undefined ? true : n.friendly_name === friendly))
      .filter((n) => (origin === undefined ? true : n.origin === origin));
    return ok(page2010(req, 'incoming_phone_numbers', items));
  });
  add('GET', `${A}/IncomingPhoneNumbers/{Sid}.json`, (req) => ok(number(req)));
  add('POST', `${A}/IncomingPhoneNumbers/{Sid}.json`, (req) => {
    const n = number(req);
    const f = req.form;
    const strings: Array<[string, string, (v: string) => string | undefined]> = [
      ['FriendlyName', 'friendly_name', (v) => v],
      ['VoiceUrl', 'voice_url', () => url(f, 'VoiceUrl')],
      ['VoiceMethod', 'voice_method', () => method(f, 'VoiceMethod')],
      ['VoiceFallbackUrl', 'voice_fallback_url', () => url(f, 'VoiceFallbackUrl')],
      ['VoiceFallbackMethod', 'voice_fallback_method', () => method(f, 'VoiceFallbackMethod')],
      ['StatusCallback', 'status_callback', () => url(f, 'StatusCallback')],
      ['StatusCallbackMethod', 'status_callback_method', () => method(f, 'StatusCallbackMethod')],
      ['SmsUrl', 'sms_url', () => url(f, 'SmsUrl')],
      ['SmsMethod', 'sms_method', () => method(f, 'SmsMethod')],
      ['SmsFallbackUrl', 'sms_fallback_url', () => url(f, 'SmsFallbackUrl')],
      ['SmsFallbackMethod', 'sms_fallback_method', () => method(f, 'SmsFallbackMethod')],
      ['VoiceReceiveMode', 'voice_receive_mode', () => f.oneOf('VoiceReceiveMode', ['voice', 'fax'])],
    ];
    for (const [param] of strings) if (param === 'FriendlyName') f.maxLength(param, 64);
    // Error 21406 "Cannot set SmsFallbackUrl without setting SmsUrl": read strictly, the two are
    // sent together (a fallback alone is refused even when the number already has an sms_url).
    if (f.get('SmsFallbackUrl') && f.get('SmsUrl') === undefined) throw bad(21406, 'Cannot set SmsFallbackUrl without setting SmsUrl');
    const updates: Record<string, unknown> = {};
    for (const [param, field, read] of strings) {
      const raw = f.get(param);
      if (raw !== undefined) updates[field] = read(raw);
    }
    // '' detaches (the pitfall: voice_url is ignored while an application or trunk is set).
    for (const [param, field] of [
      ['TrunkSid', 'trunk_sid'],
      ['VoiceApplicationSid', 'voice_application_sid'],
      ['SmsApplicationSid', 'sms_application_sid'],
    ] as const) {
      if (f.has(param)) updates[field] = f.get(param) || null;
    }
    const lookup = f.bool('VoiceCallerIdLookup');
    if (lookup !== undefined) updates.voice_caller_id_lookup = lookup;
    Object.assign(n, updates);
    touch(state, n);
    state.events.emit('number.updated', n);
    return ok(n);
  });

  // ---- Calls ---------------------------------------------------------------------------------
  const call = (req: RestRequest): CallRecord => {
    const rec = state.calls.get(req.params.Sid ?? '');
    if (!rec) throw notFound(req.path);
    return rec;
  };
  const callbackEvents = (form: Params, key: string): string[] | undefined => {
    const raw = form.all(key).flatMap((v) => v.split(/\s+/)).filter(Boolean);
    if (!raw.length) return undefined;
    for (const e of raw) {
      if (!['initiated', 'ringing', 'answered', 'completed'].includes(e)) throw bad(21626, `Invalid ${key}: ${e}`);
    }
    return raw;
  };
  add('POST', `${A}/Calls.json`, (req) => {
    const f = req.form;
    const to = f.get('To');
    if (!to) throw bad(21201, "No 'To' number is specified");
    if (!isDialable(to)) throw invalidTo(to);
    const from = f.get('From');
    if (!from) throw bad(21213, "No 'From' number is specified");
    if (!isRestCallerId(from)) throw invalidFrom(from);
    if (!/^(sip:|client:)/.test(to) && !/^client:/.test(from) && !mayCallFrom(state, from)) throw unverifiedFrom(from);
    const callUrl = url(f, 'Url');
    const twiml = f.get('Twiml');
    if (!callUrl && !twiml && !f.get('ApplicationSid')) throw bad(21205, 'Url parameter is required.');
    const instructions: Partial<CallInstructions> = {
      url: callUrl || undefined,
      twiml,
      method: method(f, 'Method') ?? 'POST',
      fallbackUrl: url(f, 'FallbackUrl') || undefined,
      fallbackMethod: method(f, 'FallbackMethod') ?? 'POST',
      statusCallback: url(f, 'StatusCallback') || undefined,
      statusCallbackMethod: method(f, 'StatusCallbackMethod') ?? 'POST',
      statusCallbackEvents: callbackEvents(f, 'StatusCallbackEvent') ?? ['completed'],
      timeout: f.int('Timeout', 1, 600) ?? 60,
      timeLimit: f.int('TimeLimit', 1, 14_400),
      callerId: f.get('CallerId'),
      sendDigits: sendDigits(f),
    };
    // Queued behind the account's other REST-created calls, placed at its CPS (22005 past 24 h).
    const slot = enqueueCall(state);
    instructions.dequeueAtMs = slot.dequeueAtMs;
    return created(createCall(state, { to, from, instructions, queueTimeMs: slot.queueTimeMs }).json);
  });
  add('GET', `${A}/Calls.json`, (req) => {
    const matches = callFilter(req.query);
    const items = [...state.calls.values()]
      .map((r) => r.json)
      .filter(matches)
      .reverse(); // newest first, as on Twilio
    return ok(page2010(req, 'calls', items));
  });
  add('GET', `${A}/Calls/{Sid}.json`, (req) => ok(call(req).json));
  add('POST', `${A}/Calls/{Sid}.json`, (req) => {
    const rec = call(req);
    const f = req.form;
    const status = f.oneOf('Status', ['canceled', 'completed']);
    const newUrl = url(f, 'Url');
    const twiml = f.get('Twiml');
    if (isEnded(rec.json.status)) throw bad(21220, 'Call is not in-progress. Cannot redirect.');
    const changed: Array<'url' | 'twiml' | 'statusCallback'> = [];
    if (newUrl) {
      rec.instructions.url = newUrl;
      rec.instructions.twiml = undefined;
      rec.instructions.method = method(f, 'Method') ?? 'POST';
      changed.push('url');
    } else if (twiml) {
      rec.instructions.twiml = twiml;
      rec.instructions.url = undefined;
      changed.push('twiml');
    }
    const cb = url(f, 'StatusCallback');
    if (cb !== undefined) {
      rec.instructions.statusCallback = cb || undefined;
      rec.instructions.statusCallbackMethod = method(f, 'StatusCallbackMethod') ?? rec.instructions.statusCallbackMethod;
      changed.push('statusCallback');
    }
    if (changed.length) {
      touch(state, rec.json);
      state.events.emit('call.updated', { call: rec, changed });
    }
    if (status) {
      const unanswered = rec.json.status === 'queued' || rec.json.status === 'ringing';
      // canceled only stops calls not yet answered; completed hangs up whatever the state.
      if (unanswered) setCallStatus(state, rec, 'canceled');
      else if (status === 'completed') setCallStatus(state, rec, 'completed');
    }
    return ok(rec.json);
  });

  // ---- OutgoingCallerIds (verified caller IDs) -----------------------------------------------
  // Creating one is Twilio's validation call (POST …/OutgoingCallerIds.json, a person answers it
  // with a code): the twin does not serve it; POST /_twin/caller-ids adds one instead.
  const callerId = (req: RestRequest) => {
    const rec = state.outgoingCallerIds.get(req.params.Sid ?? '');
    if (!rec) throw notFound(req.path);
    return rec.json;
  };
  add('GET', `${A}/OutgoingCallerIds.json`, (req) => {
    const phone = req.query.get('PhoneNumber');
    const friendly = req.query.get('FriendlyName');
    const items = [...state.outgoingCallerIds.values()]
      .map((r) => r.json)
      .filter((c) => (phone === undefined || c.phone_number === phone) && (friendly === undefined || c.friendly_name === friendly));
    return ok(page2010(req, 'outgoing_caller_ids', items));
  });
  add('GET', `${A}/OutgoingCallerIds/{Sid}.json`, (req) => ok(callerId(req)));
  add('POST', `${A}/OutgoingCallerIds/{Sid}.json`, (req) => {
    const c = callerId(req);
    const name = req.form.maxLength('FriendlyName', 64);
    if (name !== undefined) {
      c.friendly_name = name;
      touch(state, c as unknown as Record<string, unknown>);
    }
    return ok(c);
  });
  add('DELETE', `${A}/OutgoingCallerIds/{Sid}.json`, (req) => {
    state.outgoingCallerIds.delete(callerId(req).sid);
    return noContent();
  });

  // ---- Conferences ---------------------------------------------------------------------------
  /** A conference by CF SID, or by friendly name (the active room with that name). */
  const conference = (req: RestRequest, key: 'Sid' | 'ConferenceSid') => {
    const id = req.params[key] ?? '';
    const bySid = state.conferences.get(id);
    if (bySid) return bySid;
    if (!isSid(id, 'CF')) {
      for (const c of state.conferences.values()) {
        if (c.json.friendly_name === id && c.json.status !== 'completed') return c;
      }
    }
    throw notFound(req.path);
  };
  add('GET', `${A}/Conferences.json`, (req) => {
    const name = req.query.get('FriendlyName');
    const status = req.query.get('Status');
    const items = [...state.conferences.values()]
      .map((c) => c.json)
      .filter((c) => (name === undefined || c.friendly_name === name) && (status === undefined || c.status === status))
      .reverse();
    return ok(page2010(req, 'conferences', items));
  });
  add('GET', `${A}/Conferences/{Sid}.json`, (req) => ok(conference(req, 'Sid').json));
  add('POST', `${A}/Conferences/{Sid}.json`, (req) => {
    const c = conference(req, 'Sid');
    const status = req.form.oneOf('Status', ['completed']);
    url(req.form, 'AnnounceUrl');
    if (status) endConference(state, c.json.sid, 'conference-ended-via-api', null);
    return ok(c.json);
  });

  // ---- Participants --------------------------------------------------------------------------
  const participant = (req: RestRequest) => {
    const c = conference(req, 'ConferenceSid');
    const p = findParticipant(state, c.json.sid, req.params.CallSid ?? '');
    if (!p) throw notFound(req.path);
    return { c, p };
  };
  add('POST', `${A}/Conferences/{ConferenceSid}/Participants.json`, (req) => {
    const f = req.form;
    const id = req.params.ConferenceSid ?? '';
    let confSid: string;
    if (isSid(id, 'CF')) {
      const c = state.conferences.get(id);
      if (!c || c.json.status === 'completed') throw notFound(req.path);
      confSid = id;
    } else {
      confSid = ensureConference(state, id).sid;
    }
    const from = f.get('From');
    if (!from) throw bad(21213, "No 'From' number is specified");
    const to = f.get('To');
    if (!to) throw bad(21201, "No 'To' number is specified");
    if (!isDialable(to)) throw invalidTo(to);
    if (!isRestCallerId(from)) throw invalidFrom(from);
    if (!/^(sip:|client:)/.test(to) && !mayCallFrom(state, from)) throw unverifiedFrom(from);
    const coaching = f.bool('Coaching');
    const callSidToCoach = f.get('CallSidToCoach');
    if (coaching && !callSidToCoach) throw bad(16001, 'CallSidToCoach is required when Coaching is true');
    const label = f.get('Label');
    if (label && findParticipant(state, confSid, label)) throw bad(16025, `Label ${label} is already in use in this conference`);
    const input = {
      to,
      from,
      label,
      muted: f.bool('Muted'),
      hold: f.bool('Hold'),
      coaching,
      callSidToCoach,
      startConferenceOnEnter: f.bool('StartConferenceOnEnter'),
      endConferenceOnExit: f.bool('EndConferenceOnExit'),
      options: {
        beep: f.get('Beep'),
        waitUrl: f.get('WaitUrl'),
        waitMethod: method(f, 'WaitMethod'),
        earlyMedia: f.bool('EarlyMedia'),
        conferenceStatusCallback: url(f, 'ConferenceStatusCallback'),
        conferenceStatusCallbackMethod: method(f, 'ConferenceStatusCallbackMethod'),
        conferenceStatusCallbackEvents: f.all('ConferenceStatusCallbackEvent').flatMap((v) => v.split(/\s+/)),
      },
      instructions: {
        timeout: f.int('Timeout', 5, 600) ?? 60,
        callerId: f.get('CallerId'),
        statusCallback: url(f, 'StatusCallback') || undefined,
        statusCallbackMethod: method(f, 'StatusCallbackMethod') ?? 'POST',
        statusCallbackEvents: callbackEvents(f, 'StatusCallbackEvent') ?? ['completed'],
      },
    };
    // The participant's call is a REST-created call like any other: it waits in the CPS queue
    // (once the request is known to be valid: a refused request takes no place in it).
    const slot = enqueueCall(state);
    const { participant: p } = addParticipant(state, confSid, {
      ...input,
      queueTimeMs: slot.queueTimeMs,
      instructions: { ...input.instructions, dequeueAtMs: slot.dequeueAtMs },
    });
    // queue_time is "only available in the response to a create participant request".
    return created({ ...p.json, queue_time: String(slot.queueTimeMs) });
  });
  add('GET', `${A}/Conferences/{ConferenceSid}/Participants.json`, (req) => {
    const c = conference(req, 'ConferenceSid');
    const q = req.query;
    const flags = ['Muted', 'Hold', 'Coaching'] as const;
    const items = [...c.participants.values()]
      .map((p) => p.json)
      .filter((p) => flags.every((flag) => q.bool(flag) === undefined || p[flag.toLowerCase()] === q.bool(flag)));
    return ok(page2010(req, 'participants', items));
  });
  add('GET', `${A}/Conferences/{ConferenceSid}/Participants/{CallSid}.json`, (req) => ok(participant(req).p.json));
  add('POST', `${A}/Conferences/{ConferenceSid}/Participants/{CallSid}.json`, (req) => {
    const { c, p } = participant(req);
    const f = req.form;
    const muted = f.bool('Muted');
    const hold = f.bool('Hold');
    const coaching = f.bool('Coaching');
    const toCoach = f.get('CallSidToCoach');
    const endOnExit = f.bool('EndConferenceOnExit');
    if (coaching && !toCoach && !p.json.call_sid_to_coach) throw bad(16001, 'CallSidToCoach is required when Coaching is true');
    if (muted !== undefined) p.json.muted = muted;
    if (hold !== undefined) p.json.hold = hold;
    if (coaching !== undefined) p.json.coaching = coaching;
    if (toCoach !== undefined) p.json.call_sid_to_coach = toCoach || null;
    if (endOnExit !== undefined) p.json.end_conference_on_exit = endOnExit;
    const holdUrl = url(f, 'HoldUrl');
    if (holdUrl !== undefined) p.options.holdUrl = holdUrl;
    const announceUrl = url(f, 'AnnounceUrl');
    if (announceUrl !== undefined) p.options.announceUrl = announceUrl;
    touch(state, p.json);
    state.events.emit('participant.updated', { conference: c.json, participant: p });
    return ok(p.json);
  });
  add('DELETE', `${A}/Conferences/{ConferenceSid}/Participants/{CallSid}.json`, (req) => {
    const { c, p } = participant(req);
    removeParticipant(state, c.json.sid, p, 'last-participant-kicked');
    return noContent();
  });

  // ---- Messages ------------------------------------------------------------------------------
  add('POST', `${A}/Messages.json`, (req) => {
    const f = req.form;
    const to = f.get('To');
    if (!to) throw bad(21604, "A 'To' phone number is required.");
    if (!E164.test(to) && !/^whatsapp:/.test(to)) throw invalidTo(to);
    const from = f.get('From');
    const service = f.get('MessagingServiceSid');
    if (!from && !service) throw bad(21603, "A 'From' phone number is required.");
    if (from && !findNumber(state, from)) throw bad(21659, `${from} is not a Twilio phone number or Short Code country mismatch`);
    const body = f.get('Body') ?? '';
    if (!body && !f.get('MediaUrl')) throw bad(21602, 'Message body is required.');
    if (body.length > 1600) throw bad(21617, 'The concatenated message body exceeds the 1600 character limit.');
    return created(createMessage(state, { to, from: from ?? null, body, messagingServiceSid: service }));
  });
  add('GET', `${A}/Messages.json`, (req) => {
    const to = req.query.get('To');
    const from = req.query.get('From');
    const items = [...state.messages.values()]
      .map((m) => m.json)
      .filter((m) => (to === undefined || m.to === to) && (from === undefined || m.from === from))
      .reverse();
    return ok(page2010(req, 'messages', items));
  });
  add('GET', `${A}/Messages/{Sid}.json`, (req) => {
    const m = state.messages.get(req.params.Sid ?? '');
    if (!m) throw notFound(req.path);
    return ok(m.json);
  });
}
