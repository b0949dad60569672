// `homephone doctor`: is everything in place? A checklist with a fix for each failure.
import type { RegisterGroup } from '../define.js';

export const registerDoctor: RegisterGroup = (program, lazy) => {
  program
    .command('doctor')
    .description('check the configuration, Twilio, the SIP domain, the buzzer agent and the Hue bridge; exit 1 if anything fails')
    .option('--agent-url <url>', 'check the buzzer agent at this address: its public URL, or a local one (requests are signed for buzzer.publicUrl); without it the agent is not checked')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone doctor\n  homephone doctor --json\n  homephone doctor --agent-url https://buzz.example.org/   # the agent through its public URL\n  homephone doctor --agent-url http://127.0.0.1:8080       # on the agent\'s own box',
    )
    .action(lazy(async () => (await import('./run.js')).doctor));
};
