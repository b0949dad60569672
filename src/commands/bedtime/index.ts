// `homephone bedtime …`: the weekly schedule during which only override contacts ring through.
import type { RegisterGroup } from '../define.js';
import { AT_HELP } from '../time.js';

export const registerBedtime: RegisterGroup = (program, lazy) => {
  const bedtime = program
    .command('bedtime')
    .description('the weekly bedtime schedule (in the household time zone)');
  const load = async () => import('./actions.js');

  bedtime
    .command('set')
    .description('replace the schedule with these windows')
    .argument('<window...>', 'e.g. "Sun-Thu 20:00-07:00" "Fri-Sat 22:00-08:00"; a window past midnight belongs to its start day')
    .addHelpText('after', '\nExample:\n  homephone bedtime set "Sun-Thu 20:00-07:00" "Fri-Sat 22:00-08:00"')
    .action(lazy(async () => (await load()).set));

  bedtime
    .command('show')
    .description('print the schedule and whether it is bedtime now')
    .option('--at <time>', `check this time instead of now: ${AT_HELP}`)
    .addHelpText('after', '\nExample:\n  homephone bedtime show --at "2026-11-21 07:59"')
    .action(lazy(async () => (await load()).show));

  bedtime
    .command('clear')
    .description('remove the schedule: every whitelisted contact rings at any hour')
    .action(lazy(async () => (await load()).clear));
};
