// `homephone config …`: read and change the configuration file.
import type { RegisterGroup } from '../define.js';

export const registerConfig: RegisterGroup = (program, lazy) => {
  const config = program.command('config').description('read and change the configuration');
  const load = async () => import('./actions.js');

  config
    .command('path')
    .description('print where the configuration and whitelist live')
    .action(lazy(async () => (await load()).path));

  config
    .command('show')
    .description("print your settings (secrets masked); deploy's own records only with --all")
    .option('--all', "also print what deploy records for itself (SIDs, hashes of what it uploaded)")
    .option('--show-secrets', 'print secrets in clear')
    .action(lazy(async () => (await load()).show));

  config
    .command('get')
    .description('print one value, by dotted key (e.g. household.timeZone)')
    .argument('<key>', 'dotted key')
    .option('--show-secrets', 'print secrets in clear')
    .action(lazy(async () => (await load()).get));

  config
    .command('set')
    .description('set one value; it is validated before it is written')
    .argument('<key>', 'dotted key, e.g. household.timeZone')
    .argument('<value>', 'the value; lists and objects as JSON, e.g. \'["911","112"]\'')
    .addHelpText('after', '\nExamples:\n  homephone config set household.timeZone America/Toronto\n  homephone config set buzzer.ringTimeout 30')
    .action(lazy(async () => (await load()).set));

  config
    .command('unset')
    .description('remove one value')
    .argument('<key>', 'dotted key')
    .action(lazy(async () => (await load()).unset));
};
