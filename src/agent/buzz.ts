// The buzz: what the agent does with each webhook. The visitor is answered at once with ONE
// <Dial> that rings every tenant in parallel (<Number url> per tenant: Dial legs are not limited by
// the account's calls per second, REST-created calls are). Each tenant who picks up hears a
// one-key menu while still being screened; a voicemail presses nothing, is screened out, and the
// others keep ringing. 1 or 9 accepts: Twilio bridges that tenant and hangs up the rest, and the
// agent moves the tenant's leg on (REST) so the visitor's <Dial> action decides what the visitor
// gets next: a per-buzz room to talk in, or the door digits (<Play digits>) on the visitor's call.
// While talking, * takes the tenant out of the room (<Dial hangupOnStar>) to a menu where 9 opens
// the door: the agent knows who opened it (door.ts). Every wait of the visitor is bounded in its
// TwiML.
import type { EntryCode, Tenant } from '../config/schema.js';
import type { HueBridge } from '../hue/bridge.js';
import {
  dialNumber,
  emptyResponse,
  gatherDigit,
  hangup,
  joinRoom,
  MAX_DIAL_NUMBERS,
  pauseThenRedirect,
  playLoop,
  ringNumbers,
  roomForCall,
  sayAndHangup,
  sayPlayHangup,
  sendDoorDigits,
} from '../twiml/index.js';
import { Buzz, BuzzRegistry, isTerminalCallStatus, type TenantLeg } from './buzz-state.js';
import { Door } from './door.js';
import { EntryCodeGuard, matchEntryCode } from './entry-codes.js';
import { maskNumber, type AgentLogger } from './logger.js';
import { MAX_BUZZ, MAX_CODE_TRIES, MAX_HOLDS, MAX_TALK, MESSAGES } from './messages.js';
import { errorText, Notifier } from './notify.js';
import type { AgentRest } from './rest.js';
import type { CheckWindow } from '../check/window.js';
import type { AgentClock, WorkTracker } from './runtime.js';
import type { AgentSettings } from './settings.js';
import type { PublicUrl } from './signature.js';

/** Modes the household can switch while the agent runs (read on every buzz). */
export interface BuzzModes {
  /** A buzz before this instant opens the door at once (homephone buzzer open-for). */
  openUntil?: Date | undefined;
  entryCodes: readonly EntryCode[];
}

export interface AgentRequest {
  /** The path below the public URL ('/', '/tenant', …). */
  route: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** performance.now() when the request arrived. */
  arrivedAt: number;
}

export interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
}

export { MESSAGES } from './messages.js';

/** Times the REST update moving a tenant's leg is tried (the same TwiML: safe to repeat). */
const MOVE_TRIES = 3;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const xml = (body: string): Reply => ({ status: 200, type: 'text/xml; charset=utf-8', body });

export interface BuzzDeps {
  settings: AgentSettings;
  url: PublicUrl;
  rest: AgentRest;
  hue?: HueBridge | undefined;
  clock: AgentClock;
  log: AgentLogger;
  /** REST work after an answer: counted, so tests and shutdown can wait for it. */
  work: WorkTracker;
  /** Hue flashes: counted apart (a hung bridge must not hold a test's virtual time). */
  background: WorkTracker;
  modes: () => BuzzModes;
  /** Buzzes remembered at most (default 500). */
  maxBuzzes?: number | undefined;
}

export class BuzzHandlers {
  readonly buzzes: BuzzRegistry;
  /** Wrong entry codes across buzzes (journalled with the buzzes). */
  readonly entryGuard = new EntryCodeGuard();
  private readonly notify: Notifier;

  private readonly door: Door;

  constructor(private readonly d: BuzzDeps) {
    this.notify = new Notifier(d.rest, d.settings.buzzerNumber, d.settings.timeZone, d.log);
    this.buzzes = new BuzzRegistry(d.maxBuzzes);
    this.door = new Door({
      ...d,
      notify: this.notify,
      to: (path, buzz, leg, extra) => this.to(path, buzz, leg, extra),
      reoffer: (buzz) => void this.startRinging(buzz, performance.now()),
    });
  }

