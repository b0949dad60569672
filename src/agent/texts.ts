// Commands texted to the buzzer number (its sms_url is the agent's /sms): `open 15m`, `close`,
// `status`, `help`. The agent runs them because it owns the door's state: the delivery window it
// reads on every buzz, and the buzzes it answered. Only the owner's cell (household.ownerCell) is
// obeyed; any other sender gets an empty <Response/> (no reply at all) and a masked log line.
// Every command the owner sends is answered with what was done, in one <Message>.
// Replays: Twilio's signature has no timestamp, so a captured signed request stays valid forever.
// Each MessageSid is run once (the SIDs run are kept in the journal, so a restart forgets none),
// and an `open` runs only when Twilio itself has that Message: inbound, from the owner's cell, to
// the buzzer number, received in the last few minutes. When Twilio cannot be asked, the door stays
// shut and the reply says so (the owner can text again, or use the CLI).
import type { HueBridge } from '../hue/bridge.js';
import { messageReply } from '../twiml/index.js';
import type { BuzzSummary, RanText } from './buzz-journal.js';
import type { AgentRequest, BuzzModes, Reply } from './buzz.js';
import { maskNumber, type AgentLogger } from './logger.js';
import { MAX_WINDOW_MINUTES, parseWindow, type DeliveryWindowStore } from './modes.js';
import { errorText } from './notify.js';
import type { AgentRest } from './rest.js';
import type { AgentClock } from './runtime.js';
import type { AgentSettings } from './settings.js';

export type TextCommand =
  | { kind: 'open'; minutes: number }
  | { kind: 'close' }
  | { kind: 'status' }
  | { kind: 'help'; problem?: string | undefined };

export const TEXT_HELP = `Buzzer commands: "open 15m" (a buzz opens the door for the next 15 minutes; 1m to ${MAX_WINDOW_MINUTES / 60}h), "close", "status", "help".`;

/** Buzzes listed by `status`, newest first. */
export const STATUS_BUZZES = 3;
/** Real milliseconds `status` waits for the Hue bridge (the reply must beat Twilio's 15 s). */
export const HUE_PROBE_MS = 2000;
/** Replies remembered (in memory), so a repeated delivery of a text gets the same answer. */
const REMEMBERED = 200;
/**
 * The texts run, kept in the journal: an `open` older than MESSAGE_FRESH_MS is refused anyway
 * (Twilio's date_created), so a day of them is hundreds of times the window a replay could use;
 * 200 is far more than an owner sends in a day, and the journal is rewritten on every webhook.
 */
export const RAN_KEPT = 200;
export const RAN_KEPT_MS = 24 * 3600_000;
/** An `open` whose Message Twilio received longer ago than this is refused (a replay). */
export const MESSAGE_FRESH_MS = 5 * 60_000;
/** How far ahead of the agent's clock Twilio's may be (date_created in the agent's future). */
const CLOCK_SKEW_MS = 60_000;
/** Real milliseconds an `open` waits for Twilio's copy of the text (the reply must beat Twilio's 15 s). */
export const MESSAGE_FETCH_MS = 5000;
const MESSAGE_SID = /^[SM]M[0-9a-fA-F]{32}$/;
/** Shown of an unknown command in the reply (a text can be 1600 characters long). */
const ECHO_MAX = 24;

/** What a text asks for; anything unrecognised is `help` with the reason. */
export function parseTextCommand(body: string): TextCommand {
  // Phones add capitals, a full stop or a trailing space; none of it changes the command.
  const text = body.trim().replace(/[.!]+$/, '').replace(/\s+/g, ' ').toLowerCase();
  const [word = '', ...rest] = text.split(' ');
  const arg = rest.join(' ');
  if (word === 'open') {
    if (!arg) return { kind: 'help', problem: '"open" needs a time, like open 15m.' };
    try {
      return { kind: 'open', minutes: parseWindow(arg) };
    } catch {
      return { kind: 'help', problem: `"${clip(arg)}" is not a time from 1 minute to ${MAX_WINDOW_MINUTES / 60} hours.` };
    }
  }
  if ((word === 'close' || word === 'status') && !arg) return { kind: word };
  if ((word === 'help' || word === '?') && !arg) return { kind: 'help' };
  return { kind: 'help', problem: text ? `"${clip(body.trim())}" is not a command.` : 'That text was empty.' };
}

/**
 * Cut to ECHO_MAX characters. "..." rather than "…": one character outside the GSM alphabet makes
 * the whole reply a UCS-2 text (70 characters a segment, not 160).
 */
function clip(text: string): string {
  return text.length > ECHO_MAX ? `${text.slice(0, ECHO_MAX)}...` : text;
}

