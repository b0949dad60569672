// Text messages to the tenants: the agent is up, a buzz was missed, the door was opened. Sent from
// the buzzer number; a failed text is logged, never thrown (a buzz must not fail because of one).
import type { Tenant } from '../config/schema.js';
import type { AgentLogger } from './logger.js';
import type { AgentRest } from './rest.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** "14:02" in the household's time zone. */
export function clockTime(at: Date, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    formats.set(timeZone, f);
  }
  return f.format(at);
}

export class Notifier {
  constructor(
    private readonly rest: AgentRest,
    private readonly from: string,
    private readonly timeZone: string,
    private readonly log: AgentLogger,
  ) {}

  time(at: Date): string {
    return clockTime(at, this.timeZone);
  }

  /** Sends `body` to each tenant in parallel; resolves when all were tried. */
  async text(tenants: readonly Tenant[], body: string, about: string, buzz?: string): Promise<void> {
    await Promise.all(
      tenants.map(async (t) => {
        try {
          const m = await this.rest.sendSms(t.number, this.from, body);
          this.log.info('sms.sent', { about, buzz, tenant: t.name, sid: m.sid });
        } catch (err) {
          this.log.error('sms.failed', { about, buzz, tenant: t.name, error: errorText(err) });
        }
      }),
    );
  }

  startup(first: Tenant | undefined, url: string): Promise<void> {
    return first ? this.text([first], `homephone: the buzzer agent is up and answering at ${url}`, 'startup') : Promise.resolve();
  }

  missed(tenants: readonly Tenant[], at: Date, buzz: string, why = 'nobody answered the front door'): Promise<void> {
    return Promise.all([this.text(tenants, `Missed buzz at ${this.time(at)}: ${why}.`, 'missed', buzz), this.record(buzz, 'missed-buzz', null)]).then(() => {});
  }

  opened(tenants: readonly Tenant[], at: Date, by: string, buzz: string): Promise<void> {
    return Promise.all([this.text(tenants, `Front door opened at ${this.time(at)} by ${by}.`, 'opened', buzz), this.record(buzz, 'buzz-opened', by)]).then(() => {});
  }

  /** The buzz's outcome in the call history (`homephone calls`); a failure is logged, never thrown. */
  private async record(buzz: string, decision: 'buzz-opened' | 'missed-buzz', person: string | null): Promise<void> {
    if (!this.rest.recordBuzz) return;
    try {
      await this.rest.recordBuzz({ call: buzz, decision, person });
    } catch (err) {
      this.log.error('history.failed', { buzz, error: errorText(err) });
    }
  }
}

export function errorText(err: unknown): string {
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  const parts = [e?.status !== undefined ? `HTTP ${String(e.status)}` : '', e?.code !== undefined ? `code ${String(e.code)}` : ''].filter(Boolean);
  return `${typeof e?.message === 'string' ? e.message : String(err)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
