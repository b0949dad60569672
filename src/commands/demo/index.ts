// `homephone demo`: the whole system on a made-up household, offline: an embedded twin, the real
// deploy and the real buzzer agent, eight scenarios from both seeds, each judged by its transcript.
import { collect, type RegisterGroup } from '../define.js';

export const registerDemo: RegisterGroup = (program, lazy) => {
  program
    .command('demo')
    .description('play the home phone and buzzer scenarios on a demo household in an embedded Twilio twin; exit 1 unless all behave as designed')
    .option('--scenario <name>', 'play only this scenario (repeatable); see the list below', collect)
    .option('--quiet', 'print only the summary table')
    .option('--keep', 'keep the temporary folder holding the demo config.json and whitelist.json')
    .addHelpText(
      'after',
      [
        '',
        'Scenarios: whitelisted-caller, blocked-caller, owner-monitoring, outbound-whitelisted,',
        '           outbound-not-whitelisted, emergency-at-bedtime, buzz-talk, buzz-open',
        '',
        'Needs no configuration and no Twilio account: your own config, whitelist and TWILIO_* settings',
        'are never read, and nothing but 127.0.0.1 is contacted.',
        '',
        'Examples:',
        '  homephone demo',
        '  homephone demo --quiet',
        '  homephone demo --scenario owner-monitoring --scenario buzz-open',
        '  homephone demo --json',
      ].join('\n'),
    )
    .action(lazy(async () => (await import('./run.js')).demo));
};
