// `homephone agent install`: write (or print) the systemd unit and say how to enable it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../context.js';
import { HomephoneError } from '../../errors.js';
import { configDir } from '../../config/paths.js';
import { enableSteps, unitPath, unitText } from '../../agent/systemd.js';
import { parsePort } from './run.js';

export async function installAgent(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const user = Boolean(opts.user);
  // dist/commands/agent/install.js → the package's bin/homephone.
  const bin = fileURLToPath(new URL('../../../bin/homephone', import.meta.url));
  const unit = unitText({
    node: process.execPath,
    bin,
    docs: fileURLToPath(new URL('../../../docs/buzzer.md', import.meta.url)),
    configDir: configDir(ctx.env),
    user,
    runAs: user ? undefined : userInfo().username,
    port: parsePort(opts.port),
    host: typeof opts.host === 'string' ? opts.host : undefined,
  });
  const path = unitPath(user, ctx.env);
  const steps = enableSteps(user);
  if (ctx.env.TWILIO_AUTH_TOKEN) {
    ctx.warn('TWILIO_AUTH_TOKEN is set here but is not copied into the unit: keep the token in the config, or in an EnvironmentFile (see the unit)');
  }
  if (opts.print) {
    ctx.result(unit, { path, unit, enable: steps });
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
  ctx.result(() => [`Wrote ${path}`, '', 'Enable and start it:', ...steps.map((s) => `  ${s}`)].join('\n'), { path, unit, enable: steps });
}
