// `homephone agent install`: write (or print) the systemd unit and say how to enable it. A system
// unit runs as the account that asked for it: under sudo that is SUDO_USER (with that account's
// config folder), never root unless --run-as root says so.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../context.js';
import { HomephoneError, InputError } from '../../errors.js';
import { configDir } from '../../config/paths.js';
import { accountHome, enableSteps, unitPath, unitText } from '../../agent/systemd.js';
import { parsePort } from './run.js';

interface Account {
  runAs: string | undefined;
  configDir: string;
}

/** Who the unit runs as, and which config folder it names. */
function account(ctx: CommandContext, user: boolean, explicit: string | undefined): Account {
  const asRoot = process.getuid?.() === 0;
  const sudoUser = asRoot && ctx.env.SUDO_USER && ctx.env.SUDO_USER !== 'root' ? ctx.env.SUDO_USER : undefined;
  if (user) {
    if (sudoUser) throw new InputError('--user installs a unit for your own account: run it without sudo', { hint: 'homephone agent install --user' });
    if (explicit !== undefined) throw new InputError('--run-as is for a system unit; a user unit runs as you', { hint: 'drop --user, or drop --run-as' });
    return { runAs: undefined, configDir: configDir(ctx.env) };
  }
  const me = userInfo().username;
  const runAs = explicit ?? sudoUser ?? me;
  if (runAs === 'root' && explicit === undefined) {
    throw new InputError('the agent would run as root: run `sudo homephone agent install` from the account that should run it', {
      hint: 'or name that account with --run-as USER (--run-as root if you really mean it)',
    });
  }
  if (ctx.env.HOMEPHONE_CONFIG_DIR) return { runAs, configDir: ctx.env.HOMEPHONE_CONFIG_DIR };
  if (runAs === me) return { runAs, configDir: configDir(ctx.env) };
  // Another account (sudo's caller, or --run-as): its own config folder, not root's.
  const home = accountHome(runAs);
  if (!home) throw new InputError(`there is no account named ${runAs} on this machine`, { hint: 'check the name, or create the account first' });
  return { runAs, configDir: join(home, '.config', 'homephone') };
}

export async function installAgent(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const user = Boolean(opts.user);
  const port = parsePort(opts.port);
  const who = account(ctx, user, typeof opts.runAs === 'string' ? opts.runAs : undefined);
  // dist/commands/agent/install.js → the package's bin/homephone.
  const bin = fileURLToPath(new URL('../../../bin/homephone', import.meta.url));
  const unit = unitText({
    node: process.execPath,
    bin,
    docs: fileURLToPath(new URL('../../../docs/buzzer.md', import.meta.url)),
    configDir: who.configDir,
    user,
    runAs: who.runAs,
    port,
    host: typeof opts.host === 'string' ? opts.host : undefined,
  });
  const path = unitPath(user, ctx.env);
  const steps = enableSteps(user);
  if (ctx.env.TWILIO_AUTH_TOKEN) {
    ctx.warn('TWILIO_AUTH_TOKEN is set here but is not copied into the unit: keep the token in the config, or in an EnvironmentFile (see the unit)');
  }
  if (!existsSync(join(who.configDir, 'config.json'))) {
    ctx.warn(`there is no configuration in ${who.configDir} yet: run homephone init${who.runAs && who.runAs !== userInfo().username ? ` as ${who.runAs}` : ''} before starting the agent`);
  }
  if (opts.print) {
    ctx.result(unit, { path, unit, runAs: who.runAs ?? null, configDir: who.configDir, enable: steps });
    return;
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, unit, { mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HomephoneError(`cannot write ${path}: ${code ?? (err as Error).message}`, {
      hint: code === 'EACCES' || code === 'EPERM' ? 'run it with sudo, or install a user unit with --user, or --print it' : 'use --print and place the unit yourself',
    });
  }
  ctx.result(() => [`Wrote ${path}${who.runAs ? ` (runs as ${who.runAs})` : ''}`, '', 'Enable and start it:', ...steps.map((s) => `  ${s}`)].join('\n'), {
    path,
    unit,
    runAs: who.runAs ?? null,
    configDir: who.configDir,
    enable: steps,
  });
}
