// Is the buzzer agent answering where Twilio will call it, and does it tell Twilio from others?
// Three requests, none with side effects: /healthz, an unsigned POST (must be refused), and a
// signed POST from a number that is not the enterphone (must be accepted, then politely rejected,
// which creates no call).
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { BuzzerSection } from '../config/schema.js';
import { PublicUrl } from '../agent/signature.js';
import { fail, pass, type CheckResult } from './checks.js';

export interface AgentCheckOptions {
  buzzer: BuzzerSection & { publicUrl: string; number: string };
  accountSid: string;
  authToken: string;
  /** Where to send the requests, when not the public URL (e.g. http://127.0.0.1:8080 on the box itself). */
  agentUrl?: string | undefined;
  timeoutMs?: number;
}

/** A number that can never be the enterphone's: Twilio's magic test number, or its neighbour. */
function notTheEnterphone(enterphone: string | undefined): string {
  return enterphone === '+15005550006' ? '+15005550007' : '+15005550006';
}

export async function checkAgent(options: AgentCheckOptions): Promise<CheckResult[]> {
  const url = new PublicUrl(options.buzzer.publicUrl);
  const base = options.agentUrl ? new PublicUrl(options.agentUrl) : url;
  const signal = () => AbortSignal.timeout(options.timeoutMs ?? 5000);
  const where = options.agentUrl ? `${options.agentUrl} (public URL ${url.configured})` : url.configured;

  const health = base.to('/healthz');
  try {
    const res = await fetch(health, { signal: signal() });
    if (!res.ok) {
      return [fail('agent', `Buzzer agent reachable at ${where}`, `${health} answered ${res.status}`, 'check the reverse proxy routes buzzer.publicUrl to the agent (homephone agent)')];
    }
  } catch (err) {
    return [
      fail('agent', `Buzzer agent reachable at ${where}`, `${health}: ${(err as Error).cause ? String((err as { cause: unknown }).cause) : (err as Error).message}`, 'start it (homephone agent, or homephone agent install for a service) and check DNS, TLS and the proxy'),
    ];
  }
  const results = [pass('agent', `Buzzer agent reachable at ${where}`, 'GET /healthz answered 200')];

  const params = {
    AccountSid: options.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: `CA${'d0c7'.repeat(8)}`,
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: notTheEnterphone(options.buzzer.enterphoneNumber),
    To: options.buzzer.number,
  };
  const body = new URLSearchParams(params).toString();
  const post = (headers: Record<string, string>) =>
    fetch(base.to('/'), {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      signal: signal(),
    });
  const unsigned = await post({});
  results.push(
    unsigned.status === 403
      ? pass('agent-unsigned', 'Agent refuses unsigned requests', 'an unsigned POST got 403')
      : fail('agent-unsigned', 'Agent refuses unsigned requests', `an unsigned POST got ${unsigned.status}, not 403`, 'upgrade homephone on the agent box; never run the agent without signature checks'),
  );
  // Signed over the public URL, as Twilio signs it, whichever address it is sent to.
  const signature = getExpectedTwilioSignature(options.authToken, url.to('/'), params);
  const signed = await post({ 'X-Twilio-Signature': signature });
  results.push(
    signed.status === 200
      ? pass('agent-signed', 'Agent accepts requests signed by Twilio', 'a signed test request got 200')
      : fail(
          'agent-signed',
          'Agent accepts requests signed by Twilio',
          `a request signed for ${url.to('/')} got ${signed.status}`,
          signed.status === 403
            ? 'the agent checks signatures against another URL or token: buzzer.publicUrl and twilio.authToken must be the same on both machines'
            : 'see the agent log (journalctl -u homephone-agent)',
        ),
  );
  return results;
}
