// Conference rooms as calls live them: a participant joins, hears the waitUrl until the room
// starts (two or more participants, one of them with startConferenceOnEnter), and stays until it
// leaves, is removed, or the room ends (an endConferenceOnExit participant left). Conference
// status callbacks (start, end, join, leave, mute) go to every subscribed URL. Key presses inside
// a room fire no webhook; they travel as sound to the other participants (sound.ts).
import { rfc2822 } from '../clock.js';
import { ensureConference, joinConference, removeParticipant, startConference } from '../model/voice.js';
import type { ConferenceJson, ParticipantRecord } from '../state.js';
import type { VoiceEngine } from './engine.js';
import { sayDuration } from './engine.js';
import type { Leg } from './leg.js';
import type { Params } from './signature.js';
import { attrBool, attrInt, type TwimlNode } from './twiml-parse.js';
import { leaveReason } from './leave-reason.js';
import { fetchAudio, FETCHED_ATTR, recordAudioFailure } from './media-fetch.js';
import { PLAY_SECONDS } from './verbs/media.js';

interface Subscription {
  url: string;
  method: string;
  events: Set<string>;
}

/** Twilio plays hold music when no waitUrl is given. */
const DEFAULT_WAIT = 'hold music (default waitUrl)';
const MAX_WAIT_DOCUMENTS = 10;

export class ConferenceRooms {
  private subs = new Map<string, Subscription[]>();
  /** Calls connected in each room. */
  private inRoom = new Map<string, Set<string>>();
  private announced = new Map<string, Set<'start' | 'end'>>();
  private muted = new Map<string, boolean>();
  private seq = new Map<string, number>();
  /** Legs put out of a room whose waitUrl failed: for Twilio they were never fully added. */
  private putOutByWaitUrl = new Set<string>();

  constructor(private readonly engine: VoiceEngine) {}

  reset(): void {
    this.subs.clear();
    this.inRoom.clear();
    this.announced.clear();
    this.muted.clear();
    this.seq.clear();
    this.putOutByWaitUrl.clear();
  }

  private get state() {
    return this.engine.state;
  }

  participantOf(callSid: string): ParticipantRecord | undefined {
    const confSid = this.state.calls.get(callSid)?.instructions.conferenceSid;
    return confSid ? this.state.conferences.get(confSid)?.participants.get(callSid) : undefined;
  }

  /** The room this call is connected in, if any. */
  roomOf(callSid: string): string | undefined {
    for (const [confSid, calls] of this.inRoom) if (calls.has(callSid)) return confSid;
    return undefined;
  }

  /** Takes a call out of its room; the call goes on with its TwiML (<Dial hangupOnStar>, timeLimit). */
  leave(leg: Leg): boolean {
    const confSid = this.roomOf(leg.sid);
    const p = confSid ? this.state.conferences.get(confSid)?.participants.get(leg.sid) : undefined;
    if (!confSid || !p) return false;
    p.options.callContinues = true;
    removeParticipant(this.state, confSid, p, 'last-participant-left');
    leg.wake('conference');
    return true;
  }

  /** The calls connected in a room now. */
  membersOf(confSid: string): string[] {
    return [...(this.inRoom.get(confSid) ?? [])];
  }

  participantRinging(callSid: string): void {
    const p = this.participantOf(callSid);
    if (p && (p.json.status === 'queued' || p.json.status === 'connecting')) p.json.status = 'ringing';
  }

  subscribe(confSid: string, url: string, method: string | undefined, events: string[]): void {
    const list = this.subs.get(confSid) ?? [];
    if (list.some((s) => s.url === url)) return;
    list.push({ url, method: (method ?? 'POST').toUpperCase(), events: new Set(events.length ? events : ['start', 'end']) });
    this.subs.set(confSid, list);
  }

  onParticipantCreated(confSid: string, p: ParticipantRecord): void {
    const o = p.options;
    if (o.conferenceStatusCallback) this.subscribe(confSid, o.conferenceStatusCallback, o.conferenceStatusCallbackMethod, o.conferenceStatusCallbackEvents);
    this.muted.set(p.json.call_sid, p.json.muted);
  }