export interface TextDeps {
  settings: AgentSettings;
  log: AgentLogger;
  clock: AgentClock;
  modes: () => BuzzModes;
  /** Where `open` and `close` write the window (absent: the agent has no configuration file). */
  window?: DeliveryWindowStore | undefined;
  /** The last buzzes, newest first (this agent's, and those its journal carried over a restart). */
  recentBuzzes: (n: number) => BuzzSummary[];
  hue?: HueBridge | undefined;
  /** Where an `open` is checked against Twilio's own copy of the text. */
  rest: Pick<AgentRest, 'fetchMessage'>;
  /** Real milliseconds to wait for Hue and for Twilio (default HUE_PROBE_MS, MESSAGE_FETCH_MS). */
  deadlines?: TextDeadlines | undefined;
}

export interface TextDeadlines {
  hueMs?: number;
  messageMs?: number;
}

const xml = (body: string): Reply => ({ status: 200, type: 'text/xml; charset=utf-8', body });

export class TextCommands {
  private readonly answered = new Map<string, Reply>();
  /** MessageSid → when it was run, oldest first (the journal's `texts`). */
  private readonly ran = new Map<string, Date>();
  private readonly day: Intl.DateTimeFormat;
  private readonly clock: Intl.DateTimeFormat;
  private readonly date: Intl.DateTimeFormat;

