// deploy | plan | rollback | status: parse options, call src/deploy, print.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { CancelledError, InputError } from '../../errors.js';
import type { DeploySession } from '../../deploy/index.js';
import { progressFor } from './progress.js';
import { visible } from '../../util/visible.js';

function twinOption(opts: Record<string, unknown>): { twinUrl?: string } {
  return typeof opts.twin === 'string' && opts.twin ? { twinUrl: opts.twin } : {};
}

async function open(ctx: CommandContext, opts: Record<string, unknown>, withProgress: boolean): Promise<DeploySession> {
  const { openSession } = await import('../../deploy/index.js');
  const session = await openSession(ctx.env, { ...twinOption(opts), ...(withProgress ? { progress: await progressFor(ctx) } : {}) });
  if (opts.adopt) session.adopt = true;
  return session;
}

/** Asks before changing Twilio; without a terminal to ask on, only --yes goes ahead (like Terraform's -auto-approve). */
async function confirmed(ctx: CommandContext, message: string, command: string): Promise<void> {
  if (ctx.yes) return;
  if (!ctx.interactive) {
    throw new InputError(`${command} changes Twilio and there is no terminal to confirm on: nothing was changed`, {
      hint: `review the plan (homephone plan), then run homephone ${command} --yes`,
    });
  }
  const { confirm } = await import('@inquirer/prompts');
  const ok = await confirm({ message, default: false }, { output: ctx.io.stderr });
  if (!ok) throw new CancelledError('nothing was changed', { hint: 'run homephone deploy again when ready (--yes skips the question)' });
}

async function dryRun(ctx: CommandContext, opts: Record<string, unknown>): Promise<void> {
  const { planDeploy, renderPlan, planData } = await import('../../deploy/index.js');
  const session = await open(ctx, opts, false);
  const { plan } = await planDeploy(session);
  ctx.result(renderPlan(plan, { paint: ctx.outStyle, target: session.target }), { target: session.target, plan: planData(plan) });
  if (opts.detailedExitcode && plan.hasChanges) ctx.setExitCode(2);
}

export const plan: Action = async (ctx, _args, opts) => dryRun(ctx, opts);

export const deploy: Action = async (ctx, _args, opts) => {
  if (opts.dryRun) return dryRun(ctx, opts);
  if (opts.detailedExitcode) {
    throw new InputError('--detailed-exitcode goes with --dry-run', { hint: 'use homephone deploy --dry-run --detailed-exitcode (or homephone plan --detailed-exitcode)' });
  }
  const { planDeploy, applyPlan, renderPlan, planData, renderApplied, ForeignResourcesError } = await import('../../deploy/index.js');
  const session = await open(ctx, opts, true);
  const planned = await planDeploy(session);
  const text = renderPlan(planned.plan, { paint: ctx.outStyle, target: session.target });
  if (!planned.plan.hasChanges) {
    ctx.result(text, { target: session.target, plan: planData(planned.plan), applied: { writes: 0, breakdown: {}, operations: [] } });
    return;
  }
  // The plan goes where the no-change plan goes, stdout, ahead of the result; progress stays on stderr.
  if (!ctx.json) ctx.io.stdout.write(`${text}\n\n`);
  // Refused before asking: another party's resources change only with --adopt.
  if (planned.plan.foreign.length && !session.adopt) throw new ForeignResourcesError(planned.plan.foreign);
  await confirmed(ctx, 'Apply these changes?', 'deploy');
  const started = performance.now();
  const applied = await applyPlan(session, planned);
  const seconds = (performance.now() - started) / 1000;
  ctx.result(renderApplied(applied, seconds), { target: session.target, plan: planData(planned.plan), applied, seconds: Number(seconds.toFixed(3)) });
};

export const rollback: Action = async (ctx, _args, opts) => {
  const { rollback: doRollback, renderApplied } = await import('../../deploy/index.js');
  const session = await open(ctx, opts, true);
  await confirmed(ctx, 'Roll back to the previous build and flow revisions?', 'rollback');
  const started = performance.now();
  const result = await doRollback(session);
  const seconds = (performance.now() - started) / 1000;
  const lines = [
    result.build.from === result.build.to ? 'The build stays as it is.' : `Re-activated build ${result.build.to} (was ${result.build.from}).`,
    ...result.flows.map((f) => `Re-published "${f.flow}" revision ${f.to} as revision ${f.revision} (was ${f.from}).`),
    renderApplied(result.applied, seconds),
    ...result.warnings.map((w) => `warning: ${w}`),
    'A later homephone deploy brings back what the configuration says.',
  ];
  ctx.result(lines.join('\n'), result);
};

export const status: Action = async (ctx, _args, opts) => {
  const { deployStatus, renderStatus, statusData, textedState } = await import('../../deploy/index.js');
  const session = await open(ctx, opts, false);
  const result = await deployStatus(session);
  // What the owner's texts changed (live now, kept in Sync): a quiet time, contacts waiting for a sync.
  const texted = result.deployed ? await textedState(session.client, ctx.now()) : null;
  const lines = [renderStatus(result, ctx.outStyle)];
  if (texted && (texted.quietUntil || texted.contacts.length)) {
    lines.push('', 'Texted to the home number (live now):');
    if (texted.quietUntil) lines.push(`  quiet until ${texted.quietUntil}`);
    for (const c of texted.contacts) lines.push(`  ${c.action} ${c.person ? `${visible(c.person)} ` : ''}${c.number} (texted ${c.at})`);
    if (texted.contacts.length) lines.push('  homephone whitelist sync writes the contacts into the whitelist file');
  }
  ctx.result(lines.join('\n'), { target: session.target, ...statusData(result), texted });
};
