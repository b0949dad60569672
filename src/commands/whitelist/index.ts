// `homephone whitelist …`: the family's contact list.
import type { RegisterGroup } from '../define.js';

export const registerWhitelist: RegisterGroup = (program, lazy) => {
  const whitelist = program
    .command('whitelist')
    .description('keep the family contact list: who may ring the home phone and be called from it');

  whitelist
    .command('add')
    .description('add a contact, or update the one with the same number')
    .argument('<number>', 'phone number, e.g. "+1 555 555 5555" or "(555) 555-5555"')
    .option('--name <person>', "the contact's name (needed for a new contact; an existing one keeps its name)")
    .option('--override-bedtime', 'this contact rings through during bedtime')
    .option('--no-override-bedtime', 'this contact does not ring through during bedtime')
    .option('--primary-contact <text>', 'free text, e.g. whose contact this is')
    .option('--deploy', 'then push the whitelist to Twilio (as homephone whitelist sync)')
    .option('--twin <url>', 'with --deploy: push to a running twin instead of Twilio')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone whitelist add "(555) 555-5555" --name "Grandma" --override-bedtime\n  homephone whitelist add "(555) 555-5555" --primary-contact Mum   # update an existing contact',
    )
    .action(lazy(async () => (await import('./actions.js')).add));

  whitelist
    .command('remove')
    .description('remove a contact by number or by name')
    .argument('<number-or-name>', 'the number, or the exact name (any case)')
    .option('--deploy', 'then push the whitelist to Twilio (as homephone whitelist sync)')
    .option('--twin <url>', 'with --deploy: push to a running twin instead of Twilio')
    .action(lazy(async () => (await import('./actions.js')).remove));

  whitelist
    .command('list')
    .description('show the contacts')
    .action(lazy(async () => (await import('./list.js')).list));

  whitelist
    .command('import')
    .description('add or update contacts from a seed-format JSON file or a CSV file')
    .argument('<file>', 'JSON array of {Number, Person, OverrideBedtime, PrimaryContact}, or CSV with that header')
    .addOption(program.createOption('--format <format>', 'file format (default: from the file name)').choices(['json', 'csv']))
    .option('--replace', 'replace the whole list instead of merging')
    .option('--deploy', 'then push the whitelist to Twilio (as homephone whitelist sync)')
    .option('--twin <url>', 'with --deploy: push to a running twin instead of Twilio')
    .action(lazy(async () => (await import('./actions.js')).importFile));

  whitelist
    .command('sync')
    .description('push the whitelist to Twilio: one asset version, one build, one deployment, nothing else')
    .option('--twin <url>', 'push to a running twin instead of Twilio; also HOMEPHONE_TWIN_URL')
    .action(lazy(async () => (await import('./sync.js')).sync));

  whitelist
    .command('export')
    .description('print the contacts in the seed format (JSON) or as CSV')
    .addOption(program.createOption('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--out <file>', 'write to a file (mode 0600) instead of stdout')
    .action(lazy(async () => (await import('./actions.js')).exportFile));
};
