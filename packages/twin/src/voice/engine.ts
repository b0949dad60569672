// The voice engine: drives every call the twin knows about. Inbound calls (placed from outside)
// fetch their number's or SIP domain's voice URL; calls created through REST ring their far ends
// and then run their TwiML or join their room. It listens on state.events, so REST and engine
// agree on every record, and it never waits on the wall clock: only on the virtual scheduler.
import { rfc2822 } from '../clock.js';
import { InvalidCallerIdError, isNetworkCallerId } from '../model/caller-id.js';
import { createCall, findNumber, isEnded, setCallStatus } from '../model/voice.js';
import type { CallInstructions, CallRecord, CallStatus, IncomingPhoneNumberJson, TwinState } from '../state.js';
import type { Scheduler } from './clock.js';
import { ConferenceRooms } from './conference.js';
import type { Inflight } from './inflight.js';
import { Leg, type Source, type WakeReason } from './leg.js';
import { contentMatches, FETCHED_ATTR, isPlayable } from './media-fetch.js';
import { Phones, parseSipUri, VOICEMAIL_HANGUP_AFTER, type PhoneScript, DEFAULT_ANSWER_AFTER, VOICEMAIL_ANSWER_AFTER } from './phones.js';
import type { Params } from './signature.js';
import { Sound } from './sound.js';
import { renderTranscript, Transcript, type CallSummary, type TranscriptEvent } from './transcript.js';
import { parseTwiml, type TwimlNode } from './twiml-parse.js';
import { runVerbs, type Outcome } from './verbs/index.js';
import { Webhooks } from './webhooks.js';
import { deliverInboundSms, type InboundSms, type InboundSmsResult } from './inbound-sms.js';

export interface EngineOptions {
  scheduler: Scheduler;
  inflight: Inflight;
}

export interface PlaceCallInput {
  /** The caller: an E.164 number, or sip:user@domain.sip.twilio.com for a registered device. */
  from: string;
  /** An owned number, or (from a SIP device) what was dialled: +15551234567 or sip:…@domain. */
  to: string;
  /** What the caller does once connected: press digits at given times, hang up after N s. */
  script?: PhoneScript;
}

export interface ScenarioResult {
  callSid: string;
  /** The placed call's final status. */
  status: CallStatus;
  events: TranscriptEvent[];
  calls: CallSummary[];
  text: string;
}

type RingResult = 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export const APPLICATION_ERROR = 'We are sorry, an application error has occurred. Goodbye.';

const STATUS_EVENT: Partial<Record<CallStatus, string>> = { ringing: 'ringing', 'in-progress': 'answered' };

export class VoiceEngine {
  readonly phones: Phones;
  readonly transcript: Transcript;
  readonly webhooks: Webhooks;
  readonly rooms: ConferenceRooms;
  /** Where key tones travel (rooms, bridges, the far end of a leg playing digits). */
  readonly sound: Sound;
  readonly legs = new Map<string, Leg>();
  readonly limits = {
    /** Documents a call may fetch without virtual time moving: a Redirect loop ends here. */
    maxDocsWithoutTime: 100,
    /** Twilio's default call time limit (4 h). */
    callTimeLimit: 14_400,
    /** Calls to own numbers in a row (a number whose app dials itself) before the twin fails the next. */
    maxOwnNumberLoops: 5,
  };
  /**
   * Readings of Twilio behaviour no page settles (TWIN-FIDELITY.md, Unconfirmed), switchable so a
   * product can be tested under each. screenedDial: while one <Number url> leg is screened, the
   * other legs ring on ('others-ring-on', the default) or are hung up when it picks up.
   */
  readonly readings: {
    screenedDial: 'others-ring-on' | 'others-hung-up-on-pickup';
    /**
     * What a call to one of the account's own numbers ends as when that number's app answers
     * <Reject reason="rejected"> ('no-answer', the default: the status the rejected inbound leg
     * itself gets; or 'failed'). <Reject reason="busy"> is 'busy' either way.
     */
    rejectedOwnNumber: 'no-answer' | 'failed';
  } = { screenedDial: 'others-ring-on', rejectedOwnNumber: 'no-answer' };
  private readonly off: Array<() => void> = [];
  private readonly sequence = new Map<string, number>();
  private readonly callbackChains = new Map<string, Promise<unknown>>();

