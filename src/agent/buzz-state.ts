// The state of one buzz, keyed by the enterphone's CallSid so two buzzes never mix. Every decision
// that ends the ringing (talk, open, missed, the visitor gone) is one synchronous claim: the first
// claim wins and every later one fails, however the webhooks interleave.
import type { Tenant } from '../config/schema.js';

/**
 * entry: the visitor may type an entry code; ringing: tenants are being rung;
 * talking: a tenant pressed 1; opened: the door was opened (9, a code, the delivery window);
 * missed: nobody accepted in time; gone: the visitor hung up first.
 */
export type BuzzPhase = 'entry' | 'ringing' | 'talking' | 'opened' | 'missed' | 'gone';
export type Outcome = Exclude<BuzzPhase, 'entry' | 'ringing'>;

/**
 * The door, once a tenant asked for it: requesting (the REST update is on its way), applied
 * (Twilio took it), unknown (the request failed: it may or may not have taken effect; the
 * visitor's next hold request proves it did not), served (the door TwiML was handed to the
 * visitor's call), opened (the digits were played: the door TwiML's redirect came back), failed.
 */
export type DoorState = 'idle' | 'requesting' | 'applied' | 'unknown' | 'served' | 'opened' | 'failed';

/** Where the talking tenant is: in the room, at the star menu, or off the line. */
export type TalkerState = 'joining' | 'room' | 'left' | 'menu' | 'gone';

const TERMINAL_CALL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isTerminalCallStatus(status: string): boolean {
  return TERMINAL_CALL.has(status);
}

export interface TenantLeg {
  readonly index: number;
  readonly tenant: Tenant;
  /** The <Dial> leg's SID, learned from its first callback. */
  callSid?: string;
  /** The call's last known status ('queued' until its first callback). */
  status: string;
  /** Picked up (a person or a voicemail: the agent cannot tell). */
  answered: boolean;
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
  /** When the tenants were first rung (after any entry-code prompt), on the agent's clock. */
  ringingSince: Date | undefined;
  door: DoorState = 'idle';
  /** Why the door failed, for the tenant. */
  doorFailure: 'visitor-gone' | 'no-answer' | undefined;
  talker: TalkerState = 'joining';
  /** Moving the accepted tenant's leg failed: the tenant and the visitor stayed bridged. */
  moveFailed = false;
  /** The visitor's call is over (hung up, or its TwiML ended). */
  visitorGone = false;
  /** Hold requests the visitor made while the tenant was away from the room. */
  holds = 0;
  /** The tenant who opened could not hear it was done: text them too. */
  textOpener = false;
  /** Times the buzz was offered to the tenants again after a failed opening. */
  reoffers = 0;

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
    return true;
  }

  leg(index: number): TenantLeg | undefined {
    return this.legs[index];
  }

  /** The tenant who won the buzz. */
  get winnerLeg(): TenantLeg | undefined {
    return this.winner === undefined ? undefined : this.legs[this.winner];
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
