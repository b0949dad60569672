// `homephone deploy | plan | rollback | status`: provision Twilio from the configuration.
import type { RegisterGroup } from '../define.js';

export const registerDeploy: RegisterGroup = (program, lazy) => {
  const load = async () => import('./actions.js');
  const twinHelp = 'deploy to a running twin (homephone twin start) instead of Twilio; also HOMEPHONE_TWIN_URL';

  program
    .command('deploy')
    .description('provision everything on Twilio from the configuration: shows the plan, then applies it')
    .option('--dry-run', 'only show the plan (what would be created, changed or left alone); write nothing')
    .option('--detailed-exitcode', 'with --dry-run: exit 0 when nothing would change, 2 when changes are pending')
    .option('--adopt', 'take over resources with homephone\'s names that homephone did not create (shown in the plan); never a credential list holding other users')
    .option('--twin <url>', twinHelp)
    .addHelpText(
      'after',
      '\nExamples:\n  homephone deploy --dry-run                    # the plan, secrets masked\n' +
        '  homephone deploy                              # plan, confirm, apply (--yes skips the question)\n' +
        '  homephone plan --detailed-exitcode --json     # for a scheduled drift check\n' +
        '  homephone deploy --twin http://127.0.0.1:4010',
    )
    .action(lazy(async () => (await load()).deploy));

  program
    .command('plan')
    .description('the same as deploy --dry-run')
    .option('--detailed-exitcode', 'exit 0 when nothing would change, 2 when changes are pending')
    .option('--adopt', 'plan as deploy --adopt would: with what it would take over')
    .option('--twin <url>', twinHelp)
    .action(lazy(async () => (await load()).plan));

  program
    .command('rollback')
    .description('undo the last deploy: re-activate the previous build and re-publish the previous flow revisions')
    .option('--twin <url>', twinHelp)
    .action(lazy(async () => (await load()).rollback));

  program
    .command('status')
    .description('what is deployed, drift since the last deploy (changes made in the Console), and pending changes')
    .option('--twin <url>', twinHelp)
    .action(lazy(async () => (await load()).status));
};
