// `homephone check`: place real calls between numbers the account owns and judge every path.
import type { RegisterGroup } from '../define.js';

export const registerCheck: RegisterGroup = (program, lazy) => {
  program
    .command('check')
    .description('place calls between numbers the account owns and check every path end to end; exit 1 if any fails')
    .option('--tester <number>', 'the number that plays the whitelisted caller (a number the account owns; default: the buzzer number)')
    .option('--twin <url>', 'run against a Twilio twin (homephone twin start) instead of Twilio (HOMEPHONE_TWIN_URL works too)')
    .option('--ring-people', "make the buzzer call a real buzz: the tenants' phones ring and the lights flash (never without this flag)")
    .addHelpText(
      'after',
      '\nPrints the calls it will place and their cost first, and asks (--yes skips the question).\n' +
        'Without --twin it runs on the Twilio account of the configuration: real calls, a few cents.\n' +
        'Examples:\n  homephone check --twin http://127.0.0.1:4010 --yes\n  homephone check --tester +15551230003 --json --yes',
    )
    .action(lazy(async () => (await import('./run.js')).check));
};