  constructor(
    readonly state: TwinState,
    readonly options: EngineOptions,
  ) {
    this.phones = new Phones(state);
    this.transcript = new Transcript(() => options.scheduler.clock.nowMs());
    this.webhooks = new Webhooks(() => state.credentials.authToken, options.inflight);
    this.rooms = new ConferenceRooms(this);
    this.sound = new Sound(this);
    const ev = state.events;
    this.off.push(
      ev.on('call.created', (call) => this.onCallCreated(call)),
      ev.on('call.updated', ({ call, changed }) => {
        if (changed.includes('status')) this.onStatus(call);
        if (changed.includes('url') || changed.includes('twiml')) this.onNewInstructions(call);
      }),
      ev.on('participant.created', (p) => this.rooms.onParticipantCreated(p.conference.sid, p.participant)),
      ev.on('participant.removed', (p) => this.rooms.onParticipantRemoved(p.conference, p.participant)),
      ev.on('participant.updated', (p) => this.rooms.onParticipantUpdated(p.conference, p.participant)),
      ev.on('conference.updated', (c) => this.rooms.onConferenceUpdated(c)),
      ev.on('message.created', (m) => {
        this.transcript.add(null, 'sms', `${m.from ?? '(messaging service)'} → ${m.to}: ${m.body}`, { sid: m.sid, from: m.from, to: m.to, body: m.body });
      }),
    );
  }

  get scheduler(): Scheduler {
    return this.options.scheduler;
  }

  // ---- Public API ------------------------------------------------------------------------------

  /** Places an inbound call and returns at once; `settle()` runs it to the end. */
  startCall(input: PlaceCallInput): CallRecord {
    const { from, to } = input;
    const sip = parseSipUri(from);
    if (sip) return this.startSipCall(input, sip);
    if (!isNetworkCallerId(from)) throw new InvalidCallerIdError(from);
    const number = findNumber(this.state, to);
    if (!number) throw new Error(`${to} is not a number this twin account owns`);
    const call = this.createEngineCall({
      to,
      from,
      direction: 'inbound',
      instructions: { statusCallback: number.status_callback || undefined, statusCallbackMethod: number.status_callback_method },
    });
    const leg = new Leg(call, input.script ?? {});
    this.legs.set(call.json.sid, leg);
    this.spawn(leg, () =>
      this.runInbound(leg, {
        kind: 'url',
        url: number.voice_url,
        method: number.voice_method,
        fallbackUrl: number.voice_fallback_url || undefined,
        fallbackMethod: number.voice_fallback_method,
      }),
    );
    return call;
  }

  private startSipCall(input: PlaceCallInput, sip: { user: string; host: string }): CallRecord {
    const domain = [...this.state.sipDomains.values()].find((d) => d.json.domain_name.toLowerCase() === sip.host.toLowerCase());
    if (!domain) throw new Error(`${sip.host} is not a SIP domain of this twin account`);
    const host = domain.json.domain_name;
    const to = input.to.startsWith('sip:') ? input.to : `sip:${input.to}@${host}`;
    const from = `sip:${sip.user}@${host}`;
    const call = this.createEngineCall({
      to,
      from,
      direction: 'inbound',
      instructions: {
        statusCallback: (domain.json.voice_status_callback_url as string | null) ?? undefined,
        statusCallbackMethod: String(domain.json.voice_status_callback_method ?? 'POST'),
      },
    });
    const leg = new Leg(call, input.script ?? {});
    leg.extraParams = {
      SipDomain: host,
      SipDomainSid: domain.json.sid,
      SipUsername: sip.user,
      SipCallId: `${call.json.sid.slice(2, 18)}@127.0.0.1`,
      SipSourceIp: '127.0.0.1',
    };
    this.legs.set(call.json.sid, leg);
    const refused = this.phones.authorizeInvite(domain, sip.user);
    if (!refused.ok) {
      // The INVITE is refused before any webhook: the domain's voice URL is never requested.
      this.spawn(leg, async () => {
        this.transcript.add(leg.sid, 'error', `${refused.code} SIP ${refused.sipStatus} Forbidden: ${refused.message}`, { code: refused.code, sipStatus: refused.sipStatus });
        leg.errorCode = refused.code;
        this.endCall(leg, 'failed', `SIP ${refused.sipStatus}`);
      });
      return call;
    }
    this.spawn(leg, () =>
      this.runInbound(leg, {
        kind: 'url',
        url: domain.json.voice_url ?? '',
        method: domain.json.voice_method,
        fallbackUrl: (domain.json.voice_fallback_url as string | null) ?? undefined,
        fallbackMethod: String(domain.json.voice_fallback_method ?? 'POST'),
      }),
    );
    return call;
  }

  /** Places an inbound call, runs the scenario until everything settled, and returns its transcript. */
  async placeCall(input: PlaceCallInput): Promise<ScenarioResult> {
    const mark = this.transcript.events.length;
    const call = this.startCall(input);
    await this.settle();
    return this.result(call.json.sid, this.transcript.since(mark));
  }

