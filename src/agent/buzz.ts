// The buzz: what the agent does with each webhook. The visitor is answered at once; everything
// slow (Hue, Twilio's REST API, texts) happens after the answer has gone out. Tenants are called
// through the REST API, each hearing a one-key menu: 1 talks (joins the visitor's room), 9 opens
// the door (the agent plays the door digits on the enterphone's own call). A voicemail presses
// nothing, so it can never win; the first 1 or 9 claims the buzz and the other calls are ended.
import type { EntryCode, Tenant } from '../config/schema.js';
import type { HueBridge } from '../hue/bridge.js';
import {
  dialNumber,
  emptyResponse,
  gatherDigit,
  joinRoom,
  playLoop,
  roomForCall,
  sayAndHangup,
  sendDoorDigits,
} from '../twiml/index.js';
import { Buzz, BuzzRegistry, isTerminalCallStatus, type TenantLeg } from './buzz-state.js';
import { EntryCodeGuard, matchEntryCode } from './entry-codes.js';
import { maskNumber, type AgentLogger } from './logger.js';
import { errorText, Notifier } from './notify.js';
import type { AgentRest } from './rest.js';
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

export const MESSAGES = {
  rejected: 'Sorry, this number only takes calls from the front door. Goodbye.',
  tenantPrompt: 'Someone is at the front door. Press 1 to talk, press 9 to open the door.',
  tenantRepeat: 'Press 1 to talk to the visitor, or 9 to open the door.',
  doorOpenedTenant: 'The door is open. Goodbye.',
  doorFailedTenant: 'Sorry, the door could not be opened. The visitor may have hung up. Goodbye.',
  doorOpenedVisitor: 'The door is open. Please come in.',
  missedVisitor: 'Nobody is answering. Please try again later. Goodbye.',
  stoppingVisitor: 'Sorry, the door system is restarting. Please buzz again in a minute. Goodbye.',
  entryPrompt: 'Enter your entry code, then press pound. Or stay on the line to ring the apartment.',
  entryWrong: 'That code is not right.',
  over: {
    talking: 'Someone else has answered the door. Goodbye.',
    opened: 'The door has already been opened. Goodbye.',
    missed: 'The visitor could not wait. Goodbye.',
    gone: 'The visitor has hung up. Goodbye.',
    unknown: 'This buzz is over. Goodbye.',
  },
} as const;

