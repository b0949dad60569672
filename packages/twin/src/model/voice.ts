// Numbers, calls, conferences, participants and messages: the operations both the REST handlers
// and (later) the voice engine perform, so a resource looks the same whoever created it.
import { rfc2822 } from '../clock.js';
import type {
  CallInstructions,
  CallRecord,
  CallStatus,
  ConferenceJson,
  IncomingPhoneNumberJson,
  MessageJson,
  ParticipantOptions,
  ParticipantRecord,
  TwinState,
} from '../state.js';
import { ENDED_CALL_STATUSES } from '../state.js';
import { newSid, SidPrefix } from '../sids.js';

export const API_VERSION = '2010-04-01';
export const E164 = /^\+[1-9]\d{1,14}$/;

export function accountPath(state: TwinState): string {
  return `/${API_VERSION}/Accounts/${state.accountSid}`;
}

/** '(415) 867-5309' for North American numbers, the number itself otherwise. */
export function formatNumber(n: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(n);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : n;
}

// ---- Incoming phone numbers -------------------------------------------------------------------

export function seedNumber(state: TwinState, phoneNumber: string, friendlyName?: string): IncomingPhoneNumberJson {
  const existing = findNumber(state, phoneNumber);
  if (existing) return existing;
  const sid = newSid(SidPrefix.phoneNumber);
  const now = rfc2822(state.now());
  const json: IncomingPhoneNumberJson = {
    account_sid: state.accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: now,
    date_updated: now,
    friendly_name: friendlyName ?? formatNumber(phoneNumber),
    identity_sid: null,
    phone_number: phoneNumber,
    origin: 'twilio',
    sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `${accountPath(state)}/IncomingPhoneNumbers/${sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: '',
    voice_method: 'POST',
    voice_url: '',
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
  };
  state.numbers.set(sid, { json });
  return json;
}

export function findNumber(state: TwinState, phoneNumber: string): IncomingPhoneNumberJson | undefined {
  for (const { json } of state.numbers.values()) if (json.phone_number === phoneNumber) return json;
  return undefined;
}

// ---- Calls ------------------------------------------------------------------------------------

export interface NewCall {
  to: string;
  from: string;
  direction?: 'inbound' | 'outbound-api' | 'outbound-dial';
  parentCallSid?: string | null;
  instructions?: Partial<CallInstructions>;
  /** REST-created calls: the estimated wait in the account's call queue (ms). */
  queueTimeMs?: number;
}

export function createCall(state: TwinState, input: NewCall): CallRecord {
  const sid = newSid(SidPrefix.call);
  const now = rfc2822(state.now());
  const base = `${accountPath(state)}/Calls/${sid}`;
  const sub = (name: string) => `${base}/${name}.json`;
  const owned = findNumber(state, input.direction === 'inbound' ? input.to : input.from);
  const record: CallRecord = {
    json: {
      account_sid: state.accountSid,
      answered_by: null,
      api_version: API_VERSION,
      caller_name: null,
      date_created: now,
      date_updated: now,
      direction: input.direction ?? 'outbound-api',
      duration: null,
      end_time: null,
      forwarded_from: null,
      from: input.from,
      from_formatted: formatNumber(input.from),
      group_sid: null,
      parent_call_sid: input.parentCallSid ?? null,
      phone_number_sid: owned?.sid ?? null,
      price: null,
      price_unit: 'USD',
      sid,
      start_time: null,
      status: 'queued',
      subresource_uris: {
        notifications: sub('Notifications'),
        recordings: sub('Recordings'),
        payments: sub('Payments'),
        events: sub('Events'),
        siprec: sub('Siprec'),
        streams: sub('Streams'),
        transcriptions: sub('Transcriptions'),
        user_defined_message_subscriptions: sub('UserDefinedMessageSubscriptions'),
        user_defined_messages: sub('UserDefinedMessages'),
      },
      to: input.to,
      to_formatted: formatNumber(input.to),
      trunk_sid: null,
      uri: `${base}.json`,
      queue_time: String(input.queueTimeMs ?? 0),
    },
    instructions: {
      method: 'POST',
      fallbackMethod: 'POST',
      statusCallbackMethod: 'POST',
      statusCallbackEvents: ['completed'],
      timeout: 60,
      ...input.instructions,
    },
  };
  state.calls.set(sid, record);
  state.events.emit('call.created', record);
  return record;
}

export function isEnded(status: CallStatus): boolean {
  return ENDED_CALL_STATUSES.includes(status);
}

/** Move a call to a new status, stamping start/end times; ending a participant's call removes it from its room. */
export function setCallStatus(state: TwinState, call: CallRecord, status: CallStatus): void {
  if (call.json.status === status) return;
  const now = state.now();
  call.json.status = status;
  call.json.date_updated = rfc2822(now);
  if (status === 'in-progress' && !call.json.start_time) {
    call.json.start_time = rfc2822(now);
    call.answeredAtMs = now.getTime();
  }
  if (isEnded(status)) {
    call.json.end_time = rfc2822(now);
    const started = call.answeredAtMs ?? (call.json.start_time ? Date.parse(call.json.start_time) : undefined);
    call.json.duration = String(started === undefined ? 0 : Math.max(0, Math.round((now.getTime() - started) / 1000)));
  }
  state.events.emit('call.updated', { call, changed: ['status'] });
  if (isEnded(status) && call.instructions.conferenceSid) {
    const conf = state.conferences.get(call.instructions.conferenceSid);
    const participant = conf?.participants.get(call.json.sid);
    if (conf && participant) removeParticipant(state, conf.json.sid, participant, 'last-participant-left');
  }
}

// ---- Conferences and participants -------------------------------------------------------------

/** The active (not completed) room with this friendly name, created in `init` if there is none. */
export function ensureConference(state: TwinState, friendlyName: string): ConferenceJson {
  for (const c of state.conferences.values()) {
    if (c.json.friendly_name === friendlyName && c.json.status !== 'completed') return c.json;
  }
  const sid = newSid(SidPrefix.conference);
  const now = rfc2822(state.now());
  const base = `${accountPath(state)}/Conferences/${sid}`;
  const json: ConferenceJson = {
    account_sid: state.accountSid,
    api_version: API_VERSION,
    date_created: now,
    date_updated: now,
    friendly_name: friendlyName,
    region: 'us1',
    sid,
    status: 'init',
    subresource_uris: { participants: `${base}/Participants.json`, recordings: `${base}/Recordings.json` },
    uri: `${base}.json`,
    reason_conference_ended: null,
    call_sid_ending_conference: null,
  };
  state.conferences.set(sid, { json, participants: new Map() });
  state.events.emit('conference.created', json);
  return json;
}

export interface NewParticipant {
  to: string;
  from: string;
  label?: string | undefined;
  muted?: boolean | undefined;
  hold?: boolean | undefined;
  coaching?: boolean | undefined;
  callSidToCoach?: string | undefined;
  startConferenceOnEnter?: boolean | undefined;
  endConferenceOnExit?: boolean | undefined;
  options?: Partial<ParticipantOptions>;
  instructions?: Partial<CallInstructions>;
  /** The participant's call: its estimated wait in the account's call queue (ms). */
  queueTimeMs?: number;
}

export function addParticipant(
  state: TwinState,
  conferenceSid: string,
  input: NewParticipant,
): { participant: ParticipantRecord; call: CallRecord } {
  const conf = state.conferences.get(conferenceSid);
  if (!conf) throw new Error(`no conference ${conferenceSid}`);
  const call = createCall(state, {
    to: input.to,
    from: input.from,
    direction: 'outbound-api',
    instructions: { ...input.instructions, conferenceSid },
    ...(input.queueTimeMs !== undefined ? { queueTimeMs: input.queueTimeMs } : {}),
  });
  const now = rfc2822(state.now());
  const participant: ParticipantRecord = {
    json: {
      account_sid: state.accountSid,
      call_sid: call.json.sid,
      label: input.label ?? null,
      call_sid_to_coach: input.callSidToCoach ?? null,
      coaching: input.coaching ?? false,
      conference_sid: conferenceSid,
      date_created: now,
      date_updated: now,
      end_conference_on_exit: input.endConferenceOnExit ?? false,
      muted: input.muted ?? false,
      hold: input.hold ?? false,
      start_conference_on_enter: input.startConferenceOnEnter ?? true,
      status: 'queued',
      queue_time: null,
      uri: `${accountPath(state)}/Conferences/${conferenceSid}/Participants/${call.json.sid}.json`,
    },
    options: { conferenceStatusCallbackEvents: [], ...input.options },
  };
  conf.participants.set(call.json.sid, participant);
  state.events.emit('participant.created', { conference: conf.json, participant, call });
  return { participant, call };
}

export function findParticipant(
  state: TwinState,
  conferenceSid: string,
  callSidOrLabel: string,
): ParticipantRecord | undefined {
  const conf = state.conferences.get(conferenceSid);
  if (!conf) return undefined;
  return conf.participants.get(callSidOrLabel) ?? [...conf.participants.values()].find((p) => p.json.label === callSidOrLabel);
}

/** Take a participant out of its room; an emptied room (or an end-on-exit leg leaving) ends it. */
export function removeParticipant(
  state: TwinState,
  conferenceSid: string,
  participant: ParticipantRecord,
  reason: 'last-participant-left' | 'last-participant-kicked',
): void {
  const conf = state.conferences.get(conferenceSid);
  if (!conf || !conf.participants.delete(participant.json.call_sid)) return;
  // endConferenceOnExit applies to a leg that was in the room, not to one that never answered.
  const wasIn = participant.json.status === 'connected';
  participant.json.status = 'complete';
  state.events.emit('participant.removed', { conference: conf.json, participant });
  const call = state.calls.get(participant.json.call_sid);
  if (call && call.instructions.conferenceSid === conferenceSid) call.instructions.conferenceSid = undefined;
  if (call && !isEnded(call.json.status) && !participant.options.callContinues) {
    setCallStatus(state, call, call.json.status === 'in-progress' ? 'completed' : 'canceled');
  }
  if (conf.json.status === 'completed') return;
  if (participant.json.end_conference_on_exit && wasIn) {
    const kicked = reason === 'last-participant-kicked';
    endConference(
      state,
      conferenceSid,
      kicked ? 'participant-with-end-conference-on-exit-kicked' : 'participant-with-end-conference-on-exit-left',
      participant.json.call_sid,
    );
  } else if (conf.participants.size === 0) {
    endConference(state, conferenceSid, reason, participant.json.call_sid);
  }
}

/** An existing call enters a room through TwiML (<Dial><Conference>): it is connected at once. */
export function joinConference(
  state: TwinState,
  conferenceSid: string,
  call: CallRecord,
  input: Omit<NewParticipant, 'to' | 'from' | 'instructions'>,
): ParticipantRecord {
  const conf = state.conferences.get(conferenceSid);
  if (!conf) throw new Error(`no conference ${conferenceSid}`);
  const now = rfc2822(state.now());
  const participant: ParticipantRecord = {
    json: {
      account_sid: state.accountSid,
      call_sid: call.json.sid,
      label: input.label ?? null,
      call_sid_to_coach: null,
      coaching: false,
      conference_sid: conferenceSid,
      date_created: now,
      date_updated: now,
      end_conference_on_exit: input.endConferenceOnExit ?? false,
      muted: input.muted ?? false,
      hold: false,
      start_conference_on_enter: input.startConferenceOnEnter ?? true,
      status: 'connected',
      queue_time: null,
      uri: `${accountPath(state)}/Conferences/${conferenceSid}/Participants/${call.json.sid}.json`,
    },
    options: { conferenceStatusCallbackEvents: [], ...input.options, callContinues: true },
  };
  call.instructions.conferenceSid = conferenceSid;
  conf.participants.set(call.json.sid, participant);
  state.events.emit('participant.created', { conference: conf.json, participant, call });
  return participant;
}

/** A room in `init` goes live. */
export function startConference(state: TwinState, conferenceSid: string): void {
  const conf = state.conferences.get(conferenceSid);
  if (!conf || conf.json.status !== 'init') return;
  conf.json.status = 'in-progress';
  conf.json.date_updated = rfc2822(state.now());
  state.events.emit('conference.updated', conf.json);
}

export function endConference(state: TwinState, conferenceSid: string, reason: string, endingCallSid: string | null): void {
  const conf = state.conferences.get(conferenceSid);
  if (!conf || conf.json.status === 'completed') return;
  conf.json.status = 'completed';
  conf.json.reason_conference_ended = reason;
  conf.json.call_sid_ending_conference = endingCallSid;
  conf.json.date_updated = rfc2822(state.now());
  for (const p of [...conf.participants.values()]) removeParticipant(state, conferenceSid, p, 'last-participant-kicked');
  state.events.emit('conference.updated', conf.json);
}

// ---- Messages ---------------------------------------------------------------------------------

export interface NewMessage {
  to: string;
  from: string | null;
  body: string;
  messagingServiceSid?: string | undefined;
  direction?: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
}

export function createMessage(state: TwinState, input: NewMessage): MessageJson {
  const sid = newSid(SidPrefix.message);
  const now = rfc2822(state.now());
  const base = `${accountPath(state)}/Messages/${sid}`;
  const json: MessageJson = {
    account_sid: state.accountSid,
    api_version: API_VERSION,
    body: input.body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: input.direction ?? 'outbound-api',
    error_code: null,
    error_message: null,
    from: input.from,
    messaging_service_sid: input.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(input.body.length / 160))),
    price: null,
    price_unit: 'USD',
    sid,
    status: 'queued',
    subresource_uris: { media: `${base}/Media.json` },
    to: input.to,
    uri: `${base}.json`,
  };
  state.messages.set(sid, { json });
  state.events.emit('message.created', json);
  return json;
}