  /** A text to one of the account's numbers, delivered to its sms_url (inbound-sms.ts). */
  receiveSms(sms: InboundSms): Promise<InboundSmsResult> {
    return deliverInboundSms(this.state, this.webhooks, sms);
  }

  result(callSid: string, events: TranscriptEvent[]): ScenarioResult {
    const calls = this.callSummaries(events);
    return {
      callSid,
      status: this.state.calls.get(callSid)?.json.status ?? 'completed',
      events,
      calls: [...calls.values()],
      text: renderTranscript(events, calls),
    };
  }

  callSummaries(events: readonly TranscriptEvent[]): Map<string, CallSummary> {
    const calls = new Map<string, CallSummary>();
    for (const e of events) {
      const c = e.callSid ? this.state.calls.get(e.callSid) : undefined;
      if (c && !calls.has(c.json.sid)) calls.set(c.json.sid, { sid: c.json.sid, from: c.json.from, to: c.json.to, direction: c.json.direction });
    }
    return calls;
  }

  /** Runs until no timer is left and nothing is in flight. */
  settle(): Promise<void> {
    return this.scheduler.settle();
  }

  /** Runs what happens within the next `seconds` of virtual time. */
  advance(seconds: number): Promise<void> {
    return this.scheduler.advance(seconds);
  }

  /** Runs `fn` at `seconds` from now in virtual time (e.g. a test's REST call mid-scenario). */
  at(seconds: number, fn: () => unknown): void {
    this.scheduler.after(seconds, () => void this.options.inflight.track(Promise.resolve().then(fn)));
  }

  /** Counts work of an in-process collaborator (an agent awaiting a Hue bridge…) as in flight. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.options.inflight.track(work);
  }

  reset(): void {
    for (const leg of this.legs.values()) leg.cancelTimers();
    this.legs.clear();
    this.phones.clear();
    this.transcript.clear();
    this.webhooks.clearExchanges();
    this.rooms.reset();
  }

  close(): void {
    for (const off of this.off) off();
    for (const leg of this.legs.values()) leg.cancelTimers();
    this.webhooks.close();
  }

  // ---- Calls -----------------------------------------------------------------------------------

  /** Creates a call the engine drives itself (inbound, or a <Dial> leg): REST's listener skips it. */
  createEngineCall(input: Parameters<typeof createCall>[1]): CallRecord {
    return createCall(this.state, input);
  }

  private onCallCreated(call: CallRecord): void {
    if (call.json.direction !== 'outbound-api') return;
    const queueMs = Number(call.json.queue_time ?? 0);
    this.transcript.add(call.json.sid, 'queued', `queued by the REST API for ${call.json.to} (queue_time ${queueMs} ms at ${this.state.account.cps} CPS)`, {
      to: call.json.to,
      queueTimeMs: queueMs,
      dequeueAtMs: call.instructions.dequeueAtMs ?? this.scheduler.clock.nowMs(),
      cps: this.state.account.cps,
    });
    const leg = new Leg(call, {});
    this.legs.set(call.json.sid, leg);
    this.spawn(leg, () => this.runOutbound(leg));
  }

  /** Runs a call's coroutine; an engine bug ends the call with an error event rather than hanging. */
  spawn(leg: Leg, run: () => Promise<unknown>): void {
    queueMicrotask(() => {
      run().catch((e: unknown) => {
        this.transcript.add(leg.sid, 'error', `twin engine error: ${(e as Error).stack ?? String(e)}`, { engine: true });
        this.endCall(leg, 'failed', 'engine error');
      });
    });
  }

  private async runInbound(leg: Leg, source: Source): Promise<void> {
    const c = leg.call.json;
    this.postStatus(leg.call, 'initiated');
    setCallStatus(this.state, leg.call, 'ringing');
    this.transcript.add(leg.sid, 'ringing', `incoming call from ${c.from} to ${c.to}${leg.peer ? ` (placed by call ${leg.peer.sid})` : ''}`, {
      from: c.from,
      to: c.to,
      ...(leg.peer ? { peerCallSid: leg.peer.sid } : {}),
    });
    this.connectFarEnd(leg, leg.script);
    if (!source.kind || (source.kind === 'url' && !source.url)) {
      this.appError(leg, 11100, 'no voice URL is configured for this number or SIP domain');
      return;
    }
    const done = await this.runTwiml(leg, source);
    if (done === 'done') this.endCall(leg, 'completed', 'end of TwiML');
  }