  get notifier(): Notifier {
    return this.notify;
  }

  private to(path: string, buzz: Buzz, leg?: TenantLeg, extra = ''): string {
    return this.d.url.to(`${path}?buzz=${buzz.callSid}${leg ? `&t=${leg.index}` : ''}${extra}`);
  }

  // ---- The enterphone's call ------------------------------------------------------------------

  /**
   * The buzzer number's voice webhook: the enterphone's call is answered synchronously (Hue flashes
   * after). Any other caller is refused, unless `homephone check` opened a check window for exactly
   * that number (check/window.ts): only then is the window read, so a buzz never waits on it.
   */
  voice(req: AgentRequest): Reply | Promise<Reply> {
    const { CallSid: sid = '', From: from = '' } = req.params;
    const { settings, log } = this.d;
    const reject = (reason: string): Reply => {
      log.warn('buzz.rejected', { call: sid, from: maskNumber(from), reason });
      return xml(sayAndHangup({ message: MESSAGES.rejected }));
    };
    if (!CALL_SID.test(sid)) return reject('not a call');
    if (from !== settings.enterphoneNumber) {
      return this.d.rest.checkWindow && from ? this.checkBuzz(req, sid, from, reject) : reject('not the enterphone');
    }
    return this.acceptBuzz(req, sid);
  }

  /** A call from a number that is not the enterphone: a check buzz inside the window, else refused. */
  private async checkBuzz(req: AgentRequest, sid: string, from: string, reject: (reason: string) => Reply): Promise<Reply> {
    const { log, rest } = this.d;
    let window: CheckWindow | null = null;
    try {
      window = (await rest.checkWindow?.()) ?? null;
    } catch (err) {
      log.warn('check.window-unreadable', { error: errorText(err) });
    }
    const now = this.d.clock.now();
    if (!window || window.tester !== from || window.expires.getTime() <= now.getTime()) return reject('not the enterphone');
    log.info('buzz.check', { call: sid, from: maskNumber(from), ringPeople: window.ringPeople, until: window.expires.toISOString() });
    if (rest.recordCheckAnswer) this.d.work.later(() => rest.recordCheckAnswer!(sid, now));
    // --ring-people: the tester's call is a real buzz, tenants and lights included.
    if (window.ringPeople) return this.acceptBuzz(req, sid);
    return xml(sayPlayHangup({ message: MESSAGES.checkGreeting, audioUrl: this.d.url.to('/ringback.wav') }));
  }

  /** The enterphone's call (or a --ring-people check buzz): a buzz. */
  private acceptBuzz(req: AgentRequest, sid: string): Reply {
    const { settings, log } = this.d;
    const existing = this.buzzes.get(sid);
    if (existing) return xml(this.visitorAgain(existing)); // Twilio retried the webhook
    const now = this.d.clock.now();
    const buzz = this.buzzes.add(new Buzz(sid, roomForCall('bz', sid), now, 'entry'));
    log.info('buzz.received', { buzz: sid });
    const modes = this.d.modes();
    if (modes.openUntil && modes.openUntil.getTime() > now.getTime()) {
      buzz.claim('opened');
      buzz.openedBy = 'the delivery window';
      buzz.door = 'opened';
      log.info('buzz.opened', { buzz: sid, by: 'delivery window', until: modes.openUntil.toISOString() });
      this.d.work.later(() => this.notify.opened(settings.tenants, now, 'the delivery window (homephone buzzer open-for)', sid));
      return xml(this.doorFinal());
    }
    if (modes.entryCodes.length && this.codesAllowed(buzz)) return xml(this.entryPrompt(buzz, false));
    return xml(this.startRinging(buzz, req.arrivedAt));
  }

  /** No code typed (or too many wrong ones): ring the tenants. */
  ring(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    if (buzz.phase === 'entry') {
      this.entryGuard.giveBack(this.d.settings.enterphoneNumber, buzz.callSid); // chose to ring: no code tried
      return xml(this.startRinging(buzz, req.arrivedAt));
    }
    return xml(this.visitorAgain(buzz));
  }

