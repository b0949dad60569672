// The commander program: global flags, lazily loaded command groups, and the ONE place that maps
// errors to exit codes and messages.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Command as CommandType, CommanderError as CommanderErrorType } from 'commander';
import { createContext, loadStyle, processIo, requestedExitCode, type GlobalOptions, type Io } from './commands/context.js';
import type { Action, RegisterGroup } from './commands/define.js';
import { describePermissionError, ExitCode, HomephoneError, InputError } from './errors.js';
// commander is CommonJS: require() skips the ESM wrapper and its export scan, measurably faster at
// start-up (bench/startup.mjs). The group modules take Option from program.createOption().
const { Command, CommanderError } = createRequire(import.meta.url)('commander') as {
  Command: typeof CommandType;
  CommanderError: typeof CommanderErrorType;
};

/**
 * Top-level command → the group module that registers it. Only the group a command line names is
 * loaded (all of them for help or an unknown command, none for --version), so start-up does not
 * grow with the number of commands.
 */
const groupLoaders: Record<string, () => Promise<RegisterGroup>> = {};
function group(names: string[], load: () => Promise<RegisterGroup>): void {
  for (const name of names) groupLoaders[name] = load;
}
group(['init'], async () => (await import('./commands/init/index.js')).registerInit);
group(['config'], async () => (await import('./commands/config/index.js')).registerConfig);
group(['whitelist'], async () => (await import('./commands/whitelist/index.js')).registerWhitelist);
group(['bedtime'], async () => (await import('./commands/bedtime/index.js')).registerBedtime);
group(['deploy', 'plan', 'rollback', 'status'], async () => (await import('./commands/deploy/index.js')).registerDeploy);
group(['sip'], async () => (await import('./commands/sip/index.js')).registerSip);
group(['hue'], async () => (await import('./commands/hue/index.js')).registerHue);
group(['check'], async () => (await import('./commands/check/index.js')).registerCheck);
group(['doctor'], async () => (await import('./commands/doctor/index.js')).registerDoctor);
group(['monitor'], async () => (await import('./commands/monitor/index.js')).registerMonitor);
group(['calls'], async () => (await import('./commands/calls/index.js')).registerCalls);
group(['alerts'], async () => (await import('./commands/alerts/index.js')).registerAlerts);
group(['twin'], async () => (await import('./commands/twin/index.js')).registerTwin);
group(['agent'], async () => (await import('./commands/agent/index.js')).registerAgent);
group(['buzzer'], async () => (await import('./commands/buzzer/index.js')).registerBuzzer);
group(['simulate'], async () => (await import('./commands/simulate/index.js')).registerSimulate);
group(['demo'], async () => (await import('./commands/demo/index.js')).registerDemo);

function groupsFor(argv: string[]): Array<() => Promise<RegisterGroup>> {
  // Every global option is a plain flag, so the first word that is not an option is the command.
  const command = argv.find((arg) => !arg.startsWith('-'));
  if (command !== undefined && groupLoaders[command]) return [groupLoaders[command]];
  if (command === undefined && (argv.includes('--version') || argv.includes('-V'))) return [];
  return [...new Set(Object.values(groupLoaders))];
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where commander's usage errors go: kept for main() to report like every other error. */
interface UsageErrorSink {
  message?: string;
}

export async function buildProgram(io: Io, argv: string[] = [], usage?: UsageErrorSink): Promise<CommandType> {
  const program = new Command('homephone');
  program
    .description("Run a family's home phone and apartment buzzer on Twilio")
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('-y, --yes', 'never prompt; fail naming the missing flag instead')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('--debug', 'show stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // Usage errors are reported by main() (with a hint, and as JSON with --json).
      outputError: (s, write) => (usage ? void (usage.message = s) : write(s)),
    });

  const lazy = (load: () => Promise<Action>) =>
    async function (...commanderArgs: unknown[]): Promise<void> {
      const cmd = commanderArgs.at(-1) as CommandType;
      const opts = commanderArgs.at(-2) as Record<string, unknown>;
      const ctx = await createContext(cmd.optsWithGlobals<GlobalOptions>(), io);
      const handler = await load();
      await handler(ctx, commanderArgs.slice(0, -2), opts);
    };

  for (const register of await Promise.all(groupsFor(argv).map((load) => load()))) register(program, lazy);
  return program;
}

/** Global flags read straight from argv, for reporting errors that happen before parsing ends. */
function earlyFlags(argv: string[]): GlobalOptions {
  return {
    json: argv.includes('--json'),
    debug: argv.includes('--debug'),
    color: !argv.includes('--no-color'),
  };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const usage: UsageErrorSink = {};
  let program: CommandType | undefined;
  try {
    program = await buildProgram(io, argv, usage);
    await program.parseAsync(argv, { from: 'user' });
    return requestedExitCode(io) ?? ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError && usage.message !== undefined && program) {
      return reportError(usageError(usage.message, program, argv), io, earlyFlags(argv));
    }
    return reportError(err, io, earlyFlags(argv));
  }
}

/** The deepest command argv names (the program itself when none), for a "--help" hint. */
function commandPath(program: CommandType, argv: string[]): string {
  const path = ['homephone'];
  let current = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    path.push(word);
    current = next;
  }
  return path.join(' ');
}

/** A commander usage error ("error: unknown option '--x'\n(Did you mean --y?)") as our own. */
function usageError(text: string, program: CommandType, argv: string[]): HomephoneError {
  const message = text.trim().replace(/^error: /, '').replace(/\n+/g, ' ');
  const path = commandPath(program, argv);
  const hint = path === 'homephone' ? 'homephone --help lists the commands' : `see ${path} --help`;
  return new InputError(message, { hint });
}

interface Reported {
  exitCode: number;
  message: string;
  hint?: string | undefined;
}

function classify(err: unknown): Reported {
  if (err instanceof HomephoneError) return { exitCode: err.exitCode, message: err.message, hint: err.hint };
  const denied = describePermissionError(err);
  if (denied) return { exitCode: denied.exitCode, message: denied.message, hint: denied.hint };
  const e = err as { name?: string; status?: number; code?: number | string; message?: string; moreInfo?: string };
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    return { exitCode: ExitCode.cancelled, message: 'cancelled' };
  }
  // A Twilio RestException, recognised by shape so this file never loads the SDK.
  if (typeof e?.status === 'number' && e.status === 401) {
    return {
      exitCode: ExitCode.auth,
      message: `Twilio rejected the credentials (${e.code ?? 401}): ${e.message ?? 'authentication failed'}`,
      hint: 'check twilio.accountSid and the API key/secret or auth token (homephone config show), or TWILIO_* env vars',
    };
  }
  return {
    exitCode: ExitCode.failure,
    message: `unexpected error: ${e?.message ?? String(err)}`,
    hint: 'run again with --debug for the stack trace',
  };
}

async function reportError(err: unknown, io: Io, flags: GlobalOptions): Promise<number> {
  if (err instanceof CommanderError) {
    // Help and version are successes (commander printed them); other usage errors come as HomephoneError.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
    return ExitCode.usage;
  }
  const reported = classify(err);
  const style = await loadStyle(flags, io);
  io.stderr.write(`${style.red('error:')} ${reported.message}\n`);
  if (reported.hint) io.stderr.write(`${style.dim('hint:')} ${reported.hint}\n`);
  if (flags.debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  if (flags.json) {
    const doc = { error: { message: reported.message, hint: reported.hint ?? null, exitCode: reported.exitCode } };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
  return reported.exitCode;
}
