// doctor: print each check as it completes (stderr when --json), then the result; exit 1 on a failure.
import type { Action } from '../define.js';
import type { Style } from '../context.js';
import { ConfigStore } from '../../config/store.js';
import { InputError } from '../../errors.js';
import { runDoctor } from '../../doctor/run.js';
import type { CheckResult } from '../../doctor/checks.js';

export const doctor: Action = async (ctx, _args, opts) => {
  if (opts.agentUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(String(opts.agentUrl))) {
    throw new InputError(`--agent-url "${String(opts.agentUrl)}" is not an http(s) URL`);
  }
  const config = ConfigStore.open(ctx.env).read();
  // Each line is coloured for the stream it goes to: stderr for --json's progress, stdout otherwise.
  const marks = (style: Style) => ({ pass: style.green('✔'), fail: style.red('✖'), warn: style.yellow('!'), skip: style.dim('-') });
  const lineIn = (style: Style) => {
    const mark = marks(style);
    return (r: CheckResult) => `${mark[r.status]} ${r.title}: ${r.detail}${r.fix && r.status !== 'pass' ? `\n    fix: ${r.fix}` : ''}`;
  };
  const line = lineIn(ctx.outStyle);
  const progressLine = lineIn(ctx.style);
  const results = await runDoctor({
    env: ctx.env,
    config,
    agentUrl: opts.agentUrl as string | undefined,
    // With --json the checklist still shows progress, on stderr.
    onResult: ctx.json ? (r) => ctx.info(progressLine(r)) : undefined,
  });
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  ctx.result(
    () =>
      [
        ...results.map(line),
        '',
        failed ? `${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}.` : `All checks passed${warned ? ` (${warned} warning(s))` : ''}.`,
      ].join('\n'),
    { ok: failed === 0, failed, warnings: warned, checks: results },
  );
  if (failed) ctx.setExitCode(1);
};