  /** A Participants-API call was answered: it joins and stays until it leaves. */
  async runParticipant(leg: Leg, confSid: string, p: ParticipantRecord): Promise<void> {
    const conf = this.state.conferences.get(confSid);
    if (!conf || conf.json.status === 'completed') {
      this.engine.endCall(leg, 'completed', 'the room had ended');
      return;
    }
    this.enter(leg, confSid, p);
    await this.sit(leg, confSid, p);
  }

  /** <Dial><Conference>: the call joins the room and its TwiML goes on once it leaves. */
  async joinByTwiml(leg: Leg, node: TwimlNode, docUrl: string): Promise<{ result: 'left' | 'stop'; conferenceSid: string }> {
    const conf = ensureConference(this.state, node.text);
    const a = node.attrs;
    if (a.statusCallback) {
      this.subscribe(conf.sid, this.engine.resolveUrl(a.statusCallback, docUrl), a.statusCallbackMethod, (a.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean));
    }
    const waitUrl = a.waitUrl === undefined ? undefined : a.waitUrl === '' ? '' : this.engine.resolveUrl(a.waitUrl, docUrl);
    const p = joinConference(this.state, conf.sid, leg.call, {
      muted: attrBool(node, 'muted', false),
      startConferenceOnEnter: attrBool(node, 'startConferenceOnEnter', true),
      endConferenceOnExit: attrBool(node, 'endConferenceOnExit', false),
      options: { beep: a.beep, waitUrl, waitMethod: a.waitMethod, conferenceStatusCallbackEvents: [] },
    });
    this.muted.set(leg.sid, p.json.muted);
    this.enter(leg, conf.sid, p, a.record);
    return { result: await this.sit(leg, conf.sid, p), conferenceSid: conf.sid };
  }

  private enter(leg: Leg, confSid: string, p: ParticipantRecord, record?: string): void {
    const conf = this.state.conferences.get(confSid)!.json;
    p.json.status = 'connected';
    const calls = this.inRoom.get(confSid) ?? new Set<string>();
    calls.add(leg.sid);
    this.inRoom.set(confSid, calls);
    const flags = [
      p.json.muted ? 'muted' : '',
      p.json.start_conference_on_enter ? '' : 'waits for the room to start',
      p.json.end_conference_on_exit ? 'ends the room on exit' : '',
      record && record !== 'do-not-record' ? `record=${record}` : '',
    ].filter(Boolean);
    this.engine.transcript.add(leg.sid, 'conference-join', `joined room ${conf.friendly_name}${flags.length ? ` (${flags.join(', ')})` : ''}`, {
      room: conf.friendly_name,
      conferenceSid: confSid,
      muted: p.json.muted,
      startConferenceOnEnter: p.json.start_conference_on_enter,
      endConferenceOnExit: p.json.end_conference_on_exit,
    });
    this.post(confSid, 'participant-join', p);
    this.maybeStart(confSid);
  }

  private maybeStart(confSid: string): void {
    const conf = this.state.conferences.get(confSid);
    const calls = this.inRoom.get(confSid);
    if (!conf || conf.json.status !== 'init' || !calls || calls.size < 2) return;
    const starter = [...calls].some((sid) => conf.participants.get(sid)?.json.start_conference_on_enter);
    if (starter) startConference(this.state, confSid);
  }

  /** Stays in the room until the call leaves it; hears the waitUrl while the room waits. */
  private async sit(leg: Leg, confSid: string, p: ParticipantRecord): Promise<'left' | 'stop'> {
    let heardWait = false;
    for (;;) {
      if (leg.ended) return 'stop';
      if (leg.pendingUpdate) {
        // New REST instructions pull the call out of the room; the call goes on.
        if (this.inRoom.get(confSid)?.has(leg.sid)) {
          p.options.callContinues = true;
          removeParticipant(this.state, confSid, p, 'last-participant-left');
        }
        return 'stop';
      }
      if (!this.inRoom.get(confSid)?.has(leg.sid)) return 'left';
      if (this.state.conferences.get(confSid)?.json.status === 'init' && !heardWait) {
        heardWait = true;
        await this.waitMusic(leg, confSid, p);
        continue;
      }
      await leg.wait(this.engine.scheduler, Infinity);
    }
  }

  /** True while the leg is still waiting in a room that has not started. */
  private waiting(leg: Leg, confSid: string): boolean {
    return !leg.interrupted && !!this.inRoom.get(confSid)?.has(leg.sid) && this.state.conferences.get(confSid)?.json.status === 'init';
  }

