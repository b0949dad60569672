// `homephone sip credentials`: what to type into the SIP phone (a Grandstream DP750).
import type { RegisterGroup } from '../define.js';

export const registerSip: RegisterGroup = (program, lazy) => {
  const sip = program.command('sip').description("the SIP phone's account on the Twilio SIP domain");
  sip
    .command('credentials')
    .description('the SIP server, user name and password to configure on the phone (password masked)')
    .option('--show-secrets', 'show the password')
    .action(lazy(async () => (await import('./actions.js')).credentials));
};