  private async runOutbound(leg: Leg): Promise<void> {
    const ins = leg.call.instructions;
    // The call waits its turn in the account's CPS queue ('queued'); leaving it is 'initiated'.
    while (!leg.ended && ins.dequeueAtMs !== undefined && this.scheduler.clock.nowMs() < ins.dequeueAtMs) {
      await leg.wait(this.scheduler, (ins.dequeueAtMs - this.scheduler.clock.nowMs()) / 1000);
    }
    if (leg.ended) return;
    this.postStatus(leg.call, 'initiated');
    const participant = ins.conferenceSid ? this.rooms.participantOf(leg.sid) : undefined;
    const answered = await this.ring(leg, ins.timeout + (participant ? 5 : 0));
    if (answered !== 'answered') return;
    if (ins.sendDigits) await this.playDigits(leg, ins.sendDigits);
    let first: Source | undefined;
    if (participant && ins.conferenceSid) await this.rooms.runParticipant(leg, ins.conferenceSid, participant);
    else first = sourceOf(leg.call.instructions);
    if (leg.ended) return;
    const done = await this.runTwiml(leg, first);
    if (done === 'done') this.endCall(leg, 'completed', 'end of TwiML');
  }

  /**
   * Rings the far end of an outbound leg until it answers, refuses, or `timeout` seconds pass.
   * The far end's script starts when it answers.
   */
  async ring(leg: Leg, timeout: number): Promise<RingResult> {
    const c = leg.call.json;
    // Placing the call is the scenario's first step: it waits for virtual time to run, so a REST
    // client sees its new call 'queued' until the scenario is played (settle, advance, autoAdvance).
    await leg.wait(this.scheduler, 0);
    if (leg.ended) return 'canceled';
    setCallStatus(this.state, leg.call, 'ringing');
    this.rooms.participantRinging(leg.sid);
    this.transcript.add(leg.sid, 'ringing', `calling ${c.to} from ${c.from}`, { from: c.from, to: c.to });
    // A call to one of the account's own numbers (REST, Participants API or <Dial>) reaches that
    // number like any caller would.
    const own = findNumber(this.state, c.to);
    if (own) return this.ringOwnNumber(leg, own, timeout);
    const far = this.phones.resolve(c.to);
    if (!far.ok) {
      this.transcript.add(leg.sid, 'error', `${far.code} ${far.message}`, { code: far.code });
      leg.errorCode = far.code;
      this.endCall(leg, 'failed', `error ${far.code}`);
      return 'failed';
    }
    const s = far.script;
    leg.script = s;
    const behaviour = s.behaviour ?? 'answer';
    if (behaviour === 'busy' || behaviour === 'fail') {
      await leg.spend(this.scheduler, 1);
      if (leg.ended) return 'canceled';
      this.endCall(leg, behaviour === 'busy' ? 'busy' : 'failed', behaviour === 'busy' ? 'far end busy' : 'far end unreachable');
      return behaviour === 'busy' ? 'busy' : 'failed';
    }
    const answerAfter =
      behaviour === 'no-answer' ? Infinity : (s.answerAfter ?? (behaviour === 'voicemail' ? VOICEMAIL_ANSWER_AFTER : DEFAULT_ANSWER_AFTER));
    const rang = await leg.spend(this.scheduler, Math.min(answerAfter, timeout));
    if (rang !== 'done' || leg.ended) return 'canceled';
    if (answerAfter > timeout) {
      this.endCall(leg, 'no-answer', `no answer after ${timeout}s`);
      return 'no-answer';
    }
    setCallStatus(this.state, leg.call, 'in-progress');
    this.transcript.add(leg.sid, 'answered', behaviour === 'voicemail' ? `${c.to} answered (voicemail)` : `${c.to} answered`, {
      voicemail: behaviour === 'voicemail',
    });
    this.connectFarEnd(leg, s);
    return 'answered';
  }

