// `homephone twin …`: the local Twilio twin.
import type { RegisterGroup } from '../define.js';
import { collect } from '../define.js';

export const registerTwin: RegisterGroup = (program, lazy) => {
  const twin = program.command('twin').description('the local Twilio twin: a stand-in for Twilio for tests, demos and simulate');

  twin
    .command('start')
    .description('run the twin as a local server until Ctrl-C, printing its URL, account SID and auth token')
    .option('--port <n>', 'port to listen on (default: a free port)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--number <e164...>', 'phone numbers the twin account owns, e.g. +15551230001 (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  homephone twin start --port 4010 --number +15551230001 +15551230002\n' +
        '  homephone twin start --json   # one JSON object with url, account_sid, auth_token…',
    )
    .action(lazy(async () => (await import('./start.js')).start));
};
