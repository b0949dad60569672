// check: show the plan and its cost, ask, run the paths (progress on stderr), print one row per path.
import type { Action } from '../define.js';
import { CancelledError, InputError } from '../../errors.js';
import { formatTable } from '../table.js';
import type { CheckRow } from '../../check/types.js';

export const check: Action = async (ctx, _args, opts) => {
  const { prepareCheck, runCheck } = await import('../../check/run.js');
  const { describePlan } = await import('../../check/plan.js');
  const prepared = await prepareCheck(ctx.env, {
    ...(typeof opts.twin === 'string' ? { twinUrl: opts.twin } : {}),
    ...(typeof opts.tester === 'string' ? { tester: opts.tester } : {}),
    ringPeople: opts.ringPeople === true,
  });
  ctx.info(`homephone check on ${prepared.target} will place:`);
  for (const line of describePlan(prepared.plan)) ctx.info(line);
  if (!ctx.yes) {
    if (!ctx.interactive) {
      throw new InputError('homephone check places calls that cost money and needs your yes: pass --yes', {
        hint: 'rerun with --yes once the plan above is what you want',
      });
    }
    const { confirm } = await import('@inquirer/prompts');
    const ok = await confirm({ message: 'Place these calls?', default: false }, { output: ctx.io.stderr });
    if (!ok) throw new CancelledError('no call was placed');
  }

  // Ctrl-C: the call under way is hung up at once, nothing more is placed, the whitelist and the
  // check window are restored, and the rows so far are printed (exit 3).
  let interrupted = false;
  const onInt = () => {
    interrupted = true;
    ctx.info('interrupted: ending the calls placed so far…');
  };
  process.on('SIGINT', onInt);
  let outcome;
  try {
    outcome = await runCheck(prepared, { onProgress: (line) => ctx.info(line), cancelled: () => interrupted });
  } finally {
    process.off('SIGINT', onInt);
  }
  const { rows } = outcome;
  const failed = rows.filter((r) => r.verdict === 'fail').length;
  ctx.result(
    () =>
      [
        formatTable(
          ['path', 'expected', 'seen', 'verdict', 'fix hint'],
          rows.map((r: CheckRow) => [r.path, r.expected, r.seen, r.verdict, r.hint ?? '']),
        ),
        '',
        failed
          ? `${failed} path(s) failed.`
          : outcome.interrupted
            ? 'Interrupted.'
            : rows.some((r) => r.verdict === 'skip')
              ? 'Every path tried passed (see the skipped ones).'
              : 'Every path passed.',
      ].join('\n'),
    { ok: failed === 0 && !outcome.interrupted, target: prepared.onTwin ? 'twin' : 'twilio', failed, interrupted: outcome.interrupted, plan: prepared.plan, rows },
  );
  if (outcome.interrupted) ctx.setExitCode(3);
  else if (failed) ctx.setExitCode(1);
};