  /**
   * The call `out` (REST, a participant or a <Dial> leg) dials `number`, one of the account's own:
   * it comes back in as an inbound call on that number (its voice URL or Studio flow runs, From is
   * the calling leg's From) and each leg becomes the other's far end. `out` is answered when the
   * inbound app answers; a <Reject> leaves it busy or unanswered (readings.rejectedOwnNumber).
   */
  private async ringOwnNumber(out: Leg, number: IncomingPhoneNumberJson, timeout: number): Promise<RingResult> {
    const c = out.call.json;
    if (out.loopDepth >= this.limits.maxOwnNumberLoops) {
      // A number that (through its app) dials itself would ring itself forever in no time at all.
      this.transcript.add(out.sid, 'error', `${c.to} was reached ${out.loopDepth} times in a row through the account's own numbers: the twin stops the loop here`, { loop: true, depth: out.loopDepth });
      this.endCall(out, 'failed', 'own-number loop');
      return 'failed';
    }
    const call = this.createEngineCall({
      to: c.to,
      from: c.from,
      direction: 'inbound',
      instructions: { statusCallback: number.status_callback || undefined, statusCallbackMethod: number.status_callback_method },
    });
    const inbound = new Leg(call, {});
    inbound.loopDepth = out.loopDepth + 1;
    inbound.peer = out;
    out.peer = inbound;
    out.script = {};
    this.legs.set(call.json.sid, inbound);
    out.call.instructions.peerCallSid = call.json.sid;
    this.spawn(inbound, () =>
      this.runInbound(inbound, {
        kind: 'url',
        url: number.voice_url,
        method: number.voice_method,
        fallbackUrl: number.voice_fallback_url || undefined,
        fallbackMethod: number.voice_fallback_method,
      }),
    );
    const deadline = this.scheduler.clock.nowMs() + timeout * 1000;
    for (;;) {
      if (out.ended) return 'canceled';
      // Answered the moment the inbound app answered (onPeerStatus), before it says anything.
      if (out.call.json.status === 'in-progress') return 'answered';
      const status = inbound.call.json.status;
      if (isEnded(status)) return this.inboundRefused(out, inbound);
      const left = (deadline - this.scheduler.clock.nowMs()) / 1000;
      if (left <= 0) {
        this.endCall(out, 'no-answer', `no answer after ${timeout}s`);
        return 'no-answer';
      }
      await out.wait(this.scheduler, left);
    }
  }

  /** The inbound app answered: so is the call that placed it. */
  private answeredByOwnNumber(out: Leg, inbound: Leg): void {
    setCallStatus(this.state, out.call, 'in-progress');
    this.transcript.add(out.sid, 'answered', `${out.call.json.to} answered (inbound call ${inbound.sid})`, { peerCallSid: inbound.sid });
    this.connectFarEnd(out, {});
  }

  /** The inbound leg ended before it was answered: what the call that placed it sees. */
  private inboundRefused(out: Leg, inbound: Leg): RingResult {
    const status = inbound.call.json.status;
    const by = `${out.call.json.to} ${inbound.hangupBy ?? status}`;
    if (status === 'busy') {
      this.endCall(out, 'busy', by);
      return 'busy';
    }
    if (status === 'no-answer') {
      const seen = this.readings.rejectedOwnNumber;
      this.endCall(out, seen, by);
      return seen;
    }
    if (status === 'completed') {
      // Any TwiML but a first <Reject> answers the call, even one that only hangs up.
      this.answeredByOwnNumber(out, inbound);
      this.endCall(out, 'completed', `${out.call.json.to} hung up`);
      return 'canceled';
    }
    this.endCall(out, 'failed', by);
    return 'failed';
  }

  /** The far end is connected: its scripted presses and hang-up start counting now. */
  connectFarEnd(leg: Leg, script: PhoneScript): void {
    leg.connectedAt = this.scheduler.clock.nowMs();
    const voicemail = script.behaviour === 'voicemail';
    if (!voicemail) for (const p of script.press ?? []) leg.timers.push(this.scheduler.after(p.at, () => this.pressDigits(leg, p.digits)));
    const hangupAfter = script.hangupAfter ?? (voicemail ? VOICEMAIL_HANGUP_AFTER : undefined);
    if (hangupAfter !== undefined) {
      leg.timers.push(this.scheduler.after(hangupAfter, () => this.endCall(leg, 'completed', 'far end hung up')));
    }
    const limit = leg.call.instructions.timeLimit ?? this.limits.callTimeLimit;
    leg.timers.push(this.scheduler.after(limit, () => this.endCall(leg, 'completed', 'call time limit')));
  }

