// The state of one buzz, keyed by the enterphone's CallSid so two buzzes never mix. Every decision
// that ends the ringing (talk, open, missed, the visitor gone) is one synchronous claim: the first
// claim wins and every later one fails, however the webhooks interleave.
import type { Tenant } from '../config/schema.js';
import type { AgentTimer } from './runtime.js';

/**
 * entry: the visitor may type an entry code; ringing: tenants are being called;
 * talking: a tenant pressed 1; opened: the door was opened (9, a code, the delivery window);
 * missed: nobody accepted in time; gone: the visitor hung up first.
 */
export type BuzzPhase = 'entry' | 'ringing' | 'talking' | 'opened' | 'missed' | 'gone';
export type Outcome = Exclude<BuzzPhase, 'entry' | 'ringing'>;

const TERMINAL_CALL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isTerminalCallStatus(status: string): boolean {
  return TERMINAL_CALL.has(status);
}

export interface TenantLeg {
  readonly index: number;
  readonly tenant: Tenant;
  callSid?: string;
  /** The call's last known status; 'creating' until Twilio gave it a SID, 'not-created' if that failed. */
  status: string;
  /** Picked up (a person or a voicemail: the agent cannot tell). */
  answered: boolean;
  /** Hearing the "press 1 / press 9" prompt right now. */
  prompting: boolean;
  /** The agent asked Twilio to end this leg. */
  cancelling: boolean;
}

export class Buzz {
  phase: BuzzPhase;
  legs: TenantLeg[] = [];
  /** The tenant leg that talked or opened the door. */
  winner: number | undefined;
  /** How it was opened, for the log and the SMS. */
  openedBy: string | undefined;
  /** Wrong entry codes typed so far. */
  codeTries = 0;
  /** When the ringing ends (the ring timer's deadline), so a restarted agent can re-arm it. */
  ringsUntil: Date | undefined;
  ringTimer: AgentTimer | undefined;
  /** The ring deadline was already extended once for a tenant hearing the prompt. */
  graceUsed = false;
  /** Tenant calls still being created. */
  creating = 0;

  constructor(
    readonly callSid: string,
    readonly room: string,
    /** When the buzz arrived, on the agent's clock. */
    readonly at: Date,
    phase: BuzzPhase,
  ) {
    this.phase = phase;
  }

  get ringing(): boolean {
    return this.phase === 'ringing';
  }

  /** Ends the ringing with this outcome, unless something else already did. */
  claim(outcome: Outcome, winner?: number): boolean {
    if (this.phase !== 'ringing' && this.phase !== 'entry') return false;
    this.phase = outcome;
    this.winner = winner;
    this.ringTimer?.cancel();
    this.ringTimer = undefined;
    return true;
  }

  leg(index: number): TenantLeg | undefined {
    return this.legs[index];
  }

  /** True when every tenant leg exists no more (or never came to be). */
  get allLegsOver(): boolean {
    return this.creating === 0 && this.legs.every((l) => l.status === 'not-created' || isTerminalCallStatus(l.status));
  }
}

/** Buzzes by enterphone CallSid; old and abandoned ones are forgotten so memory stays bounded. */
export class BuzzRegistry {
  private readonly buzzes = new Map<string, Buzz>();

  constructor(private readonly max = 500) {}

  get(callSid: string | undefined): Buzz | undefined {
    return callSid ? this.buzzes.get(callSid) : undefined;
  }

  add(buzz: Buzz): Buzz {
    this.buzzes.set(buzz.callSid, buzz);
    this.forgetOldest();
    return buzz;
  }

  /**
   * Over the cap, forgets the oldest buzzes that are not ringing: finished ones, and visitors who
   * hung up at the code prompt (Twilio says nothing then, so such a buzz would stay 'entry' for
   * ever). A ringing buzz ends by itself at its ring timeout, so those are bounded by time. The
   * scan is bounded, so a flood of ringing buzzes still costs a constant per buzz.
   */
  private forgetOldest(): void {
    let scanned = 0;
    for (const [sid, b] of this.buzzes) {
      if (this.buzzes.size <= this.max || ++scanned > 64) break;
      if (b.phase !== 'ringing') this.buzzes.delete(sid);
    }
  }

  forget(callSid: string): void {
    this.buzzes.delete(callSid);
  }

  get size(): number {
    return this.buzzes.size;
  }

  all(): Buzz[] {
    return [...this.buzzes.values()];
  }
}
