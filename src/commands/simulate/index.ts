// `homephone simulate …`: run a call offline, on exactly what deploy would deploy, in an
// in-memory twin, and print its transcript.
import { collect, type RegisterGroup } from '../define.js';
import { AT_HELP } from '../time.js';

export const registerSimulate: RegisterGroup = (program, lazy) => {
  const simulate = program
    .command('simulate')
    .description('run a call offline against an in-memory Twilio twin and print its transcript');

  simulate
    .command('call')
    .description('a call to the home number (or one dialled on the SIP phone), on what deploy would deploy')
    .option('--from <number>', "the caller's number (needed for --to home; for --to phone the SIP phone calls)")
    .option('--to <target>', '"home" (a call to the home number) or "phone" (a call dialled on the SIP phone)', 'home')
    .option('--dial <number>', 'with --to phone: the number dialled on the SIP phone')
    .option('--at <time>', `when the call happens: ${AT_HELP} (default: now)`)
    .option('--press <digits>', 'digits the caller presses, e.g. 8 or 8@3s (repeatable, in order)', collect)
    .option('--phone <behaviour>', 'what the SIP phone does: answers | unregistered | busy | no-answer', 'answers')
    .option('--in-progress <number>', 'a call from this number is already talking to the home phone (repeatable)', collect)
    .option('--hangup-after <seconds>', 'the caller hangs up this long after connecting (default 60)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  homephone simulate call --from +15555550100',
        '  homephone simulate call --from +15555550100 --at "2026-11-20 23:30"',
        '  homephone simulate call --from +15555550100 --phone unregistered',
        '  homephone simulate call --from +15551230001 --in-progress +15555550100 --press 2468# --press 8   # the owner listens in',
        '  homephone simulate call --to phone --dial 911 --at "2026-11-20 23:30"',
      ].join('\n'),
    )
    .action(lazy(async () => (await import('./call.js')).simulateCall));

  simulate
    .command('text')
    .description("texts to the home number (the owner's commands), on what deploy would deploy; prints each reply")
    .argument('<text...>', 'one or more texts, sent in order a minute apart, e.g. "quiet 2h" "who"')
    .option('--from <number>', "who texts (default: the owner's cell, the only number obeyed)")
    .option('--at <time>', `when the first text arrives: ${AT_HELP} (default: now)`)
    .option('--then-call <number>', 'then a call to the home number from this number, to show what the texts changed')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  homephone simulate text help',
        '  homephone simulate text "quiet 2h" --then-call +15555550100',
        '  homephone simulate text "allow +1 555 555 0199 Grandpa" --then-call +15555550199',
        '  homephone simulate text "quiet 2h" --from +15550009999   # anyone else: no reply',
      ].join('\n'),
    )
    .action(lazy(async () => (await import('./text.js')).simulateText));

  simulate
    .command('buzz')
    .description('a buzz from the enterphone, with the local agent in-process and each tenant scripted')
    .option('--tenant <name=behaviour>', 'NAME=answers:1 | answers:9 | answers:1,*9@20 | voicemail | no-answer | busy (repeatable)', collect)
    .option('--at <time>', `when the buzz happens: ${AT_HELP} (default: now)`)
    .option('--code <keys>', 'the visitor types these keys at the entry-code prompt, e.g. 4821#')
    .option('--hangup-after <seconds>', 'the visitor hangs up this long after the buzz')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  homephone simulate buzz --tenant Alex=answers:1 --tenant Sam=voicemail',
        '  homephone simulate buzz --tenant Alex=answers:9@10',
        '  homephone simulate buzz --tenant Alex=answers:1,*9@20   # talks, then * and 9 open the door',
        '',
        'Behaviour: answers:KEY[@PICKUP][,KEYS@AT]...  KEY (1 talk, 9 open) is pressed 2 s after picking up',
        '(PICKUP seconds of ringing, default 4); each KEYS@AT presses KEYS one a second from AT seconds',
        'after picking up. While talking, * then 9 opens the door; other keys only reach the room as sound.',
        '  homephone simulate buzz --tenant Alex=busy --hangup-after 5 --json',
      ].join('\n'),
    )
    .action(lazy(async () => (await import('./buzz.js')).simulateBuzz));
};