  /**
   * The far end presses keys: a <Gather> or <Record> listening on this leg takes them; otherwise
   * they travel only as sound, to whoever the leg is connected to (no webhook fires).
   */
  pressDigits(leg: Leg, digits: string, relayedFrom?: Leg): void {
    if (leg.ended) return;
    if (leg.onStar && digits.includes('*')) {
      const endDial = leg.onStar;
      leg.onStar = undefined;
      this.transcript.add(leg.sid, 'digits-sent', `far end pressed ${digits} (* ends <Dial hangupOnStar>)`, { digits, delivered: true, hangupOnStar: true });
      endDial();
      return;
    }
    const g = leg.gather;
    let delivered: string;
    /** Taken by a <Gather> or <Record>: a webhook will follow. Tones heard by others are not. */
    let taken = true;
    let heardBy: Leg[] = [];
    if (g && !g.complete) {
      for (const d of digits) {
        if (g.complete) break;
        if (g.finishOnKey && d === g.finishOnKey) g.complete = true;
        else {
          g.digits += d;
          if (g.numDigits > 0 && g.digits.length >= g.numDigits) g.complete = true;
        }
      }
      delivered = 'to <Gather>';
      leg.wake('digits');
    } else if (leg.recordFinishKeys !== undefined && [...digits].some((d) => leg.recordFinishKeys!.includes(d))) {
      leg.recordFinishedBy = [...digits].find((d) => leg.recordFinishKeys!.includes(d));
      delivered = 'ends <Record>';
      leg.wake('digits');
    } else {
      const spread = this.sound.spread(leg);
      heardBy = spread.heardBy;
      delivered = spread.note;
      taken = false;
    }
    const path = this.rooms.roomOf(leg.sid) ? 'conference' : 'bridge';
    this.transcript.add(leg.sid, 'digits-sent', `${leg.call.json.direction === 'inbound' ? 'caller' : 'far end'} pressed ${digits} (${delivered})`, {
      digits,
      delivered: taken,
      heardBy: heardBy.map((l) => l.sid),
      ...(relayedFrom ? { fromCallSid: relayedFrom.sid, path: 'loopback' } : {}),
    });
    for (const listener of heardBy) this.sound.hear(listener, digits, path, leg);
  }

  /**
   * Twilio plays key tones on a leg (<Play digits>, sendDigits): its far end hears each key as its
   * tone ends; 'w' waits half a second, 'W' a second.
   */
  async playDigits(leg: Leg, digits: string, stopOn: readonly WakeReason[] = []): Promise<'done' | WakeReason> {
    this.transcript.add(leg.sid, 'play', `digits ${digits}`, { digits });
    for (const key of digits) {
      const r = await leg.spend(this.scheduler, digitsDuration(key), stopOn);
      if (r !== 'done') return r;
      if (key !== 'w' && key !== 'W') this.sound.hear(leg, key, 'play', null);
    }
    return 'done';
  }

  /** Ends a call (once); everything else follows from the status change. */
  endCall(leg: Leg, status: CallStatus, by: string): void {
    if (leg.ended || isEnded(leg.call.json.status)) return;
    leg.hangupBy = by;
    setCallStatus(this.state, leg.call, status);
  }

  /** An inbound leg still ringing is answered by the first verb that needs the line. */
  answer(leg: Leg): void {
    if (leg.call.json.status === 'ringing' && leg.call.json.direction === 'inbound') {
      setCallStatus(this.state, leg.call, 'in-progress');
      this.transcript.add(leg.sid, 'answered', 'the twin answered', {});
    }
  }

  private onStatus(call: CallRecord): void {
    const status = call.json.status;
    const event = isEnded(status) ? 'completed' : STATUS_EVENT[status];
    if (event) this.postStatus(call, event);
    const leg = this.legs.get(call.json.sid);
    if (leg?.peer) this.onPeerStatus(leg, leg.peer);
    if (!leg || leg.ended || !isEnded(status)) return;
    leg.ended = true;
    leg.cancelTimers();
    leg.gather = undefined;
    const code = leg.errorCode;
    this.transcript.add(leg.sid, 'hangup', `${status}${leg.hangupBy ? ` (${leg.hangupBy})` : ''}`, {
      status,
      by: leg.hangupBy ?? 'REST API',
      duration: Number(call.json.duration ?? 0),
      ...(code ? { code } : {}),
    });
    leg.wake('ended');
    leg.bridge?.wake('bridge');
  }

  /**
   * One leg of a call to the account's own number changed status. While the calling leg is still
   * ringing, it decides for itself (ringOwnNumber); once both are up, either hanging up ends the
   * other. The calling leg ending first ends the inbound one, answered or not.
   */
  private onPeerStatus(leg: Leg, peer: Leg): void {
    if (peer.ended) return;
    const outbound = leg.call.json.direction !== 'inbound';
    const ringing = (l: Leg) => l.call.json.status === 'queued' || l.call.json.status === 'ringing';
    if (!outbound && ringing(peer)) {
      if (leg.call.json.status === 'in-progress') this.answeredByOwnNumber(peer, leg);
      peer.wake('peer');
      return;
    }
    if (!isEnded(leg.call.json.status)) return;
    this.endCall(peer, ringing(peer) ? 'canceled' : 'completed', outbound ? 'the caller hung up' : 'the other side hung up');
  }

