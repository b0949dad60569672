// `homephone buzzer …`: the buzzer's modes, switched while the agent runs.
import type { RegisterGroup } from '../define.js';

export const registerBuzzer: RegisterGroup = (program, lazy) => {
  const buzzer = program.command('buzzer').description("the apartment buzzer's modes: a delivery window, entry codes");
  const load = async () => import('./actions.js');

  buzzer
    .command('open-for')
    .description('for a while, a buzz opens the door at once and texts the tenants (a delivery window)')
    .argument('<duration>', 'how long: 30m, 2h, 1h30m (at most 24h)')
    .addHelpText('after', '\nExamples:\n  homephone buzzer open-for 30m\n  homephone buzzer close   # end it early')
    .action(lazy(async () => (await load()).openFor));

  buzzer
    .command('close')
    .description('end the delivery window now (buzzes ring the tenants again)')
    .action(lazy(async () => (await load()).close));

  buzzer
    .command('status')
    .description('the delivery window, the entry codes (names only) and who is rung')
    .action(lazy(async () => (await load()).status));

  const code = buzzer.command('code').description('entry codes a visitor can type at the door before the tenants are rung');
  code
    .command('add')
    .description('add (or replace) an entry code; stored only as a salted hash')
    .argument('<name>', 'who the code is for, e.g. cleaner')
    .option('--code <digits>', '4 to 8 digits (asked for, hidden, when omitted on a terminal)')
    .action(lazy(async () => (await load()).codeAdd));
  code
    .command('remove')
    .description('remove an entry code')
    .argument('<name>', 'the code\'s name')
    .action(lazy(async () => (await load()).codeRemove));
  code
    .command('list')
    .description('the entry codes\' names')
    .action(lazy(async () => (await load()).codeList));
};
