// One call as the engine drives it: its record, its far end's script, and the one thing it is
// waiting for. Anything that concerns the call (digits, hang-up, a REST redirect, a room starting)
// wakes it; the verb that waits decides what the wake means.
import type { CallRecord } from '../state.js';
import type { Scheduler, Timer } from './clock.js';
import type { PhoneScript } from './phones.js';
import type { Params } from './signature.js';

export type WakeReason = 'timeout' | 'digits' | 'ended' | 'update' | 'conference' | 'dial' | 'bridge' | 'peer';

/** Where the next TwiML document comes from. */
export type Source =
  | { kind: 'url'; url: string; method: string; params?: Params; fallbackUrl?: string | undefined; fallbackMethod?: string | undefined }
  | { kind: 'twiml'; twiml: string; baseUrl?: string | undefined };

export interface GatherState {
  digits: string;
  numDigits: number;
  finishOnKey: string;
  complete: boolean;
}

export class Leg {
  ended = false;
  /** Virtual ms when the far end connected (answered, or placed the call). */
  connectedAt: number | undefined;
  /** New instructions from REST (Calls update with Url/Twiml) not yet taken up. */
  pendingUpdate: Source | undefined;
  gather: GatherState | undefined;
  /** Keys that end the <Record> in progress. */
  recordFinishKeys: string | undefined;
  recordFinishedBy: string | undefined;
  /** Running a <Number url> screening document: only Say, Play, Gather and Hangup are allowed. */
  screening = false;
  /** Set while a <Dial hangupOnStar> holds this call in a room: a `*` from the far end ends it. */
  onStar: (() => void) | undefined;
  /** The other leg of a <Dial> bridge. */
  bridge: Leg | undefined;
  /**
   * A call placed to one of the account's own numbers comes back in as an inbound call on
   * that number: each of the two legs is the other's far end (what one plays, the other hears).
   */
  peer: Leg | undefined;
  /** The Twilio error that failed this call (e.g. 32009), if any. */
  errorCode: number | undefined;
  /** Who ended the call, for the transcript. */
  hangupBy: string | undefined;
  /** Keys this leg's far end heard since its last reaction (matched against its script's onHear). */
  heardKeys = '';
  /**
   * How many calls to the account's own numbers led to this leg (an inbound call that a call to
   * an own number became, and the <Dial> legs it opens): bounds a number that dials itself.
   */
  loopDepth = 0;
  /** Parameters every webhook of this call carries besides the usual ones (SIP calls). */
  extraParams: Params = {};
  readonly timers: Timer[] = [];
  /** Documents run since virtual time last moved (bounds Redirect loops). */
  docsWithoutTime = 0;
  lastDocAt = -1;
  private resolveWait: ((r: WakeReason) => void) | undefined;
  private waitTimer: Timer | undefined;

  constructor(
    public call: CallRecord,
    public script: PhoneScript,
  ) {}

  get sid(): string {
    return this.call.json.sid;
  }

  /** Stopped: hung up, or taken over by new REST instructions. */
  get interrupted(): boolean {
    return this.ended || this.pendingUpdate !== undefined;
  }

  /** Waits until woken or `seconds` of virtual time pass ('timeout'). Infinity waits for a wake. */
  wait(scheduler: Scheduler, seconds: number): Promise<WakeReason> {
    if (this.ended) return Promise.resolve('ended');
    if (this.pendingUpdate) return Promise.resolve('update');
    this.wake('timeout'); // a verb waits for one thing at a time
    return new Promise((resolve) => {
      this.resolveWait = resolve;
      if (Number.isFinite(seconds)) this.waitTimer = scheduler.after(seconds, () => this.wake('timeout'));
    });
  }

  wake(reason: WakeReason): void {
    const resolve = this.resolveWait;
    if (!resolve) return;
    this.resolveWait = undefined;
    this.waitTimer?.cancel();
    this.waitTimer = undefined;
    resolve(reason);
  }

  /**
   * Spends `seconds` of call time (a Say, a Play, a Pause), returning early — with the reason —
   * only for the wakes in `stopOn`, or when the call stops.
   */
  async spend(scheduler: Scheduler, seconds: number, stopOn: readonly WakeReason[] = []): Promise<'done' | WakeReason> {
    const end = scheduler.clock.nowMs() + seconds * 1000;
    for (;;) {
      const left = (end - scheduler.clock.nowMs()) / 1000;
      if (left <= 0) return 'done';
      const reason = await this.wait(scheduler, left);
      if (this.ended) return 'ended';
      if (this.pendingUpdate) return 'update';
      if (reason === 'timeout') continue;
      if (stopOn.includes(reason)) return reason;
    }
  }

  cancelTimers(): void {
    for (const t of this.timers.splice(0)) t.cancel();
  }
}