/** Seconds a tenant who picked up may still press a key after the ring timeout (once per buzz). */
export const PROMPT_GRACE = 15;
/** Wrong entry codes before the tenants are rung instead. */
export const MAX_CODE_TRIES = 3;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const STAND_IN_SID = `CA${'0'.repeat(31)}f`;
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
  private roomTemplate: string | undefined;

  constructor(private readonly d: BuzzDeps) {
    this.notify = new Notifier(d.rest, d.settings.buzzerNumber, d.settings.timeZone, d.log);
    this.buzzes = new BuzzRegistry(d.maxBuzzes);
  }

  get notifier(): Notifier {
    return this.notify;
  }

  // ---- The enterphone's call ------------------------------------------------------------------

  /** The buzzer number's voice webhook: answers synchronously; the fan-out runs after. */
  voice(req: AgentRequest): Reply {
    const { CallSid: sid = '', From: from = '' } = req.params;
    const { settings, log } = this.d;
    if (from !== settings.enterphoneNumber || !CALL_SID.test(sid)) {
      log.warn('buzz.rejected', { call: sid, from: maskNumber(from), reason: 'not the enterphone' });
      return xml(sayAndHangup({ message: MESSAGES.rejected }));
    }
    const existing = this.buzzes.get(sid);
    if (existing) return xml(this.visitorAgain(existing)); // Twilio retried the webhook
    const now = this.d.clock.now();
    const buzz = this.buzzes.add(new Buzz(sid, roomForCall('bz', sid), now, 'entry'));
    log.info('buzz.received', { buzz: sid });
    const modes = this.d.modes();
    if (modes.openUntil && modes.openUntil.getTime() > now.getTime()) {
      buzz.claim('opened');
      buzz.openedBy = 'the delivery window';
      log.info('buzz.opened', { buzz: sid, by: 'delivery window', until: modes.openUntil.toISOString() });
      this.d.work.later(() => this.notify.opened(settings.tenants, now, 'the delivery window (homephone buzzer open-for)', sid));
      return xml(this.doorTwiml());
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
      this.d.log.info('buzz.opened', { buzz: buzz.callSid, by: 'entry code', name });
      const at = this.d.clock.now();
      this.d.work.later(() => this.notify.opened(this.d.settings.tenants, at, `entry code "${name}"`, buzz.callSid));
      return xml(this.doorTwiml());
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
    const { settings } = this.d;
    buzz.phase = 'ringing';
    buzz.legs = settings.tenants.map((tenant, index) => ({
      index,
      tenant,
      status: 'creating',
      answered: false,
      prompting: false,
      cancelling: false,
    }));
    buzz.creating = buzz.legs.length;
    buzz.ringsUntil = new Date(this.d.clock.now().getTime() + settings.ringTimeout * 1000);
    buzz.ringTimer = this.d.clock.after(settings.ringTimeout, () => this.onRingDeadline(buzz));
    if (this.d.hue) this.d.background.later(() => this.flash(buzz));
    this.d.work.later(() => this.callTenants(buzz, arrivedAt));
    return this.visitorRoom(buzz);
  }

  /**
   * The visitor's TwiML. Built once by the typed template for a stand-in CallSid, then the real
   * one (checked: CA + 32 hex digits, nothing to escape) is put in its place: the hot path does not
   * build XML.
   */
  private visitorRoom(buzz: Buzz): string {
    this.roomTemplate ??= joinRoom({
      room: roomForCall('bz', STAND_IN_SID),
      waitUrl: this.d.url.to('/ringback'),
      waitMethod: 'POST',
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: false,
      statusCallback: this.d.url.to(`/conference?buzz=${STAND_IN_SID}`),
      statusCallbackEvents: ['leave', 'end'],
    });
    return this.roomTemplate.replaceAll(STAND_IN_SID, buzz.callSid);
  }

  /** The same call asks again (a retried webhook, a late redirect): answer for where it is now. */
  private visitorAgain(buzz: Buzz): string {
    if (buzz.phase === 'ringing' || buzz.phase === 'talking') return this.visitorRoom(buzz);
    if (buzz.phase === 'entry') return this.entryPrompt(buzz, false);
    if (buzz.phase === 'opened') return this.doorTwiml();
    return sayAndHangup({ message: MESSAGES.missedVisitor });
  }

  private entryPrompt(buzz: Buzz, again: boolean): string {
    this.entryGuard.prompted(this.d.settings.enterphoneNumber, this.d.clock.now(), buzz.callSid);
    return gatherDigit({
      prompt: again ? `${MESSAGES.entryWrong} ${MESSAGES.entryPrompt}` : MESSAGES.entryPrompt,
      action: this.d.url.to(`/entry?buzz=${buzz.callSid}`),
      numDigits: 8,
      finishOnKey: '#',
      timeout: 5,
      onNoInput: { redirectUrl: this.d.url.to(`/ring?buzz=${buzz.callSid}`) },
    });
  }

  private doorTwiml(): string {
    return sendDoorDigits({ digits: this.d.settings.doorDigits, leadingWaits: 2, message: MESSAGES.doorOpenedVisitor, hangup: true });
  }

  private async flash(buzz: Buzz): Promise<void> {
    const result = await this.d.hue!.flash(this.d.settings.hueLights);
    if (result.ok) this.d.log.info('hue.flashed', { buzz: buzz.callSid, lights: result.lights });
    else this.d.log.warn('hue.flash-failed', { buzz: buzz.callSid, error: result.error.message });
  }

  // ---- Calling the tenants --------------------------------------------------------------------

  private async callTenants(buzz: Buzz, arrivedAt: number): Promise<void> {
    await Promise.all(buzz.legs.map((leg) => this.callTenant(buzz, leg)));
    const created = buzz.legs.filter((l) => l.callSid).length;
    this.d.log.info('buzz.tenants-called', {
      buzz: buzz.callSid,
      tenants: buzz.legs.length,
      created,
      fanOutMs: Math.round((performance.now() - arrivedAt) * 100) / 100,
    });
    if (buzz.ringing && buzz.allLegsOver) this.missed(buzz, 'no tenant could be called');
  }

  private async callTenant(buzz: Buzz, leg: TenantLeg): Promise<void> {
    const { settings, url, rest, log } = this.d;
    const q = `buzz=${buzz.callSid}&t=${leg.index}`;
    try {
      const call = await rest.createCall({
        to: leg.tenant.number,
        from: settings.buzzerNumber,
        url: url.to(`/tenant?${q}`),
        statusCallback: url.to(`/status?${q}`),
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        timeout: settings.ringTimeout,
      });
      leg.callSid ??= call.sid;
      if (leg.status === 'creating') leg.status = call.status;
      log.info('tenant.calling', { buzz: buzz.callSid, tenant: leg.tenant.name, call: call.sid });
    } catch (err) {
      leg.status = 'not-created';
      log.error('tenant.call-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, error: errorText(err) });
    } finally {
      buzz.creating -= 1;
    }
    // Decided while this call was being made (someone answered, the visitor left): end it now.
    if (!buzz.ringing && leg.index !== buzz.winner) await this.endLeg(buzz, leg);
  }

  /** Cancels a ringing leg, hangs up an answered one; a leg already over is left alone. */
  private async endLeg(buzz: Buzz, leg: TenantLeg): Promise<void> {
    const sid = leg.callSid;
    if (!sid || leg.cancelling || isTerminalCallStatus(leg.status) || leg.status === 'not-created') return;
    leg.cancelling = true;
    const { rest, log } = this.d;
    try {
      let call = await rest.updateCall(sid, { status: leg.answered ? 'completed' : 'canceled' });
      // 'canceled' does nothing to a call that was answered meanwhile.
      if (call.status === 'in-progress') call = await rest.updateCall(sid, { status: 'completed' });
      if (isTerminalCallStatus(call.status)) leg.status = call.status;
      log.info('tenant.ended', { buzz: buzz.callSid, tenant: leg.tenant.name, call: sid, status: call.status });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 21220) return; // it ended by itself meanwhile
      log.error('tenant.end-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, call: sid, error: errorText(err) });
    }
  }

  private endOtherLegs(buzz: Buzz): Promise<unknown> {
    return Promise.all(buzz.legs.filter((l) => l.index !== buzz.winner).map((l) => this.endLeg(buzz, l)));
  }

  /** The tenant's call was answered: the menu (a voicemail hears it too, and presses nothing). */
  tenant(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    leg.answered = true;
    if (!buzz.ringing) return xml(this.over(buzz));
    leg.prompting = true;
    this.d.log.info('tenant.answered', { buzz: buzz.callSid, tenant: leg.tenant.name });
    return xml(this.menu(buzz, leg, MESSAGES.tenantPrompt));
  }

  /** The tenant pressed a key. */
  async tenantAnswer(req: AgentRequest): Promise<Reply> {
    const found = this.legOf(req);
    if (!found) return xml(sayAndHangup({ message: MESSAGES.over.unknown }));
    const { buzz, leg } = found;
    leg.prompting = false;
    const digit = (req.params.Digits ?? '').slice(0, 1);
    if (digit === '1' && buzz.claim('talking', leg.index)) {
      this.d.log.info('buzz.answered', { buzz: buzz.callSid, tenant: leg.tenant.name });
      this.d.work.later(() => this.endOtherLegs(buzz));
      return xml(joinRoom({ room: buzz.room, startConferenceOnEnter: true, endConferenceOnExit: true, beep: false }));
    }
    if (digit === '9' && buzz.claim('opened', leg.index)) return xml(await this.openDoor(buzz, leg));
    if (!buzz.ringing) return xml(this.over(buzz));
    leg.prompting = true;
    return xml(this.menu(buzz, leg, MESSAGES.tenantRepeat));
  }

  /** Plays the door digits on the enterphone's call: no key press has to cross a conference. */
  private async openDoor(buzz: Buzz, leg: TenantLeg): Promise<string> {
    const { rest, log, clock, settings } = this.d;
    buzz.openedBy = leg.tenant.name;
    this.d.work.later(() => this.endOtherLegs(buzz));
    try {
      await rest.updateCall(buzz.callSid, { twiml: this.doorTwiml() });
    } catch (err) {
      log.error('buzz.open-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, error: errorText(err) });
      return sayAndHangup({ message: MESSAGES.doorFailedTenant });
    }
    log.info('buzz.opened', { buzz: buzz.callSid, by: 'tenant', tenant: leg.tenant.name });
    const others = settings.tenants.filter((_, i) => i !== leg.index);
    const at = clock.now();
    this.d.work.later(() => this.notify.opened(others, at, leg.tenant.name, buzz.callSid));
    return sayAndHangup({ message: MESSAGES.doorOpenedTenant });
  }

  private menu(buzz: Buzz, leg: TenantLeg, prompt: string): string {
    return gatherDigit({
      prompt,
      action: this.d.url.to(`/tenant/answer?buzz=${buzz.callSid}&t=${leg.index}`),
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
    if (req.params.CallSid && CALL_SID.test(req.params.CallSid)) leg.callSid ??= req.params.CallSid;
    return { buzz, leg };
  }

  // ---- Callbacks ------------------------------------------------------------------------------

  /** A tenant call's progress. */
  status(req: AgentRequest): Reply {
    const found = this.legOf(req);
    if (!found) return xml(emptyResponse());
    const { buzz, leg } = found;
    const status = req.params.CallStatus ?? '';
    if (status === 'in-progress') leg.answered = true;
    if (!isTerminalCallStatus(leg.status) && status) leg.status = status === 'initiated' ? 'queued' : status;
    if (isTerminalCallStatus(status)) {
      leg.prompting = false;
      this.d.log.info('tenant.call-over', { buzz: buzz.callSid, tenant: leg.tenant.name, status });
      if (buzz.ringing && buzz.allLegsOver) this.missed(buzz, 'no tenant accepted');
    }
    return xml(emptyResponse());
  }

  /** The visitor's room: the visitor leaving (hanging up) while tenants ring cancels them all. */
  conference(req: AgentRequest): Reply {
    const buzz = this.buzzes.get(req.query.get('buzz') ?? undefined);
    const event = req.params.StatusCallbackEvent ?? '';
    if (!buzz) return xml(emptyResponse());
    const visitorLeft = event === 'participant-leave' && req.params.CallSid === buzz.callSid;
    if (visitorLeft || event === 'conference-end') {
      if (buzz.claim('gone')) {
        this.d.log.info('buzz.abandoned', { buzz: buzz.callSid });
        this.d.work.later(() =>
          Promise.all([this.endOtherLegs(buzz), this.notify.missed(this.d.settings.tenants, buzz.at, buzz.callSid, 'the visitor hung up')]),
        );
      } else if (buzz.phase === 'talking' && event === 'conference-end') {
        this.d.log.info('buzz.ended', { buzz: buzz.callSid, tenant: buzz.winner === undefined ? undefined : buzz.legs[buzz.winner]?.tenant.name });
      }
    }
    return xml(emptyResponse());
  }

  // ---- Nobody answered ------------------------------------------------------------------------

  private onRingDeadline(buzz: Buzz): void {
    if (!buzz.ringing) return;
    // Someone picked up moments ago and is hearing the menu: give them the time to press.
    if (!buzz.graceUsed && buzz.legs.some((l) => l.prompting && !isTerminalCallStatus(l.status))) {
      buzz.graceUsed = true;
      buzz.ringsUntil = new Date(this.d.clock.now().getTime() + PROMPT_GRACE * 1000);
      buzz.ringTimer = this.d.clock.after(PROMPT_GRACE, () => this.onRingDeadline(buzz));
      return;
    }
    this.missed(buzz, 'ring timeout');
  }

  private missed(buzz: Buzz, reason: string): void {
    if (!buzz.claim('missed')) return;
    const { settings, rest, log } = this.d;
    log.info('buzz.missed', { buzz: buzz.callSid, reason, fallback: settings.fallbackNumber ? 'forward' : 'message' });
    const twiml = settings.fallbackNumber
      ? dialNumber({ number: settings.fallbackNumber, timeout: 30 })
      : sayAndHangup({ message: MESSAGES.missedVisitor });
    this.d.work.later(() =>
      Promise.all([
        rest.updateCall(buzz.callSid, { twiml }).catch((err: unknown) => {
          if ((err as { code?: number }).code !== 21220) log.error('buzz.visitor-update-failed', { buzz: buzz.callSid, error: errorText(err) });
        }),
        this.endOtherLegs(buzz),
        this.notify.missed(settings.tenants, buzz.at, buzz.callSid),
      ]),
    );
  }

  // ---- Restart and shutdown -------------------------------------------------------------------

  /** A buzz read back from the journal after a restart: its ring deadline is armed again. */
  resume(buzz: Buzz): void {
    // The same tenant objects as the settings' (a buzz may compare tenants by identity).
    for (const leg of buzz.legs) {
      const same = this.d.settings.tenants.find((t) => t.name === leg.tenant.name && t.number === leg.tenant.number);
      if (same) (leg as { tenant: Tenant }).tenant = same;
    }
    this.buzzes.add(buzz);
    if (!buzz.ringing) return;
    const left = buzz.ringsUntil ? (buzz.ringsUntil.getTime() - this.d.clock.now().getTime()) / 1000 : 0;
    buzz.ringTimer = this.d.clock.after(Math.max(0, left), () => this.onRingDeadline(buzz));
  }

  /**
   * The agent is stopping: every buzz still at the code prompt or ringing ends now, the visitor
   * told to buzz again, the tenants' calls ended and the tenants texted. A tenant already talking
   * stays connected (Twilio holds that call; the journal lets a restarted agent open the door).
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
          this.endOtherLegs(buzz),
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