  /** Spends wait time, stopping as soon as the room starts or the leg leaves. */
  private async hold(leg: Leg, confSid: string, seconds: number): Promise<boolean> {
    const end = this.engine.scheduler.clock.nowMs() + seconds * 1000;
    while (this.waiting(leg, confSid)) {
      const left = (end - this.engine.scheduler.clock.nowMs()) / 1000;
      if (left <= 0) return true;
      await leg.wait(this.engine.scheduler, left);
    }
    return false;
  }

  private async waitMusic(leg: Leg, confSid: string, p: ParticipantRecord): Promise<void> {
    const { waitUrl, waitMethod } = p.options;
    const t = this.engine.transcript;
    if (waitUrl === '') return; // silence
    if (waitUrl === undefined) {
      t.add(leg.sid, 'play', DEFAULT_WAIT, { url: null, wait: true });
      await this.hold(leg, confSid, Infinity);
      return;
    }
    let url = waitUrl;
    let method = (waitMethod ?? 'POST').toUpperCase();
    for (let docs = 0; docs < MAX_WAIT_DOCUMENTS && this.waiting(leg, confSid); docs++) {
      const doc = await this.engine.fetchDocument(leg, url, method, { ConferenceSid: confSid });
      if (!doc.ok) {
        t.add(leg.sid, 'error', `${doc.code} ${doc.message} (waitUrl: the conference is not established)`, { code: doc.code, waitUrl: url });
        this.notEstablished(leg, confSid, p);
        return;
      }
      let redirect: string | undefined;
      for (const verb of doc.verbs) {
        if (!this.waiting(leg, confSid)) return;
        if (verb.name === 'Redirect') {
          redirect = this.engine.resolveUrl(verb.text, doc.url);
          method = (verb.attrs.method ?? 'POST').toUpperCase();
          break;
        }
        const audio = verb.name === 'Play' && !verb.attrs.digits && !verb.attrs[FETCHED_ATTR] ? await fetchAudio(this.engine, leg, verb.text, 'wait') : undefined;
        if (audio && !audio.ok) {
          recordAudioFailure(this.engine, leg, verb.text, audio, 'waitUrl audio: the conference is not established');
          this.notEstablished(leg, confSid, p);
          return;
        }
        if (!this.waiting(leg, confSid)) return;
        const seconds = this.mediaSeconds(leg, verb, audio?.ok ? { status: audio.status, contentType: audio.contentType } : {});
        if (seconds === undefined) {
          t.add(leg.sid, 'error', `13238 <${verb.name}> is not allowed in waitUrl TwiML (only Say, Play, Pause, Redirect)`, { code: 13238 });
          return;
        }
        if (!(await this.hold(leg, confSid, seconds))) return;
      }
      if (!redirect) return;
      url = redirect;
    }
  }

  /**
   * Twilio: "If the request to your waitUrl fails, the Conference will not be fully established":
   * the leg leaves the room; a <Dial><Conference> caller goes on with its TwiML, a Participants-API
   * call ends.
   */
  private notEstablished(leg: Leg, confSid: string, p: ParticipantRecord): void {
    if (leg.ended || !this.inRoom.get(confSid)?.has(leg.sid)) return;
    this.putOutByWaitUrl.add(leg.sid);
    removeParticipant(this.state, confSid, p, 'last-participant-left');
  }

  /** Logs a wait-music verb and gives its duration; undefined for verbs waitUrl TwiML may not use. */
  private mediaSeconds(leg: Leg, verb: TwimlNode, fetched: Record<string, unknown> = {}): number | undefined {
    const t = this.engine.transcript;
    const loop = attrInt(verb, 'loop', 1, 0, 1000) || 1000;
    switch (verb.name) {
      case 'Say':
        t.add(leg.sid, 'say', `"${verb.text}"${loop > 1 ? ` ×${loop === 1000 ? '∞' : loop}` : ''} (waiting)`, { text: verb.text, loop, wait: true });
        return sayDuration(verb.text) * loop;
      case 'Play':
        t.add(leg.sid, 'play', `${verb.text}${loop > 1 ? ` ×${loop === 1000 ? '∞' : loop}` : ''} (waiting)`, { url: verb.text, loop, wait: true, ...fetched });
        return PLAY_SECONDS * loop;
      case 'Pause': {
        const length = attrInt(verb, 'length', 1, 0, 600);
        t.add(leg.sid, 'pause', `${length}s (waiting)`, { length, wait: true });
        return length;
      }
      default:
        return undefined;
    }
  }

