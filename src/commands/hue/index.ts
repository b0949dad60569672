// `homephone hue …`: pair a Philips Hue bridge and choose the lights that flash when the buzzer rings.
import type { RegisterGroup } from '../define.js';

export const registerHue: RegisterGroup = (program, lazy) => {
  const hue = program
    .command('hue')
    .description('pair a Philips Hue bridge and choose the lights that flash when the buzzer rings');
  const load = async () => import('./actions.js');

  hue
    .command('pair')
    .description('pair with the bridge: press its link button when asked (stores the bridge and its user name)')
    .option('--bridge <address>', 'the bridge IP address or host name (default: find it by mDNS); http://host:port for an emulator')
    .option('--timeout <seconds>', 'how long to wait for the link button', '60')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone hue pair\n  homephone hue pair --bridge 192.168.1.20\n  homephone hue pair --bridge http://127.0.0.1:8080   # an emulator over plain HTTP',
    )
    .action(lazy(async () => (await load()).pair));

  hue
    .command('lights')
    .description('list the lights on the paired bridge, marking the ones that flash on a buzz')
    .action(lazy(async () => (await load()).lights));

  hue
    .command('use')
    .description('choose the lights that flash on a buzz ("all" for every light)')
    .argument('<lights>', 'light ids from homephone hue lights, e.g. 1,3; or all')
    .addHelpText('after', '\nExamples:\n  homephone hue use 1,3\n  homephone hue use all')
    .action(lazy(async () => (await load()).use));

  hue
    .command('flash')
    .description('flash the buzzer lights now (or the ones given), to try them')
    .option('--lights <ids>', 'light ids, e.g. 1,3; or all (default: the ones chosen with hue use)')
    .option('--short', 'one breath instead of about 15 seconds of breathing')
    .action(lazy(async () => (await load()).flash));
};