  constructor(private readonly d: TextDeps) {
    const timeZone = d.settings.timeZone;
    this.day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    this.clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    this.date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone });
  }

  /** The texts run, oldest first, for the journal. */
  ranTexts(): RanText[] {
    return [...this.ran].map(([sid, at]) => ({ sid, at }));
  }

  /** The texts a previous agent ran (from its journal). */
  restoreRan(texts: readonly RanText[]): void {
    for (const t of [...texts].sort((a, b) => a.at.getTime() - b.at.getTime())) this.ran.set(t.sid, t.at);
    this.forgetOld();
  }

  private forgetOld(): void {
    const oldest = this.d.clock.now().getTime() - RAN_KEPT_MS;
    for (const [sid, at] of this.ran) {
      if (this.ran.size > RAN_KEPT || at.getTime() < oldest) this.ran.delete(sid);
      else break;
    }
  }

  /** The buzzer number's SMS webhook (signature already checked). */
  async sms(req: AgentRequest): Promise<Reply> {
    const { From: from = '', MessageSid: sid = '', Body: body = '' } = req.params;
    const { settings, log } = this.d;
    if (!settings.ownerCell || from !== settings.ownerCell) {
      log.warn('sms.ignored', {
        from: maskNumber(from),
        message: sid.slice(0, 34),
        reason: settings.ownerCell ? 'not the owner' : 'household.ownerCell is not set',
      });
      return xml(messageReply());
    }
    if (!MESSAGE_SID.test(sid)) {
      log.warn('sms.ignored', { from: 'owner', reason: 'no MessageSid' });
      return xml(messageReply());
    }
    const again = this.answered.get(sid);
    if (again) {
      // Twilio delivered the same text twice (or the request was replayed): the same answer, nothing run again.
      log.info('sms.repeated', { message: sid });
      return again;
    }
    const ranAt = this.ran.get(sid);
    if (ranAt) {
      // Run by an agent before a restart (its answer is gone): a replay, or Twilio's late repeat.
      log.warn('sms.repeated', { message: sid, ranAt: ranAt.toISOString() });
      return xml(messageReply(`Nothing done: that text was already run (${this.when(ranAt, this.d.clock.now())}).`));
    }
    // Marked before it runs, so a second delivery arriving meanwhile is not run too.
    this.ran.set(sid, this.d.clock.now());
    this.forgetOld();
    const command = parseTextCommand(body);
    const reply = xml(messageReply(await this.run(command, sid)));
    this.answered.set(sid, reply);
    if (this.answered.size > REMEMBERED) this.answered.delete(this.answered.keys().next().value!);
    return reply;
  }

  private async run(command: TextCommand, sid: string): Promise<string> {
    const { log } = this.d;
    switch (command.kind) {
      case 'open':
        return this.open(command.minutes, sid);
      case 'close':
        return this.close(sid);
      case 'status':
        log.info('sms.command', { command: 'status', message: sid });
        return this.status();
      case 'help':
        log.info('sms.command', { command: 'help', message: sid, problem: command.problem });
        return command.problem ? `${command.problem} ${TEXT_HELP}` : TEXT_HELP;
    }
  }

  private async open(minutes: number, sid: string): Promise<string> {
    const { window, log } = this.d;
    if (!window) return 'Nothing changed: this agent has no configuration file to keep a delivery window in.';
    const refused = await this.confirm(sid, minutes);
    if (refused) return refused;
    const now = this.d.clock.now();
    const until = new Date(now.getTime() + minutes * 60_000);
    try {
      await window.open(until);
    } catch (err) {
      log.error('sms.command-failed', { command: 'open', message: sid, error: errorText(err) });
      return `Nothing changed: the delivery window could not be saved (${clip(errorText(err))}). Try homephone buzzer open-for ${minutes}m.`;
    }
    log.info('sms.command', { command: 'open', message: sid, minutes, until: until.toISOString() });
    return `Door: a buzz opens it until ${this.when(until, now)} (${duration(minutes)}); the tenants get a text each time. Text "close" to end it.`;
  }

  /**
   * Whether Twilio has this text as the owner's, just received: undefined when it does, else the
   * reply refusing the `open`. Twilio unreachable refuses too (a door opened on an unchecked
   * request is the hole this closes); the owner can text again or use the CLI.
   */
  private async confirm(sid: string, minutes: number): Promise<string | undefined> {
    const { log, settings } = this.d;
    let problem: string;
    try {
      const ms = this.d.deadlines?.messageMs ?? MESSAGE_FETCH_MS;
      const m = await beforeDeadline(this.d.rest.fetchMessage(sid), ms);
      if (m === 'late') throw new Error(`Twilio did not answer within ${ms / 1000} s`);
      const age = this.d.clock.now().getTime() - m.dateCreated.getTime();
      if (m.direction !== 'inbound' || m.from !== settings.ownerCell || m.to !== settings.buzzerNumber) problem = 'not a text from the owner to the buzzer number';
      else if (age > MESSAGE_FRESH_MS || age < -CLOCK_SKEW_MS) problem = `received ${m.dateCreated.toISOString()}, not just now`;
      else return undefined;
    } catch (err) {
      if ((err as { status?: unknown }).status === 404) problem = 'unknown to Twilio';
      else {
        log.error('sms.unconfirmed', { command: 'open', message: sid, error: errorText(err) });
        return `Nothing changed: Twilio could not confirm this text (${clip(errorText(err))}). Text it again, or homephone buzzer open-for ${minutes}m.`;
      }
    }
    log.warn('sms.refused', { command: 'open', message: sid, reason: problem });
    return 'Nothing changed: Twilio does not have this text as just sent from your cell.';
  }

  private async close(sid: string): Promise<string> {
    const { window, log } = this.d;
    if (!window) return 'Nothing changed: this agent has no configuration file to keep a delivery window in.';
    const now = this.d.clock.now();
    let was: Date | undefined;
    try {
      was = await window.close();
    } catch (err) {
      log.error('sms.command-failed', { command: 'close', message: sid, error: errorText(err) });
      return `Nothing changed: the configuration could not be saved (${clip(errorText(err))}). Try homephone buzzer close.`;
    }
    const open = was !== undefined && was.getTime() > now.getTime();
    log.info('sms.command', { command: 'close', message: sid, wasOpen: open });
    return open ? 'Door: the delivery window is closed; buzzes ring the tenants again.' : 'Door: no delivery window was open; buzzes ring the tenants.';
  }

  private async status(): Promise<string> {
    const now = this.d.clock.now();
    const { openUntil } = this.d.modes();
    const door =
      openUntil && openUntil.getTime() > now.getTime() ? `Door: a buzz opens it until ${this.when(openUntil, now)}.` : 'Door: buzzes ring the tenants.';
    const recent = this.d.recentBuzzes(STATUS_BUZZES).map((b) => `${this.when(b.at, now)} ${outcome(b)}`);
    const buzzes = recent.length ? `Last buzzes: ${recent.join('; ')}.` : 'No buzzes since the agent started.';
    return `${door} ${buzzes} ${await this.hueStatus()}`;
  }

  /** Whether the lights would flash: one listing of the lights, bounded by HUE_PROBE_MS. */
  private async hueStatus(): Promise<string> {
    const hue = this.d.hue;
    if (!hue) return 'Hue: not paired.';
    try {
      const ms = this.d.deadlines?.hueMs ?? HUE_PROBE_MS;
      const out = await beforeDeadline(hue.listLights(), ms);
      if (out === 'late') return `Hue: the bridge did not answer within ${ms / 1000} s.`;
      return 'Hue: paired, the bridge answers.';
    } catch (err) {
      this.d.log.warn('hue.status-failed', { error: errorText(err) });
      return (err as { kind?: unknown }).kind === 'unauthorized'
        ? 'Hue: the bridge no longer knows this pairing (homephone hue pair).'
        : 'Hue: paired, but the bridge is not reachable.';
    }
  }

  /** "14:02" today in the household's zone, "21 Nov 14:02" on any other day. */
  private when(at: Date, now: Date): string {
    const time = this.clock.format(at);
    return this.day.format(at) === this.day.format(now) ? time : `${this.date.format(at)} ${time}`;
  }
}

/** The promise's value, or 'late' after `ms` real milliseconds (a webhook's answer cannot wait on it longer). */
async function beforeDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

function outcome(b: BuzzSummary): string {
  switch (b.phase) {
    case 'entry':
      return 'at the code prompt now';
    case 'ringing':
      return 'ringing now';
    case 'talking':
      return `answered by ${b.by ?? 'a tenant'}`;
    case 'opened':
      return `opened by ${b.by ?? 'a tenant'}`;
    case 'missed':
      return 'missed';
    case 'gone':
      return 'the visitor hung up';
  }
}
