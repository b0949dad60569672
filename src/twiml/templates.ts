// Typed TwiML templates: every TwiML document homephone emits is built here, on the twilio
// package's VoiceResponse (only that module: the whole `twilio` package costs ~150 ms to load).
// Each template validates its input, throws a plain descriptive Error on bad input, and returns
// the XML string.
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import {
  attributeText,
  dialableNumber,
  e164,
  integerIn,
  speechOption,
  spokenText,
  webhookUrl,
} from './text.js';

export type HttpMethod = 'GET' | 'POST';
/** Known voices autocomplete; any other well-formed name ("Polly.Joanna-Neural") is accepted. */
export type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']> | (string & {});
export type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']> | (string & {});
export type ConferenceEvent = NonNullable<VoiceResponse.ConferenceAttributes['statusCallbackEvent']>[number];
type ConferenceBeep = NonNullable<VoiceResponse.ConferenceAttributes['beep']>;

export interface SpeechOptions {
  voice?: SayVoice;
  language?: SayLanguage;
}

type SayParent = Pick<VoiceResponse, 'say'>;

const ROOM_NAME_MAX = 128;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const DOOR_DIGITS = /^[0-9*#wW]+$/;
const FINISH_KEYS = /^[0-9*#]?$/;
const SIP_URI = /^sip:[^\s@]+@[^\s@]+$/;
const CONFERENCE_EVENTS: readonly ConferenceEvent[] = [
  'start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement',
];

function method(value: HttpMethod, what: string): HttpMethod {
  if (value !== 'GET' && value !== 'POST') throw new Error(`${what} must be "GET" or "POST", got ${JSON.stringify(value)}`);
  return value;
}

function sayAttributes(options: SpeechOptions): VoiceResponse.SayAttributes {
  const attributes: VoiceResponse.SayAttributes = {};
  // The twilio types list known voices/languages only; the values were checked by speechOption.
  if (options.voice !== undefined) attributes.voice = speechOption(options.voice, 'voice') as VoiceResponse.SayAttributes['voice'];
  if (options.language !== undefined) {
    attributes.language = speechOption(options.language, 'language') as VoiceResponse.SayAttributes['language'];
  }
  return attributes;
}

function addSay(parent: SayParent, message: string, options: SpeechOptions, what = 'message'): void {
  parent.say(sayAttributes(options), spokenText(message, what));
}

/** Room names are per call; checked so a bad name fails here rather than at Twilio (16003). */
export function validateRoomName(room: string): string {
  if (typeof room !== 'string' || room === '') throw new Error('room name is empty');
  if ([...room].length > ROOM_NAME_MAX) throw new Error(`room name is longer than ${ROOM_NAME_MAX} characters`);
  attributeText(room, 'room name');
  if (room.trim() !== room) throw new Error(`room name ${JSON.stringify(room)} has leading or trailing spaces`);
  return room;
}

/** The room of one call: `hp-<CallSid>` (home phone) or `bz-<CallSid>` (buzzer). Never a shared name. */
export function roomForCall(system: 'hp' | 'bz', callSid: string): string {
  if (system !== 'hp' && system !== 'bz') throw new Error(`room prefix must be "hp" or "bz", got ${JSON.stringify(system)}`);
  if (typeof callSid !== 'string' || !CALL_SID.test(callSid)) {
    throw new Error(`call SID ${JSON.stringify(callSid)} must be "CA" followed by 32 hex digits`);
  }
  return `${system}-${callSid}`;
}

// ---------------------------------------------------------------------------------------------
// Speech

export interface SayOptions extends SpeechOptions {
  message: string;
}

/** `<Say>message</Say>` and nothing else (the call continues with the caller's next TwiML). */
export function say(options: SayOptions): string {
  const response = new VoiceResponse();
  addSay(response, options.message, options);
  return response.toString();
}

/** `<Say>message</Say><Hangup/>`: a polite rejection, the bedtime message, "done". */
export function sayAndHangup(options: SayOptions): string {
  const response = new VoiceResponse();
  addSay(response, options.message, options);
  response.hangup();
  return response.toString();
}

export interface SayThenRedirectOptions extends SayOptions {
  url: string;
  method?: HttpMethod;
}

/** `<Say>message</Say><Redirect>url</Redirect>`: speak, then hand the call to another endpoint. */
export function sayThenRedirect(options: SayThenRedirectOptions): string {
  const response = new VoiceResponse();
  addSay(response, options.message, options);
  const attributes: VoiceResponse.RedirectAttributes = {};
  if (options.method !== undefined) attributes.method = method(options.method, 'method');
  response.redirect(attributes, webhookUrl(options.url, 'redirect url'));
  return response.toString();
}

/** `<Hangup/>`. */
export function hangup(): string {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
}

/** An empty `<Response/>`: acknowledges a status callback without changing the call. */
export function emptyResponse(): string {
  return new VoiceResponse().toString();
}

// ---------------------------------------------------------------------------------------------
// Messaging

/**
 * `<Response><Message>text</Message></Response>`: the answer to an inbound text, which Twilio sends
 * back to the sender from the texted number. No text at all: an empty `<Response/>` (no reply).
 */
export function messageReply(text?: string): string {
  const response = new MessagingResponse();
  if (text !== undefined) response.message(spokenText(text, 'reply'));
  return response.toString();
}

// ---------------------------------------------------------------------------------------------
// Conference rooms

export interface JoinRoomOptions {
  /** Per-call room name, e.g. `hp-<CallSid>`; see roomForCall. */
  room: string;
  /** Ringback/hold TwiML or audio; "" means silence. Only Say/Play/Pause/Redirect are allowed there. */
  waitUrl?: string;
  waitMethod?: HttpMethod;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  /** Listen-only participant (silent monitoring). */
  muted?: boolean;
  beep?: boolean | 'onEnter' | 'onExit';
  statusCallback?: string;
  statusCallbackEvents?: readonly ConferenceEvent[];
  statusCallbackMethod?: HttpMethod;
  /** Call SID of the participant this one whispers to. */
  coach?: string;
  /** true records the room from the start. */
  record?: boolean;
  recordingStatusCallback?: string;
  /** A label to find this participant by later (cancel or remove it). */
  participantLabel?: string;
}

function conferenceAttributes(options: JoinRoomOptions): VoiceResponse.ConferenceAttributes {
  const attributes: VoiceResponse.ConferenceAttributes = {};
  if (options.waitUrl !== undefined) {
    attributes.waitUrl = options.waitUrl === '' ? '' : webhookUrl(options.waitUrl, 'waitUrl');
  }
  if (options.waitMethod !== undefined) attributes.waitMethod = method(options.waitMethod, 'waitMethod');
  for (const flag of ['startConferenceOnEnter', 'endConferenceOnExit', 'muted'] as const) {
    const value = options[flag];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new Error(`${flag} must be true or false`);
    attributes[flag] = value;
  }
  if (options.beep !== undefined) attributes.beep = beepValue(options.beep);
  Object.assign(attributes, statusCallbackAttributes(options));
  if (options.coach !== undefined) {
    if (!CALL_SID.test(options.coach)) throw new Error(`coach ${JSON.stringify(options.coach)} must be a call SID (CA + 32 hex digits)`);
    attributes.coach = options.coach;
  }
  if (options.record !== undefined) attributes.record = options.record ? 'record-from-start' : 'do-not-record';
  if (options.recordingStatusCallback !== undefined) {
    attributes.recordingStatusCallback = webhookUrl(options.recordingStatusCallback, 'recordingStatusCallback');
  }
  if (options.participantLabel !== undefined) {
    const label = attributeText(options.participantLabel, 'participantLabel');
    if (label === '' || [...label].length > ROOM_NAME_MAX) {
      throw new Error(`participantLabel must be 1 to ${ROOM_NAME_MAX} characters`);
    }
    attributes.participantLabel = label;
  }
  return attributes;
}

function beepValue(beep: boolean | 'onEnter' | 'onExit'): ConferenceBeep {
  if (beep === true || beep === false) return beep ? 'true' : 'false';
  if (beep === 'onEnter' || beep === 'onExit') return beep;
  throw new Error(`beep must be true, false, "onEnter" or "onExit", got ${JSON.stringify(beep)}`);
}

function statusCallbackAttributes(options: JoinRoomOptions): VoiceResponse.ConferenceAttributes {
  const attributes: VoiceResponse.ConferenceAttributes = {};
  const { statusCallback, statusCallbackEvents, statusCallbackMethod } = options;
  if (statusCallback === undefined) {
    if (statusCallbackEvents !== undefined || statusCallbackMethod !== undefined) {
      throw new Error('statusCallbackEvents and statusCallbackMethod need a statusCallback URL');
    }
    return attributes;
  }
  attributes.statusCallback = webhookUrl(statusCallback, 'statusCallback');
  if (statusCallbackEvents !== undefined) {
    const unknown = statusCallbackEvents.filter((e) => !CONFERENCE_EVENTS.includes(e));
    if (statusCallbackEvents.length === 0 || unknown.length > 0) {
      throw new Error(`statusCallbackEvents must be a non-empty list of ${CONFERENCE_EVENTS.join(', ')}`);
    }
    // Twilio wants one space-separated list; twilio's attValue joins arrays with spaces.
    attributes.statusCallbackEvent = [...new Set(statusCallbackEvents)];
  }
  if (statusCallbackMethod !== undefined) attributes.statusCallbackMethod = method(statusCallbackMethod, 'statusCallbackMethod');
  return attributes;
}

export interface RoomDialOptions {
  /** Where Twilio goes when this leg leaves the room (the room ended, `*` pressed, time limit). */
  action?: string;
  /** `*` takes this leg out of the room to the action URL (the calling party only). */
  hangupOnStar?: boolean;
  /** Seconds this leg may stay in the room at most (bounds a wait whatever else fails). */
  timeLimit?: number;
}

/** `<Dial><Conference ...>room</Conference></Dial>`: puts this call leg in a per-call room. */
export function joinRoom(options: JoinRoomOptions & { dial?: RoomDialOptions }): string {
  const room = validateRoomName(options.room);
  const response = new VoiceResponse();
  const attributes: VoiceResponse.DialAttributes = {};
  const d = options.dial ?? {};
  if (d.action !== undefined) attributes.action = webhookUrl(d.action, 'action');
  if (d.hangupOnStar !== undefined) {
    if (typeof d.hangupOnStar !== 'boolean') throw new Error('hangupOnStar must be true or false');
    attributes.hangupOnStar = d.hangupOnStar;
  }
  if (d.timeLimit !== undefined) attributes.timeLimit = integerIn(d.timeLimit, 1, 14_400, 'timeLimit (seconds)');
  response.dial(attributes).conference(conferenceAttributes(options), room);
  return response.toString();
}

// ---------------------------------------------------------------------------------------------
// Dialling

interface DialCommon {
  /** E.164 caller ID shown to the callee (the home number). */
  callerId?: string;
  /** Seconds to ring before giving up (5-600). */
  timeout?: number;
  /** Where Twilio posts the outcome (DialCallStatus) when the dialled leg ends. */
  action?: string;
  /** Keep the caller hearing ringback until the callee answers. */
  answerOnBridge?: boolean;
}

function dialAttributes(options: DialCommon): VoiceResponse.DialAttributes {
  const attributes: VoiceResponse.DialAttributes = {};
  if (options.action !== undefined) attributes.action = webhookUrl(options.action, 'action');
  if (options.answerOnBridge !== undefined) {
    if (typeof options.answerOnBridge !== 'boolean') throw new Error('answerOnBridge must be true or false');
    attributes.answerOnBridge = options.answerOnBridge;
  }
  if (options.callerId !== undefined) attributes.callerId = e164(options.callerId, 'callerId');
  if (options.timeout !== undefined) attributes.timeout = integerIn(options.timeout, 5, 600, 'dial timeout (seconds)');
  return attributes;
}

export interface DialNumberOptions extends DialCommon {
  /** E.164, or an emergency short code (2-6 digits) which is always connected directly. */
  number: string;
  /** TwiML run on the callee's leg after answer and before bridging (call screening). */
  screenUrl?: string;
}

/** `<Dial ...><Number>+1555…</Number></Dial>`. */
export function dialNumber(options: DialNumberOptions): string {
  const number = dialableNumber(options.number, 'number');
  const numberAttributes: VoiceResponse.NumberAttributes = {};
  if (options.screenUrl !== undefined) numberAttributes.url = webhookUrl(options.screenUrl, 'screenUrl');
  const response = new VoiceResponse();
  response.dial(dialAttributes(options)).number(numberAttributes, number);
  return response.toString();
}

export interface RingTarget {
  number: string;
  /** Screening TwiML run on this leg after it answers, before it is connected (`<Number url>`). */
  screenUrl: string;
  statusCallback?: string;
  statusCallbackEvents?: ReadonlyArray<'initiated' | 'ringing' | 'answered' | 'completed'>;
}

/** Twilio rings at most this many `<Number>` nouns from one `<Dial>`. */
export const MAX_DIAL_NUMBERS = 10;

/**
 * One `<Dial>` ringing up to 10 numbers at once (Twilio's limit), each screened by its own URL:
 * `<Dial action timeout><Number url statusCallback…>+1…</Number>…</Dial>`. Dial legs are not
 * limited by the account's calls per second, unlike calls created through the REST API.
 */
export function ringNumbers(options: DialCommon & { targets: readonly RingTarget[] }): string {
  const { targets } = options;
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > MAX_DIAL_NUMBERS) {
    throw new Error(`a <Dial> rings 1 to ${MAX_DIAL_NUMBERS} numbers`);
  }
  const response = new VoiceResponse();
  const dial = response.dial(dialAttributes(options));
  for (const t of targets) {
    const attributes: VoiceResponse.NumberAttributes = { url: webhookUrl(t.screenUrl, 'screenUrl'), method: 'POST' };
    if (t.statusCallback !== undefined) {
      attributes.statusCallback = webhookUrl(t.statusCallback, 'statusCallback');
      attributes.statusCallbackMethod = 'POST';
      if (t.statusCallbackEvents?.length) attributes.statusCallbackEvent = [...t.statusCallbackEvents];
    }
    dial.number(attributes, dialableNumber(t.number, 'number'));
  }
  return response.toString();
}

/** `<Say>message</Say>`? `<Pause length/>` `<Redirect>url</Redirect>`: hold, then ask again. */
export function pauseThenRedirect(options: SpeechOptions & { message?: string; seconds: number; url: string }): string {
  const response = new VoiceResponse();
  if (options.message !== undefined) addSay(response, options.message, options);
  response.pause({ length: integerIn(options.seconds, 1, 60, 'pause (seconds)') });
  response.redirect({ method: 'POST' }, webhookUrl(options.url, 'redirect url'));
  return response.toString();
}

export interface DialSipOptions extends DialCommon {
  /** `sip:user@domain`, e.g. `sip:home@family.sip.twilio.com`. */
  uri: string;
}

/** `<Dial ...><Sip>sip:…</Sip></Dial>`: rings the SIP phone directly. */
export function dialSip(options: DialSipOptions): string {
  const uri = attributeText(options.uri, 'SIP URI');
  if (!SIP_URI.test(uri)) throw new Error(`SIP URI ${JSON.stringify(uri)} must look like sip:user@domain`);
  const response = new VoiceResponse();
  response.dial(dialAttributes(options)).sip(uri);
  return response.toString();
}

// ---------------------------------------------------------------------------------------------
// Menus and DTMF

export interface GatherDigitOptions extends SpeechOptions {
  prompt: string;
  /** Receives `Digits` when the caller presses keys. */
  action: string;
  method?: HttpMethod;
  /** Seconds to wait for a key after the prompt (1-60). */
  timeout?: number;
  /** Keys to collect (1-20); default 1. */
  numDigits?: number;
  /** Key that ends input early, or "" for none. */
  finishOnKey?: string;
  /** How many times to ask before falling through (1-10); default 1. */
  repeat?: number;
  /** What happens when nobody presses a key: say a message, then redirect or (default) hang up. */
  onNoInput?: { message?: string; redirectUrl?: string; redirectMethod?: HttpMethod };
}

function gatherAttributes(options: GatherDigitOptions): VoiceResponse.GatherAttributes {
  const attributes: VoiceResponse.GatherAttributes = {
    numDigits: integerIn(options.numDigits ?? 1, 1, 20, 'numDigits'),
    action: webhookUrl(options.action, 'action'),
  };
  if (options.method !== undefined) attributes.method = method(options.method, 'method');
  if (options.timeout !== undefined) attributes.timeout = integerIn(options.timeout, 1, 60, 'gather timeout (seconds)');
  if (options.finishOnKey !== undefined) {
    if (typeof options.finishOnKey !== 'string' || !FINISH_KEYS.test(options.finishOnKey)) {
      throw new Error(`finishOnKey must be one of 0-9, * or #, or "" for none; got ${JSON.stringify(options.finishOnKey)}`);
    }
    attributes.finishOnKey = options.finishOnKey;
  }
  return attributes;
}

/**
 * `<Gather numDigits="1" action=…><Say>prompt</Say></Gather>`, repeated `repeat` times, then the
 * fall-through for no input (Twilio continues with the next verb when a Gather times out).
 * A voicemail cannot press a key, so by default the fall-through hangs up.
 */
export function gatherDigit(options: GatherDigitOptions): string {
  const attributes = gatherAttributes(options);
  const repeat = integerIn(options.repeat ?? 1, 1, 10, 'repeat');
  const prompt = spokenText(options.prompt, 'prompt');
  const sayOptions = sayAttributes(options);
  const response = new VoiceResponse();
  for (let i = 0; i < repeat; i++) response.gather(attributes).say(sayOptions, prompt);
  const noInput = options.onNoInput ?? {};
  if (noInput.message !== undefined) addSay(response, noInput.message, options, 'no-input message');
  if (noInput.redirectUrl !== undefined) {
    const redirect: VoiceResponse.RedirectAttributes = {};
    if (noInput.redirectMethod !== undefined) redirect.method = method(noInput.redirectMethod, 'redirectMethod');
    response.redirect(redirect, webhookUrl(noInput.redirectUrl, 'no-input redirect url'));
  } else {
    response.hangup();
  }
  return response.toString();
}

export interface SendDoorDigitsOptions extends SpeechOptions {
  /** DTMF to send: 0-9 * #, and w/W for 0.5 s / 1 s pauses. */
  digits: string;
  /** Half-second waits before the digits, so the enterphone is listening (default 2). */
  leadingWaits?: number;
  /** Said after the digits, e.g. "The door is open." */
  message?: string;
  /** Hang up after the digits (and message). */
  hangup?: boolean;
  /** Instead: go on to this URL once the digits were played (the app learns they were). */
  thenRedirect?: string;
}

/** `<Play digits="ww9"/>` for the enterphone leg, optionally followed by a Say and a Hangup. */
export function sendDoorDigits(options: SendDoorDigitsOptions): string {
  const digits = options.digits;
  if (typeof digits !== 'string' || !DOOR_DIGITS.test(digits) || !/[0-9*#]/.test(digits) || digits.length > 32) {
    throw new Error(`door digits ${JSON.stringify(digits)} must be 1-32 of 0-9, *, #, w, W with at least one key`);
  }
  const waits = 'w'.repeat(integerIn(options.leadingWaits ?? 2, 0, 20, 'leadingWaits'));
  const response = new VoiceResponse();
  response.play({ digits: waits + digits });
  if (options.message !== undefined) addSay(response, options.message, options);
  if (options.thenRedirect !== undefined) response.redirect({ method: 'POST' }, webhookUrl(options.thenRedirect, 'redirect url'));
  else if (options.hangup === true) response.hangup();
  return response.toString();
}

// ---------------------------------------------------------------------------------------------
// Wait music

export interface SayPlayHangupOptions extends SayOptions {
  /** Audio played once after the message. */
  audioUrl: string;
}

/** `<Say>message</Say><Play>audio</Play><Hangup/>`: the buzzer agent's answer to a check buzz. */
export function sayPlayHangup(options: SayPlayHangupOptions): string {
  const response = new VoiceResponse();
  addSay(response, options.message, options);
  response.play({}, webhookUrl(options.audioUrl, 'audio url'));
  response.hangup();
  return response.toString();
}

export interface PlayLoopOptions {
  url: string;
  /** 0 loops until the call leaves the room; otherwise 1-1000 plays. */
  loop: number;
}

/** `<Play loop="0">url</Play>`: ringback for a conference waitUrl (only Say/Play/Pause/Redirect allowed there). */
export function playLoop(options: PlayLoopOptions): string {
  const url = webhookUrl(options.url, 'audio url');
  const response = new VoiceResponse();
  response.play({ loop: integerIn(options.loop, 0, 1000, 'loop') }, url);
  return response.toString();
}