  /** The visitor typed an entry code. */
  async entry(req: AgentRequest): Promise<Reply> {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz || buzz.phase !== 'entry') return xml(buzz ? this.visitorAgain(buzz) : sayAndHangup({ message: MESSAGES.over.unknown }));
    const from = this.d.settings.enterphoneNumber;
    if (!this.codesAllowed(buzz)) {
      // Codes were locked meanwhile (by another buzz): this one is not even checked.
      this.entryGuard.giveBack(from, buzz.callSid);
      return xml(this.startRinging(buzz, req.arrivedAt));
    }
    const name = await matchEntryCode(req.params.Digits ?? '', this.d.modes().entryCodes);
    if (buzz.phase !== 'entry') return xml(this.visitorAgain(buzz));
    if (name !== undefined) {
      this.entryGuard.giveBack(from, buzz.callSid);
      buzz.claim('opened');
      buzz.openedBy = `entry code "${name}"`;
      buzz.door = 'opened';
      this.d.log.info('buzz.opened', { buzz: buzz.callSid, by: 'entry code', name });
      const at = this.d.clock.now();
      this.d.work.later(() => this.notify.opened(this.d.settings.tenants, at, `entry code "${name}"`, buzz.callSid));
      return xml(this.doorFinal());
    }
    this.entryGuard.wrong(from, this.d.clock.now(), buzz.callSid);
    buzz.codeTries += 1;
    this.d.log.warn('buzz.entry-code-wrong', { buzz: buzz.callSid, tries: buzz.codeTries });
    if (buzz.codeTries < MAX_CODE_TRIES && this.codesAllowed(buzz)) return xml(this.entryPrompt(buzz, true));
    return xml(this.startRinging(buzz, req.arrivedAt));
  }

  /** Whether this buzz may be offered the code prompt; the call that locks codes texts the tenants. */
  private codesAllowed(buzz: Buzz): boolean {
    const now = this.d.clock.now();
    const { allowed, locked, until } = this.entryGuard.check(this.d.settings.enterphoneNumber, now, buzz.callSid);
    if (locked) {
      const { tenants } = this.d.settings;
      const limit = this.entryGuard.limit;
      this.d.log.warn('entry-codes.locked', { buzz: buzz.callSid, until: until.toISOString(), wrong: limit });
      this.d.work.later(() =>
        this.notify.text(
          tenants,
          `Entry codes are off until ${this.notify.time(until)}: ${limit} wrong codes were tried at the front door. Buzzes ring you meanwhile.`,
          'entry-codes-locked',
          buzz.callSid,
        ),
      );
    }
    return allowed;
  }

  /** The waiting visitor's ringback (a conference waitUrl: only Play is used). */
  ringback(): Reply {
    return xml(playLoop({ url: this.d.url.to('/ringback.wav'), loop: 0 }));
  }

  private startRinging(buzz: Buzz, arrivedAt: number): string {
    const { settings, log } = this.d;
    buzz.phase = 'ringing';
    buzz.winner = undefined;
    buzz.ringingSince ??= this.d.clock.now();
    buzz.talker = 'joining';
    // The configuration allows at most 10 tenants, which is what one <Dial> can ring.
    buzz.legs = settings.tenants.slice(0, MAX_DIAL_NUMBERS).map((tenant, index) => ({
      index,
      tenant,
      status: 'queued',
      answered: false,
    }));
    if (this.d.hue && buzz.reoffers === 0) this.d.background.later(() => this.flash(buzz));
    const twiml = this.ringTwiml(buzz);
    log.info('buzz.ringing', {
      buzz: buzz.callSid,
      tenants: buzz.legs.length,
      again: buzz.reoffers > 0,
      answerMs: Math.round((performance.now() - arrivedAt) * 100) / 100,
    });
    return twiml;
  }

  /** Every tenant at once from the visitor's own call: one <Dial>, one screened <Number> each. */
  private ringTwiml(buzz: Buzz, legs: readonly TenantLeg[] = buzz.legs, timeout = this.d.settings.ringTimeout): string {
    return ringNumbers({
      action: this.to('/dialed', buzz),
      callerId: this.d.settings.buzzerNumber, // the tenants see the buzzer's number, as before
      timeout,
      targets: legs.map((leg) => ({
        number: leg.tenant.number,
        screenUrl: this.to('/tenant', buzz, leg),
        statusCallback: this.to('/status', buzz, leg),
        statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'],
      })),
    });
  }

  /** The visitor in the buzz's room, talking (or about to): bounded by MAX_TALK. */
  private visitorRoom(buzz: Buzz): string {
    return joinRoom({
      room: buzz.room,
      waitUrl: this.d.url.to('/ringback'),
      waitMethod: 'POST',
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: false,
      statusCallback: this.to('/conference', buzz),
      statusCallbackEvents: ['join', 'leave', 'end'],
      dial: { action: this.to('/visitor/after', buzz), timeLimit: Math.max(1, Math.min(MAX_TALK, MAX_BUZZ - this.elapsed(buzz))) },
    });
  }

  /** Seconds since the buzz arrived (the agent's clock). */
  private elapsed(buzz: Buzz): number {
    return Math.round((this.d.clock.now().getTime() - buzz.at.getTime()) / 1000);
  }

  /** The talking tenant in the room; * leaves it for the star menu (the agent hears the key). */
  private tenantRoom(buzz: Buzz, leg: TenantLeg): string {
    return joinRoom({
      room: buzz.room,
      waitUrl: '',
      startConferenceOnEnter: true,
      endConferenceOnExit: true,
      beep: false,
      statusCallback: this.to('/conference', buzz),
      statusCallbackEvents: ['join', 'leave', 'end'],
      dial: { action: this.to('/tenant/star', buzz, leg), hangupOnStar: true, timeLimit: MAX_TALK },
    });
  }

  /** The same call asks again (a retried webhook, a late redirect): answer for where it is now. */
  private visitorAgain(buzz: Buzz): string {
    if (buzz.phase === 'ringing') return this.ringTwiml(buzz);
    if (buzz.phase === 'talking') return this.visitorRoom(buzz);
    if (buzz.phase === 'entry') return this.entryPrompt(buzz, false);
    if (buzz.phase === 'opened') return this.doorFinal();
    return sayAndHangup({ message: MESSAGES.missedVisitor });
  }

  private entryPrompt(buzz: Buzz, again: boolean): string {
    this.entryGuard.prompted(this.d.settings.enterphoneNumber, this.d.clock.now(), buzz.callSid);
    return gatherDigit({
      prompt: again ? `${MESSAGES.entryWrong} ${MESSAGES.entryPrompt}` : MESSAGES.entryPrompt,
      action: this.to('/entry', buzz),
      numDigits: 8,
      finishOnKey: '#',
      timeout: 5,
      onNoInput: { redirectUrl: this.to('/ring', buzz) },
    });
  }

  /** The door for a delivery window or an entry code: digits, a word, hang up. */
  private doorFinal(): string {
    return sendDoorDigits({ digits: this.d.settings.doorDigits, leadingWaits: 2, message: MESSAGES.doorOpenedVisitor, hangup: true });
  }

  private async flash(buzz: Buzz): Promise<void> {
    const result = await this.d.hue!.flash(this.d.settings.hueLights);
    if (result.ok) this.d.log.info('hue.flashed', { buzz: buzz.callSid, lights: result.lights });
    else this.d.log.warn('hue.flash-failed', { buzz: buzz.callSid, error: result.error.message });
  }

  // ---- The tenants, while they are screened -----------------------------------------------------

  /** A tenant picked up (<Number url>): the menu. A voicemail hears it too, and presses nothing. */
  tenant(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    leg.answered = true;
    if (!buzz.ringing) return xml(this.over(buzz));
    this.d.log.info('tenant.answered', { buzz: buzz.callSid, tenant: leg.tenant.name });
    return xml(this.menu(buzz, leg, MESSAGES.tenantPrompt));
  }

  /** The tenant pressed a key while screened. 1 or 9 accepts the call: Twilio bridges it. */
  tenantAnswer(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    const digit = (req.params.Digits ?? '').slice(0, 1);
    if (digit === '1' && buzz.claim('talking', leg.index)) {
      this.d.log.info('buzz.answered', { buzz: buzz.callSid, tenant: leg.tenant.name });
      this.d.work.later(() => this.moveTenant(buzz, leg, this.tenantRoom(buzz, leg)));
      return xml(emptyResponse()); // screening done: Twilio connects this leg, hangs up the others
    }
    if (digit === '9' && buzz.claim('opened', leg.index)) {
      buzz.openedBy = leg.tenant.name;
      this.d.log.info('buzz.door-requested', { buzz: buzz.callSid, tenant: leg.tenant.name, from: 'menu' });
      this.d.work.later(() => this.moveTenant(buzz, leg, this.door.tenantWaits(buzz, leg, 0)));
      return xml(emptyResponse());
    }
    if (!buzz.ringing) return xml(this.over(buzz));
    return xml(this.menu(buzz, leg, MESSAGES.tenantRepeat));
  }

  /**
   * Takes the accepted tenant's leg out of the bridge with new TwiML; the visitor's <Dial> then
   * ends and its action (/dialed) decides what the visitor gets. The same TwiML is safe to send
   * again, so failures are retried; if the leg can't be moved, a door request goes straight to
   * the visitor's call instead (which ends the bridge too).
   */
  private async moveTenant(buzz: Buzz, leg: TenantLeg, twiml: string): Promise<void> {
    const { rest, log } = this.d;
    let lastError = '';
    for (let attempt = 1; attempt <= MOVE_TRIES && leg.callSid; attempt++) {
      try {
        await rest.updateCall(leg.callSid, { twiml });
        return;
      } catch (err) {
        lastError = errorText(err);
        if ((err as { code?: number }).code === 21220) break; // the tenant's call is over
      }
    }
    log.error('tenant.move-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, error: lastError || 'no call SID' });
    buzz.moveFailed = true;
    if (buzz.phase === 'opened' && buzz.door === 'idle') {
      // The door request ends the bridge and with it the tenant's call: the text will tell them.
      buzz.textOpener = true;
      await this.door.request(buzz);
    }
  }

  private menu(buzz: Buzz, leg: TenantLeg, prompt: string): string {
    return gatherDigit({
      prompt,
      action: this.to('/tenant/answer', buzz, leg),
      timeout: 6,
      repeat: 2,
      onNoInput: { message: 'Goodbye.' },
    });
  }

  private over(buzz: Buzz): string {
    const p = buzz.phase;
    const message = p === 'talking' || p === 'opened' || p === 'missed' || p === 'gone' ? MESSAGES.over[p] : MESSAGES.over.unknown;
    return sayAndHangup({ message });
  }

  private legOf(req: AgentRequest): { buzz: Buzz; leg: TenantLeg } | undefined {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    const leg = buzz?.leg(Number(req.query.get('t') ?? -1));
    if (!buzz || !leg) return undefined;
    if (req.params.CallSid && CALL_SID.test(req.params.CallSid)) leg.callSid = req.params.CallSid;
    return { buzz, leg };
  }

  // ---- The visitor after the ringing ------------------------------------------------------------

  /** The visitor's ringing <Dial> ended: a tenant accepted, or nobody did, or the visitor left. */
  dialed(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const status = req.params.DialCallStatus ?? '';
    if (isTerminalCallStatus(req.params.CallStatus ?? '')) {
      buzz.visitorGone = true;
      if (buzz.claim('gone')) {
        this.d.log.info('buzz.abandoned', { buzz: buzz.callSid });
        this.d.work.later(() => this.notify.missed(this.d.settings.tenants, buzz.at, buzz.callSid, 'the visitor hung up'));
      }
      return xml(emptyResponse());
    }
    if (buzz.ringing) {
      const again = this.ringAgain(buzz);
      if (again) return xml(again);
      return xml(this.missed(buzz, status === 'completed' ? 'no tenant accepted' : `no tenant accepted (${status || 'no status'})`));
    }
    if (buzz.phase === 'talking' && buzz.moveFailed) {
      // They stayed connected directly, and that bridge has ended: the tenant hung up.
      this.d.log.info('buzz.ended', { buzz: buzz.callSid, tenant: buzz.winnerLeg?.tenant.name, reason: 'the tenant hung up' });
      return xml(sayAndHangup({ message: MESSAGES.talkerGoneVisitor }));
    }
    if (buzz.phase === 'talking') return xml(this.visitorRoom(buzz));
    if (buzz.phase === 'opened' && buzz.door === 'idle') return xml(this.door.serve(buzz, 'dial action'));
    // A door request on the visitor's call is under way (or was lost): ask again in a second.
    if (buzz.phase === 'opened' && buzz.door !== 'opened' && buzz.door !== 'served') return xml(this.hold(buzz, false));
    return xml(hangup());
  }

  /**
   * The <Dial> ended with nobody accepting while some tenants' phones were stopped before they
   * could pick up (Twilio may hang the others up as soon as one leg, say a voicemail, picks up:
   * TWIN-FIDELITY.md, Unconfirmed). While ring time is left, those tenants are rung again.
   */
  private ringAgain(buzz: Buzz): string | undefined {
    const stopped = buzz.legs.filter((l) => l.status === 'canceled' && !l.answered);
    const since = buzz.ringingSince ?? buzz.at;
    const left = this.d.settings.ringTimeout - Math.round((this.d.clock.now().getTime() - since.getTime()) / 1000);
    if (!stopped.length || left < 5) return undefined;
    for (const leg of stopped) {
      leg.status = 'queued';
      leg.callSid = undefined;
    }
    this.d.log.info('buzz.ringing-again', { buzz: buzz.callSid, tenants: stopped.map((l) => l.tenant.name), seconds: left });
    return this.ringTwiml(buzz, stopped, Math.min(600, left));
  }

  /** The visitor left the room (the room ended, or the time limit), or asks again while on hold. */
  visitorAfter(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    if (isTerminalCallStatus(req.params.CallStatus ?? '')) {
      buzz.visitorGone = true;
      this.d.log.info('buzz.visitor-left', { buzz: buzz.callSid, phase: buzz.phase });
      return xml(emptyResponse());
    }
    // A hold request proves a failed door request did not take effect (a call running the door
    // TwiML makes none): serve the door in this answer. Other requests prove nothing: Twilio also
    // requests a <Dial> action when a REST update moves the call on (and ignores the answer).
    const isHold = req.query.get('hold') === '1';
    if (buzz.door === 'unknown' && isHold) return xml(this.door.serve(buzz, 'hold request'));
    if (this.elapsed(buzz) >= MAX_BUZZ || buzz.holds >= MAX_HOLDS) {
      this.d.log.warn('buzz.hold-too-long', { buzz: buzz.callSid, phase: buzz.phase, holds: buzz.holds });
      return xml(sayAndHangup({ message: MESSAGES.holdTooLongVisitor }));
    }
    // The door is on its way (a request in flight or taken, its digits served): wait for it.
    if (buzz.door === 'unknown' || buzz.door === 'requesting' || buzz.door === 'applied' || buzz.door === 'served') {
      return xml(this.hold(buzz, false));
    }
    // The room ended: the talking tenant left it (* or a hang-up), whatever callbacks said so far.
    if (!isHold && buzz.talker === 'room') buzz.talker = 'left';
    if (buzz.phase === 'ringing') return xml(this.ringTwiml(buzz)); // offered again
    if (buzz.phase !== 'talking') return xml(hangup());
    if (buzz.talker === 'gone') {
      this.d.log.info('buzz.ended', { buzz: buzz.callSid, tenant: buzz.winnerLeg?.tenant.name, reason: 'the tenant hung up' });
      return xml(sayAndHangup({ message: MESSAGES.talkerGoneVisitor }));
    }
    if (buzz.talker === 'room' || buzz.talker === 'joining') return xml(this.visitorRoom(buzz));
    return xml(this.hold(buzz, buzz.holds === 0));
  }

  /** One second of silence, then the visitor's call asks again: every wait is its own request. */
  private hold(buzz: Buzz, first: boolean): string {
    buzz.holds += 1;
    return pauseThenRedirect({ ...(first ? { message: MESSAGES.holdVisitor } : {}), seconds: 1, url: this.to('/visitor/after', buzz, undefined, '&hold=1') });
  }

  // ---- Talking, then opening --------------------------------------------------------------------

  /** The talking tenant's <Dial> ended: * pressed, the room ended, the time limit, or a hang-up. */
  async tenantStar(req: AgentRequest): Promise<Reply> {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    if (isTerminalCallStatus(req.params.CallStatus ?? '')) {
      this.talkerGone(buzz, leg);
      return xml(emptyResponse());
    }
    if (buzz.door === 'opened') return xml(sayAndHangup({ message: MESSAGES.doorOpenedTenant }));
    if (buzz.visitorGone || (await this.door.visitorLeft(buzz))) {
      buzz.talker = 'gone';
      return xml(sayAndHangup({ message: MESSAGES.visitorGoneTenant }));
    }
    buzz.talker = 'menu';
    return xml(this.starMenu(buzz, leg));
  }

  private starMenu(buzz: Buzz, leg: TenantLeg): string {
    return gatherDigit({
      prompt: MESSAGES.starMenu,
      action: this.to('/tenant/star/answer', buzz, leg),
      timeout: 6,
      onNoInput: { redirectUrl: this.to('/tenant/star/answer', buzz, leg) },
    });
  }

  /** At the star menu: 9 opens the door, anything else (or nothing) goes back to the visitor. */
  tenantStarAnswer(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    if (buzz.door === 'opened') return xml(sayAndHangup({ message: MESSAGES.doorOpenedTenant }));
    if (buzz.visitorGone) return xml(sayAndHangup({ message: MESSAGES.visitorGoneTenant }));
    if (buzz.phase !== 'talking' || buzz.winner !== leg.index) return xml(this.over(buzz));
    if ((req.params.Digits ?? '').startsWith('9')) {
      if (buzz.door === 'idle' || buzz.door === 'failed') {
        buzz.openedBy = leg.tenant.name;
        buzz.door = 'requesting';
        buzz.doorFailure = undefined;
        this.d.log.info('buzz.door-requested', { buzz: buzz.callSid, tenant: leg.tenant.name, from: 'talk' });
        this.d.work.later(() => this.door.request(buzz));
      }
      return xml(this.door.tenantWaits(buzz, leg, 0));
    }
    buzz.talker = 'joining';
    return xml(this.tenantRoom(buzz, leg));
  }

  /** The door TwiML came back after its digits: the door was opened. */
  doorDone(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz) return xml(sayAndHangup({ message: MESSAGES.doorOpenedVisitor }));
    return xml(this.door.done(buzz));
  }

  /** The tenant waiting to hear whether the door opened. */
  async tenantDoor(req: AgentRequest): Promise<Reply> {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    return xml(await this.door.tenantAsks(found.buzz, found.leg, Number(req.query.get('n') ?? 1)));
  }

  private talkerGone(buzz: Buzz, leg: TenantLeg): void {
    if (buzz.winner !== leg.index || buzz.talker === 'gone') return;
    buzz.talker = 'gone';
    this.d.log.info('tenant.hung-up', { buzz: buzz.callSid, tenant: leg.tenant.name, phase: buzz.phase });
  }

  // ---- Callbacks ------------------------------------------------------------------------------

  /** A tenant leg's progress (its <Number statusCallback>). */
  status(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(emptyResponse());
    const { buzz, leg } = found;
    const status = req.params.CallStatus ?? '';
    if (status === 'in-progress') leg.answered = true;
    if (!isTerminalCallStatus(leg.status) && status) leg.status = status === 'initiated' ? 'queued' : status;
    if (status === 'ringing') this.d.log.info('tenant.ringing', { buzz: buzz.callSid, tenant: leg.tenant.name, call: leg.callSid });
    if (isTerminalCallStatus(status)) {
        this.d.log.info('tenant.call-over', { buzz: buzz.callSid, tenant: leg.tenant.name, status });
      if (buzz.phase === 'talking') this.talkerGone(buzz, leg);
    }
    return xml(emptyResponse());
  }

  /** The buzz's room: who is in it. */
  conference(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    if (!buzz) return xml(emptyResponse());
    const event = req.params.StatusCallbackEvent ?? '';
    const sid = req.params.CallSid;
    const talker = buzz.winnerLeg;
    if (talker && sid && sid === talker.callSid) {
      if (event === 'participant-join' && buzz.talker !== 'gone') buzz.talker = 'room';
      if (event === 'participant-leave' && buzz.talker === 'room') buzz.talker = 'left';
    }
    if (event === 'conference-end' && buzz.phase === 'talking') {
      this.d.log.info('buzz.room-ended', { buzz: buzz.callSid, tenant: talker?.tenant.name });
    }
    return xml(emptyResponse());
  }

  // ---- Nobody answered ------------------------------------------------------------------------

  /** Nobody accepted: the visitor hears a message or is forwarded (in this very answer). */
  private missed(buzz: Buzz, reason: string): string {
    const { settings, log } = this.d;
    buzz.claim('missed');
    log.info('buzz.missed', { buzz: buzz.callSid, reason, fallback: settings.fallbackNumber ? 'forward' : 'message' });
    this.d.work.later(() => this.notify.missed(settings.tenants, buzz.at, buzz.callSid));
    return settings.fallbackNumber ? dialNumber({ number: settings.fallbackNumber, timeout: 30 }) : sayAndHangup({ message: MESSAGES.missedVisitor });
  }

  // ---- Restart and shutdown -------------------------------------------------------------------

  /**
   * A buzz read back from the journal after a restart. Nothing to re-arm: every wait of the
   * visitor is bounded in its TwiML, and Twilio's next request about it finds it here.
   */
  resume(buzz: Buzz): void {
    // The same tenant objects as the settings' (a buzz compares tenants by identity).
    for (const leg of buzz.legs) {
      const same = this.d.settings.tenants.find((t) => t.name === leg.tenant.name && t.number === leg.tenant.number);
      if (same) (leg as { tenant: Tenant }).tenant = same;
    }
    this.buzzes.add(buzz);
  }

  /**
   * The agent is stopping: every buzz still at the code prompt or ringing ends now. The visitor's
   * call is moved on to a message (which ends its <Dial>, so Twilio hangs up the tenants' legs) and
   * the tenants are texted. A tenant already talking stays connected (Twilio holds that call; the
   * journal lets a restarted agent open the door).
   */
  stop(): Promise<unknown> {
    const { settings, rest, log } = this.d;
    const ending = this.buzzes.all().filter((b) => b.phase === 'entry' || b.phase === 'ringing');
    // A visitor at the code prompt has not tried a code: the stop is not theirs to pay for.
    for (const b of ending) if (b.phase === 'entry') this.entryGuard.giveBack(settings.enterphoneNumber, b.callSid);
    for (const b of ending) b.claim('missed');
    return Promise.all(
      ending.map((buzz) => {
        log.info('buzz.stopped', { buzz: buzz.callSid, reason: 'agent stopping' });
        return Promise.all([
          rest.updateCall(buzz.callSid, { twiml: sayAndHangup({ message: MESSAGES.stoppingVisitor }) }).catch((err: unknown) => {
            if ((err as { code?: number }).code !== 21220) log.error('buzz.visitor-update-failed', { buzz: buzz.callSid, error: errorText(err) });
          }),
          this.notify.missed(settings.tenants, buzz.at, buzz.callSid, 'the buzzer agent was stopping'),
        ]);
      }),
    );
  }

  /** Tenants for the start-up text (seed behaviour: tenant 1). */
  firstTenant(): Tenant | undefined {
    return this.d.settings.tenants[0];
  }
}
