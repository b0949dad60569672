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
    .option('--caller-id <e164...>', 'verified caller IDs of the twin account (usable as From on REST calls), e.g. the owner\'s cell (repeatable)', collect)
    .option('--auto-advance', 'let virtual time run whenever everything settled (default: only while a scenario is played)')
    .option('--quiet-ms <n>', 'wall-clock quiet window before virtual time moves on, for webhook servers in other processes', '0')
    .option('--host-map <host=url...>', 'send webhooks for a public host to a local server, signed for the public URL (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  homephone twin start --port 4010 --number +15551230001\n' +
        '  homephone twin start --host-map buzz.example.org=http://127.0.0.1:8080   # reach a local `homephone agent`\n' +
        '  homephone twin start --json   # one JSON object with url, account_sid, auth_token…',
    )
    .action(lazy(async () => (await import('./start.js')).start));

  twin
    .command('call')
    .description('place an inbound call in a running twin and print its transcript once everything has settled')
    .option('--twin <url>', 'the twin to call (default: $HOMEPHONE_TWIN_URL)')
    .requiredOption('--from <number>', 'the caller: +15550001111, or sip:user@domain.sip.twilio.com for the SIP phone')
    .requiredOption('--to <number>', 'an owned number, or what the SIP phone dials')
    .option('--press <digits@time...>', 'keys the caller presses, seconds after the call connects, e.g. 1@3s (repeatable)', collect)
    .option('--hangup-after <seconds>', 'the caller hangs up this many seconds after connecting')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone twin call --twin http://127.0.0.1:4010 --from +15550001111 --to +15551230001 --press 1@3s\n' +
        '  homephone twin call --from +15550001111 --to +15551230001 --json     # HOMEPHONE_TWIN_URL names the twin',
    )
    .action(lazy(async () => (await import('./call.js')).call));
};