  private onNewInstructions(call: CallRecord): void {
    const leg = this.legs.get(call.json.sid);
    if (!leg || leg.ended || leg.connectedAt === undefined) return; // unanswered calls use them once answered
    const source = sourceOf(call.instructions);
    if (!source) return;
    leg.pendingUpdate = source;
    this.transcript.add(leg.sid, 'redirect', source.kind === 'url' ? `new instructions via REST: ${source.url}` : 'new TwiML via REST', {
      ...(source.kind === 'url' ? { url: source.url } : { twiml: source.twiml }),
    });
    leg.wake('update');
  }

  // ---- Webhooks and callbacks ------------------------------------------------------------------

  /** The parameters of every voice webhook about this call. */
  callParams(leg: Leg | CallRecord): Params {
    const call = leg instanceof Leg ? leg.call : leg;
    const c = call.json;
    const extra = leg instanceof Leg ? leg.extraParams : (this.legs.get(c.sid)?.extraParams ?? {});
    return {
      AccountSid: c.account_sid,
      ApiVersion: '2010-04-01',
      CallSid: c.sid,
      CallStatus: c.status,
      Called: c.to,
      Caller: c.from,
      Direction: c.direction,
      From: c.from,
      To: c.to,
      ...(c.parent_call_sid ? { ParentCallSid: c.parent_call_sid } : {}),
      ...extra,
    };
  }

  /** Posts a call progress event to the call's status callback, in order per call. */
  postStatus(call: CallRecord, event: string): void {
    const ins = call.instructions;
    if (!ins.statusCallback || !ins.statusCallbackEvents.includes(event)) return;
    const seq = this.sequence.get(call.json.sid) ?? 0;
    this.sequence.set(call.json.sid, seq + 1);
    const params: Params = {
      ...this.callParams(call),
      ...(event === 'initiated' ? { CallStatus: 'initiated' } : {}),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(seq),
      Timestamp: rfc2822(this.state.now()),
      ...(event === 'completed' ? { CallDuration: call.json.duration ?? '0', Duration: String(Math.ceil(Number(call.json.duration ?? 0) / 60)) } : {}),
      ...(this.legs.get(call.json.sid)?.errorCode ? { ErrorCode: String(this.legs.get(call.json.sid)!.errorCode) } : {}),
    };
    this.postInOrder(call.json.sid, ins.statusCallback, ins.statusCallbackMethod, params, `status callback (${event})`);
  }

