// `homephone monitor`: the calls in progress, and silent monitoring from the command line.
import type { RegisterGroup } from '../define.js';

export const registerMonitor: RegisterGroup = (program, lazy) => {
  program
    .command('monitor')
    .description('watch the calls in progress (home phone and buzzer rooms); --listen to join one silently')
    .option('--once', 'print the rooms once instead of refreshing (implied by --json or when not on a terminal)')
    .option('--interval <seconds>', 'refresh interval on a terminal', '2')
    .option('--listen [room]', 'call your cell into a room as a muted participant (default: the most recent call)')
    .option('--to <number>', "with --listen: the number to call instead of the owner's cell")
    .option('--whisper', 'with --listen: join as a coach who can talk to the household side only')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone monitor\n  homephone monitor --once --json\n  homephone monitor --listen\n' +
        '  homephone monitor --listen hp-CA… --to +15551230009\n  homephone monitor --listen --whisper',
    )
    .action(lazy(async () => (await import('./actions.js')).monitor));
};
