// `homephone doctor`: is everything in place? A checklist with a fix for each failure.
import type { RegisterGroup } from '../define.js';

export const registerDoctor: RegisterGroup = (program, lazy) => {
  program
    .command('doctor')
    .description('check the configuration, Twilio, the SIP domain, the buzzer agent and the Hue bridge; exit 1 if anything fails')
    .option('--agent-url <url>', "check the agent at this address instead of buzzer.publicUrl (requests are still signed for the public URL)")
    .addHelpText('after', '\nExamples:\n  homephone doctor\n  homephone doctor --json\n  homephone doctor --agent-url http://127.0.0.1:8080   # on the agent box itself')
    .action(lazy(async () => (await import('./run.js')).doctor));
};
