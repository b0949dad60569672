// `homephone alerts …`: texts to the owner's cell about the home phone's calls (off by default).
import type { RegisterGroup } from '../define.js';

export const registerAlerts: RegisterGroup = (program, lazy) => {
  const alerts = program
    .command('alerts')
    .description("texts to the owner's cell when an unknown number calls or a whitelisted call is missed (off by default)");
  const load = async () => import('./actions.js');

  alerts
    .command('on')
    .description('switch alerts on (options not given keep their last value, or the default)')
    .addOption(program.createOption('--unknown <mode>', 'an unknown number called: text at once, add it to the daily digest, or nothing (default immediate)').choices(['immediate', 'digest', 'off']))
    .addOption(program.createOption('--missed <on|off>', 'a whitelisted call nobody answered: text or not (default on)').choices(['on', 'off']))
    .option('--max-per-day <n>', 'texts a day at most, 1-100 (default 10); the last one says so')
    .option('--digest-at <HH:MM>', "when the day's digest is due, in the household's time zone (default 20:00)")
    .option('--deploy', 'then push the setting to Twilio (one Variable, no build)')
    .option('--twin <url>', 'with --deploy: push to a running twin instead of Twilio')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone alerts on\n  homephone alerts on --unknown digest --digest-at 19:30 --missed on --max-per-day 5',
    )
    .action(lazy(async () => (await load()).on));

  alerts
    .command('off')
    .description('switch alerts off (the settings are kept for the next alerts on)')
    .option('--deploy', 'then push the setting to Twilio (removes the Variable, no build)')
    .option('--twin <url>', 'with --deploy: push to a running twin instead of Twilio')
    .action(lazy(async () => (await load()).off));

  alerts
    .command('status')
    .description('show whether alerts are on and how they are set')
    .option('--live', "also read today's texts and the waiting digest from Twilio")
    .option('--twin <url>', 'with --live: read a running twin instead of Twilio')
    .addHelpText('after', '\nExample:\n  homephone alerts status --live')
    .action(lazy(async () => (await load()).status));

  alerts
    .command('digest')
    .description("send the unknown callers' digest if its time has come (run it from cron at the digest time)")
    .option('--force', 'send what is waiting now, even before the digest time')
    .option('--show-numbers', 'print the numbers in full (the text to the owner always has them; this output masks them)')
    .option('--twin <url>', 'use a running twin instead of Twilio; also HOMEPHONE_TWIN_URL')
    .addHelpText('after', '\nExample:\n  homephone alerts digest\n\nAs a crontab line, a minute after a 19:30 digest time: 31 19 * * * homephone alerts digest')
    .action(lazy(async () => (await load()).digest));
};