  /** Fire-and-forget callbacks (status, conference events): serialised per key, logged on failure. */
  postInOrder(key: string, url: string, method: string, params: Params, what: string, callSid: string | null = key): void {
    const previous = this.callbackChains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const res = await this.webhooks.send({ url, method, params });
      if (res.status === 0 || res.status >= 400) {
        this.transcript.add(callSid, 'error', `${what} to ${url} failed: ${res.networkError ?? `HTTP ${res.status}`}`, {
          code: res.status === 0 ? 11205 : 11200,
          url,
          method: method.toUpperCase() === 'GET' ? 'GET' : 'POST',
        });
      }
    });
    this.callbackChains.set(key, next);
    void this.options.inflight.track(next);
  }

  /** Fetches a TwiML document for a call. */
  async fetchDocument(
    leg: Leg,
    url: string,
    method: string,
    params: Params = {},
  ): Promise<{ ok: true; verbs: TwimlNode[]; url: string } | { ok: false; code: number; message: string }> {
    const event = this.transcript.add(leg.sid, 'webhook', `${method.toUpperCase()} ${url}`, { url, method });
    const res = await this.webhooks.send({ url, method, params: { ...this.callParams(leg), ...params } });
    event.data.status = res.status;
    if (res.status === 0) return { ok: false, code: 11205, message: `HTTP connection failure: ${res.networkError ?? 'no answer'} (${url})` };
    if (res.status >= 400) return { ok: false, code: 11200, message: `HTTP retrieval failure: ${url} answered ${res.status}` };
    const type = res.contentType.split(';')[0]!.trim().toLowerCase();
    // A document that is itself playable audio plays as it is (already fetched: no second GET).
    if (isPlayable(type)) {
      if (!contentMatches(type, res.raw ?? Buffer.from(res.body, 'utf8'))) return { ok: false, code: 11200, message: `HTTP retrieval failure: ${url} is served as ${type} but its content is not` };
      return { ok: true, url, verbs: [{ name: 'Play', attrs: { [FETCHED_ATTR]: String(res.status) }, children: [], text: url }] };
    }
    if (!['text/xml', 'application/xml', 'text/html'].includes(type)) {
      return { ok: false, code: 12300, message: `invalid Content-Type ${type || '(none)'} from ${url}: TwiML must be XML, or audio` };
    }
    const parsed = parseTwiml(res.body);
    if (!parsed.ok) return { ok: false, code: 12100, message: `document parse failure: ${parsed.error} (${url})` };
    return { ok: true, verbs: parsed.verbs, url };
  }

  /**
   * Runs TwiML documents on a leg until one ends without a next (returns 'done': the caller
   * decides whether that hangs up) or the call is over ('ended'). New REST instructions take
   * over between verbs.
   */
  async runTwiml(leg: Leg, first?: Source): Promise<'done' | 'ended'> {
    let next = first;
    for (;;) {
      if (leg.ended) return 'ended';
      if (leg.pendingUpdate) {
        next = leg.pendingUpdate;
        leg.pendingUpdate = undefined;
      }
      if (!next) return 'done';
      const now = this.scheduler.clock.nowMs();
      if (now !== leg.lastDocAt) {
        leg.lastDocAt = now;
        leg.docsWithoutTime = 0;
      }
      if (++leg.docsWithoutTime > this.limits.maxDocsWithoutTime) {
        await this.appError(leg, 0, `more than ${this.limits.maxDocsWithoutTime} documents in a row without any call time passing (a Redirect loop?)`);
        return 'ended';
      }
      const doc = await this.load(leg, next);
      if (!doc) return 'ended';
      if (leg.interrupted) continue;
      const outcome: Outcome = await runVerbs(this, leg, doc.verbs, doc.url);
      if (outcome.kind === 'next') return 'done';
      next = outcome.kind === 'goto' ? { kind: 'url', url: outcome.url, method: outcome.method, params: outcome.params ?? {} } : undefined;
    }
  }

  private async load(leg: Leg, source: Source): Promise<{ verbs: TwimlNode[]; url: string } | undefined> {
    if (source.kind === 'twiml') {
      const parsed = parseTwiml(source.twiml);
      if (parsed.ok) return { verbs: parsed.verbs, url: source.baseUrl ?? '' };
      await this.appError(leg, 12100, `document parse failure: ${parsed.error}`);
      return undefined;
    }
    const first = await this.fetchDocument(leg, source.url, source.method, source.params);
    if (leg.ended) return undefined;
    if (first.ok) return first;
    this.transcript.add(leg.sid, 'error', `${first.code} ${first.message}`, { code: first.code, url: source.url, method: source.method.toUpperCase() });
    if (source.fallbackUrl) {
      const fallback = await this.fetchDocument(leg, source.fallbackUrl, source.fallbackMethod ?? 'POST', {
        ...source.params,
        ErrorCode: String(first.code),
        ErrorUrl: source.url,
      });
      if (leg.ended) return undefined;
      if (fallback.ok) return fallback;
      this.transcript.add(leg.sid, 'error', `${fallback.code} ${fallback.message}`, {
        code: fallback.code,
        url: source.fallbackUrl,
        method: (source.fallbackMethod ?? 'POST').toUpperCase(),
      });
    }
    await this.appError(leg, first.code, undefined);
    return undefined;
  }

  /** What Twilio does when it cannot get or read the application's TwiML. */
  async appError(leg: Leg, code: number, message: string | undefined): Promise<void> {
    if (message) this.transcript.add(leg.sid, 'error', code ? `${code} ${message}` : message, code ? { code } : {});
    if (leg.ended) return;
    this.answer(leg);
    this.transcript.add(leg.sid, 'say', `"${APPLICATION_ERROR}"`, { text: APPLICATION_ERROR, applicationError: true });
    this.sound.speak(leg, { say: APPLICATION_ERROR });
    await leg.spend(this.scheduler, sayDuration(APPLICATION_ERROR));
    this.endCall(leg, 'completed', 'application error');
  }

  /** Resolves a URL attribute against the document it appears in. */
  resolveUrl(raw: string, base: string): string {
    try {
      return new URL(raw, base || undefined).toString();
    } catch {
      return raw;
    }
  }
}

export function sourceOf(ins: CallInstructions): Source | undefined {
  if (ins.twiml) return { kind: 'twiml', twiml: ins.twiml };
  if (ins.url) return { kind: 'url', url: ins.url, method: ins.method, fallbackUrl: ins.fallbackUrl, fallbackMethod: ins.fallbackMethod };
  return undefined;
}

/** Virtual seconds a <Say> takes: about 2.5 words a second, at least one. */
export function sayDuration(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round((words / 2.5) * 10) / 10);
}

/** <Play digits>: 'w' waits half a second, each tone takes a quarter. */
export function digitsDuration(digits: string): number {
  let s = 0;
  for (const d of digits) s += d === 'w' ? 0.5 : d === 'W' ? 1 : 0.25;
  return s;
}