  /** Every participant that leaves is announced, also a Participants-API leg that never answered. */
  onParticipantRemoved(conf: ConferenceJson, p: ParticipantRecord): void {
    const joined = !!this.inRoom.get(conf.sid)?.delete(p.json.call_sid);
    const why = leaveReason(conf, p, this.state.calls.get(p.json.call_sid), joined && !this.putOutByWaitUrl.delete(p.json.call_sid));
    if (joined) {
      this.engine.transcript.add(p.json.call_sid, 'conference-leave', `left room ${conf.friendly_name}`, { room: conf.friendly_name, conferenceSid: conf.sid, ...why });
    }
    this.post(conf.sid, 'participant-leave', p, { ...why });
    if (joined) this.engine.legs.get(p.json.call_sid)?.wake('conference');
  }

  onParticipantUpdated(conf: ConferenceJson, p: ParticipantRecord): void {
    const before = this.muted.get(p.json.call_sid);
    this.muted.set(p.json.call_sid, p.json.muted);
    if (before !== undefined && before !== p.json.muted && this.inRoom.get(conf.sid)?.has(p.json.call_sid)) {
      this.post(conf.sid, p.json.muted ? 'participant-mute' : 'participant-unmute', p);
    }
  }

  onConferenceUpdated(conf: ConferenceJson): void {
    const done = this.announced.get(conf.sid) ?? new Set();
    this.announced.set(conf.sid, done);
    const t = this.engine.transcript;
    if (conf.status === 'in-progress' && !done.has('start')) {
      done.add('start');
      t.add(null, 'conference-start', `room ${conf.friendly_name} started`, { room: conf.friendly_name, conferenceSid: conf.sid });
      this.post(conf.sid, 'conference-start');
      for (const sid of this.inRoom.get(conf.sid) ?? []) this.engine.legs.get(sid)?.wake('conference');
    } else if (conf.status === 'completed' && !done.has('end')) {
      done.add('end');
      t.add(conf.call_sid_ending_conference, 'conference-end', `room ${conf.friendly_name} ended (${conf.reason_conference_ended})`, {
        room: conf.friendly_name,
        conferenceSid: conf.sid,
        reason: conf.reason_conference_ended,
      });
      this.post(conf.sid, 'conference-end');
    }
  }

  private post(confSid: string, event: string, p?: ParticipantRecord, extra: Params = {}): void {
    const subs = this.subs.get(confSid);
    if (!subs?.length) return;
    const conf = this.state.conferences.get(confSid)!.json;
    const short = event.replace(/^(conference|participant)-/, '').replace(/^unmute$/, 'mute');
    const seq = this.seq.get(confSid) ?? 0;
    this.seq.set(confSid, seq + 1);
    const params: Params = {
      AccountSid: conf.account_sid,
      ConferenceSid: confSid,
      FriendlyName: conf.friendly_name,
      StatusCallbackEvent: event,
      SequenceNumber: String(seq),
      Timestamp: rfc2822(this.state.now()),
      ...(p
        ? {
            CallSid: p.json.call_sid,
            Muted: String(p.json.muted),
            Hold: String(p.json.hold),
            Coaching: String(p.json.coaching),
            EndConferenceOnExit: String(p.json.end_conference_on_exit),
            StartConferenceOnEnter: String(p.json.start_conference_on_enter),
            ...(p.json.label ? { ParticipantLabel: p.json.label } : {}),
          }
        : {}),
      ...extra,
      ...(event === 'conference-end'
        ? {
            ReasonConferenceEnded: String(conf.reason_conference_ended ?? ''),
            CallSidEndingConference: String(conf.call_sid_ending_conference ?? ''),
          }
        : {}),
    };
    for (const s of subs) {
      if (!s.events.has(short)) continue;
      this.engine.postInOrder(`conference:${confSid}:${s.url}`, s.url, s.method, params, `conference status callback (${event})`, p?.json.call_sid ?? null);
    }
  }
}
