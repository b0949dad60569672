// `homephone init`: set up the configuration, interactively or entirely from flags.
import { collect, type RegisterGroup } from '../define.js';

export const registerInit: RegisterGroup = (program, lazy) => {
  program
    .command('init')
    .description('set homephone up: Twilio credentials, the household, optionally the buzzer and bedtime')
    .option('--from-file <answers.json>', 'read answers from a JSON file (keys are the flag names in camelCase)')
    .option('--account-sid <sid>', 'Twilio account SID (AC…)')
    .option('--auth-token <token>', 'Twilio auth token')
    .option('--api-key <sid>', 'Twilio API key SID (SK…)')
    .option('--api-secret <secret>', 'Twilio API key secret')
    .option('--country <code>', 'default country for phone numbers, e.g. US')
    .option('--home-number <number>', 'the Twilio number that rings the home phone')
    .option('--owner-cell <number>', "the owner's cell")
    .option('--time-zone <zone>', 'IANA time zone, e.g. America/Toronto')
    .option('--sip-domain <name>', 'SIP domain, e.g. myhome (→ myhome.sip.twilio.com)')
    .option('--sip-username <user>', "the SIP phone's username")
    .option('--emergency-numbers <list>', "extra numbers always dialled directly, beyond the country's emergency numbers, 112 and 911 (comma-separated, or none)")
    .option('--monitor-code <digits>', 'code (4-8 digits) the owner enters to join or listen to a call')
    .option('--buzzer', 'set up the apartment buzzer too')
    .option('--no-buzzer', 'no apartment buzzer (removes its settings)')
    .option('--buzzer-number <number>', 'the Twilio number the enterphone calls')
    .option('--enterphone-number <number>', "the enterphone's own number")
    .option('--tenant <name=number>', 'a tenant to ring, e.g. "Alex=+15551234567" (repeatable)', collect)
    .option('--door-digits <digits>', 'digits that open the door (default 9)')
    .option('--public-url <url>', "the agent's public HTTPS URL")
    .option('--bedtime <window>', 'a bedtime window, e.g. "Sun-Thu 20:00-07:00" (repeatable)', collect)
    .addOption(program.createOption('--no-bedtime', 'no bedtime schedule (clears it)'))
    .addHelpText(
      'after',
      `
Examples:
  homephone init
  homephone init --yes \\
    --account-sid ACxxxxxxxx… --auth-token xxxxxxxx… \\
    --home-number "+1 555 123 0000" --owner-cell "(555) 123-0001" \\
    --time-zone America/New_York --sip-domain myhome --monitor-code 2468 \\
    --bedtime "Sun-Thu 20:00-07:00" --bedtime "Fri-Sat 22:00-08:00"
  homephone init --yes --from-file answers.json   # keys are the flags in camelCase
  homephone init --yes --owner-cell +15551230042  # re-run: changes one answer, keeps the rest`,
    )
    .action(lazy(async () => (await import('./run.js')).init));
};
