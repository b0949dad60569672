// `homephone sip credentials`: what to type into the SIP phone (a Grandstream DP750).
import type { RegisterGroup } from '../define.js';

export const registerSip: RegisterGroup = (program, lazy) => {
  const sip = program.command('sip').description("the SIP phone's account on the Twilio SIP domain");
  sip
    .command('credentials')
    .description('the SIP server, user name and password to configure on the phone (password masked)')
    .option('--show-secrets', 'show the password')
    .action(lazy(async () => (await import('./actions.js')).credentials));

  sip
    .command('phone-config')
    .description('provisioning for the Grandstream DP750: a cfg<mac>.xml file (mode 0600) or a web-UI checklist')
    .addOption(program.createOption('--format <format>', 'dp750 (the XML file) or checklist').choices(['dp750', 'checklist']).default('dp750'))
    .option('--mac <address>', "the base station's MAC address (names the file cfg<mac>.xml)")
    .option('--out <file>', 'where to write (dp750 default: ./cfg<mac>.xml; checklist default: stdout)')
    .addOption(program.createOption('--edge <edge>', 'the Twilio edge the phone registers to (nearest you)').default('ashburn'))
    .addOption(program.createOption('--transport <transport>', 'SIP transport').choices(['tls', 'tcp']).default('tls'))
    .option('--display-name <name>', 'the name the phone shows for the line', 'Home')
    .option('--show-secrets', 'show the password in the checklist and in --json')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone sip phone-config --mac 00:0B:82:AA:BB:CC\n  homephone sip phone-config --format checklist',
    )
    .action(lazy(async () => (await import('./phone-config.js')).phoneConfig));
};
