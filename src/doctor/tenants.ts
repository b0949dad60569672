// What the account's calls per second mean for a buzz. Twilio's API does not report an account's
// CPS (it is set in the Console, Voice → Settings → General; 1 by default), so this check reads
// nothing from Twilio: it says what the setting means for the configured tenants (at most 10,
// which is also what one <Dial> can ring).
import type { HomephoneConfig } from '../config/schema.js';
import type { CheckResult } from './checks.js';

export function checkTenants(config: HomephoneConfig): CheckResult | undefined {
  const tenants = config.buzzer?.tenants ?? [];
  if (tenants.length === 0) return undefined;
  return {
    id: 'tenants',
    title: 'Every tenant rings at once',
    status: 'pass',
    detail:
      `${tenants.length} tenant(s), rung by one <Dial> from the visitor's call, which the account's calls per second do not limit ` +
      "(Twilio's API does not report that setting; at its default of 1, REST-created calls would start 1 s apart)",
  };
}
