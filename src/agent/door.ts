// Opening the door for a tenant, and knowing it was opened. The door TwiML plays the digits on the
// visitor's own call and then redirects back to the agent (/door-done): only that request marks
// the door open. A REST request for the door is never blindly repeated: when it fails, the
// visitor's next hold request proves it did not take effect and gets the door in its answer.
import { pauseThenRedirect, sayAndHangup, sendDoorDigits } from '../twiml/index.js';
import { isTerminalCallStatus, type Buzz, type TenantLeg } from './buzz-state.js';
import type { AgentLogger } from './logger.js';
import { DOOR_CONFIRM_WAIT, MESSAGES } from './messages.js';
import { errorText, type Notifier } from './notify.js';
import type { AgentRest } from './rest.js';
import type { AgentClock, WorkTracker } from './runtime.js';
import type { AgentSettings } from './settings.js';

export interface DoorDeps {
  settings: AgentSettings;
  rest: AgentRest;
  clock: AgentClock;
  log: AgentLogger;
  work: WorkTracker;
  notify: Notifier;
  /** The public URL of an agent route for this buzz (and tenant). */
  to: (path: string, buzz: Buzz, leg?: TenantLeg, extra?: string) => string;
  /** Rings the tenants again from the visitor's next request (after a door nobody could open). */
  reoffer: (buzz: Buzz) => void;
}

export class Door {
  constructor(private readonly d: DoorDeps) {}

  /** The digits on the visitor's call, then back to the agent, which so learns they were played. */
  twiml(buzz: Buzz): string {
    return sendDoorDigits({ digits: this.d.settings.doorDigits, leadingWaits: 2, thenRedirect: this.d.to('/door-done', buzz) });
  }

  /**
   * Plays the door digits on the visitor's call through the REST API. Only a definite answer is
   * trusted: a 5xx, a timeout or a lost answer leave the door 'unknown', and the visitor's own
   * next hold request proves the update did not take effect (a call running the door TwiML
   * makes no hold requests), so the door is then served in that request's answer instead.
   */
  async request(buzz: Buzz): Promise<void> {
    const { rest, log } = this.d;
    buzz.door = 'requesting';
    try {
      await rest.updateCall(buzz.callSid, { twiml: this.twiml(buzz) });
      if (buzz.door === 'requesting') buzz.door = 'applied';
    } catch (err) {
      const code = (err as { code?: number }).code;
      log.error('buzz.open-request-failed', { buzz: buzz.callSid, error: errorText(err) });
      if (buzz.door !== 'requesting') return; // served or confirmed meanwhile
      if (code === 21220) {
        buzz.door = 'failed';
        buzz.doorFailure = 'visitor-gone';
        buzz.visitorGone = true;
        return;
      }
      buzz.door = 'unknown';
    }
  }

  /** Hands the door TwiML to the visitor's call in a webhook's answer (no REST involved). */
  serve(buzz: Buzz, via: string): string {
    buzz.door = 'served';
    this.d.log.info('buzz.door-served', { buzz: buzz.callSid, via });
    return this.twiml(buzz);
  }

  /** The door TwiML came back after its digits: the door was opened, once (texts, log). */
  done(buzz: Buzz): string {
    if (buzz.door !== 'opened') {
      buzz.door = 'opened';
      buzz.phase = 'opened';
      const winner = buzz.winnerLeg;
      const by = winner?.tenant.name ?? buzz.openedBy ?? 'a tenant';
      this.d.log.info('buzz.opened', { buzz: buzz.callSid, by: 'tenant', tenant: by });
      const others = this.d.settings.tenants.filter((t) => buzz.textOpener || t !== winner?.tenant);
      const at = this.d.clock.now();
      this.d.work.later(() => this.d.notify.opened(others, at, by, buzz.callSid));
    }
    return sayAndHangup({ message: MESSAGES.doorOpenedVisitor });
  }

  /** "Opening the door", then the tenant's call asks every second until it is known. */
  tenantWaits(buzz: Buzz, leg: TenantLeg, n: number): string {
    return pauseThenRedirect({ ...(n === 0 ? { message: MESSAGES.opening } : {}), seconds: 1, url: this.d.to('/tenant/door', buzz, leg, `&n=${n + 1}`) });
  }

  /** The tenant waiting to hear whether the door opened (n-th ask): the truth, once it is known. */
  async tenantAsks(buzz: Buzz, leg: TenantLeg, n: number): Promise<string> {
    if (buzz.door === 'opened') return sayAndHangup({ message: MESSAGES.doorOpenedTenant });
    if (buzz.visitorGone || (buzz.door === 'failed' && buzz.doorFailure === 'visitor-gone')) {
      return sayAndHangup({ message: MESSAGES.doorVisitorGoneTenant });
    }
    if (n < DOOR_CONFIRM_WAIT) return this.tenantWaits(buzz, leg, n);
    if (await this.visitorLeft(buzz)) {
      buzz.door = 'failed';
      buzz.doorFailure = 'visitor-gone';
      this.d.log.warn('buzz.open-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, reason: 'the visitor hung up' });
      return sayAndHangup({ message: MESSAGES.doorVisitorGoneTenant });
    }
    // No sign of the door in time and the visitor still there: say so, ring everyone again, text them.
    this.failed(buzz, leg);
    return sayAndHangup({ message: MESSAGES.doorFailedTenant });
  }

  private failed(buzz: Buzz, leg: TenantLeg): void {
    const { log, settings, notify } = this.d;
    buzz.reoffers += 1;
    log.error('buzz.open-failed', { buzz: buzz.callSid, tenant: leg.tenant.name, reoffer: buzz.reoffers });
    const at = this.d.clock.now();
    this.d.work.later(() =>
      notify.text(settings.tenants, `Front door at ${notify.time(at)}: ${leg.tenant.name} could not open it. The visitor is being put through to everyone again.`, 'open-failed', buzz.callSid),
    );
    // The visitor's next hold request gets the ringing <Dial> again.
    this.d.reoffer(buzz);
    buzz.door = 'failed';
    buzz.doorFailure = 'no-answer';
  }

  /** Asks Twilio whether the visitor's call is over (an error counts as "still there"). */
  async visitorLeft(buzz: Buzz): Promise<boolean> {
    try {
      const call = await this.d.rest.fetchCall(buzz.callSid);
      if (isTerminalCallStatus(call.status)) buzz.visitorGone = true;
    } catch (err) {
      this.d.log.warn('buzz.visitor-check-failed', { buzz: buzz.callSid, error: errorText(err) });
    }
    return buzz.visitorGone;
  }
}
