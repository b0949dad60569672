// `homephone calls`: the household's recent calls and what was decided for each.
import type { RegisterGroup } from '../define.js';

export const registerCalls: RegisterGroup = (program, lazy) => {
  program
    .command('calls')
    .description('recent calls to and from the home phone and the buzzer, newest first, with what was decided')
    .option('--since <span>', 'only calls in the last span: 30m, 12h, 7d, 2w')
    .option('--blocked', 'only calls turned away (not on the whitelist, bedtime)')
    .option('--buzzer', 'only buzzer calls')
    .option('--from <number>', 'only calls from or to this number')
    .option('--limit <n>', 'at most this many calls', '20')
    .option('--show-numbers', 'show numbers not on the whitelist in full (masked by default)')
    .addHelpText('after', '\nExamples:\n  homephone calls\n  homephone calls --since 7d --blocked\n  homephone calls --from "+1 555 555 0199" --json')
    .action(lazy(async () => (await import('./actions.js')).calls));
};
