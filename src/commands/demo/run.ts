// `homephone demo`: runs the demo core, then prints each scenario (heading, decision, transcript,
// the checks) and a summary table, or the whole report as one JSON document. Exit 1 naming the
// scenarios that did not behave as designed.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../table.js';
import { formatBedtimeWindow } from '../../household/bedtime.js';
import { BEDTIME, DEMO } from '../../demo/household.js';
import { runDemo, type DemoReport, type ScenarioReport } from '../../demo/run.js';

function list(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

function setting(r: DemoReport): string {
  const h = r.household;
  return [
    'The demo household (made-up 555 numbers), deployed into an embedded Twilio twin; nothing leaves 127.0.0.1.',
    `  twin:      ${r.twinUrl}, deployed with ${r.deploy.writes} write requests (${r.deploy.resources} resources)`,
    `  home:      ${h.homeNumber}, SIP phone ${h.sipUri}, owner's cell ${h.ownerCell}, monitor code ${h.monitorCode}`,
    `  bedtime:   ${BEDTIME.map(formatBedtimeWindow).join(', ')} (${h.timeZone})`,
    `  whitelist: ${h.whitelist.map((c) => `${c.name} ${c.number}${c.overrideBedtime ? ' (may ring at bedtime)' : ''}`).join(', ')}`,
    `  buzzer:    ${h.buzzerNumber} for the enterphone ${h.enterphoneNumber}; tenants ${h.tenants.map((t) => `${t.name} ${t.number}`).join(', ')}; door digits ${DEMO.doorDigits}`,
    `  agent:     ${r.agentUrl}, answering as ${h.publicUrl}`,
  ].join('\n');
}

function scenario(ctx: CommandContext, s: ScenarioReport, index: number, total: number): string {
  const { style } = ctx;
  const lines = [style.bold(`=== ${index + 1}/${total}  ${s.name}  (${s.system}, ${s.localTime})`), s.title, `Expected: ${s.expected}`];
  const [first, ...later] = s.decisions;
  if (first) lines.push(`Decision: ${first.path}: ${first.reason}`, ...later.map((d) => `  then: ${d.path}: ${d.reason}`));
  if (s.agentLog.length) {
    lines.push(`Agent: ${s.agentLog.map((l) => (typeof l.tenant === 'string' ? `${l.event} ${l.tenant}` : l.event)).join(', ')}`);
  }
  lines.push(`Hops: ${s.functionInvocations} Function invocation${s.functionInvocations === 1 ? '' : 's'}; ${seconds(s.virtualSeconds)} of virtual time`, '', s.text, '');
  if (s.error) lines.push(`${style.red('✖')} the scenario could not be played: ${s.error}`);
  for (const c of s.checks) lines.push(c.ok ? `${style.green('✔')} ${c.what}` : `${style.red('✖')} ${c.what}\n    ${c.detail ?? ''}`);
  lines.push(s.passed ? style.green('Behaved as designed.') : style.red('Did NOT behave as designed.'), '');
  return lines.join('\n');
}

function summary(r: DemoReport): string {
  const table = formatTable(
    ['Scenario', 'Expected', 'Result', 'Functions', 'Virtual time'],
    r.scenarios.map((s) => [s.name, s.expected, s.passed ? '✔ pass' : '✖ FAIL', String(s.functionInvocations), seconds(s.virtualSeconds)]),
  );
  const passed = r.scenarios.length - r.failed.length;
  const folder = r.kept
    ? `The demo's config.json and whitelist.json are kept in ${r.folder} (delete it when done).`
    : `The demo's temporary folder ${r.folder} was deleted (--keep keeps it).`;
  return [
    'Summary',
    table,
    '',
    `${passed} of ${r.scenarios.length} scenario${r.scenarios.length === 1 ? '' : 's'} behaved as designed, in ${seconds(r.wallSeconds)} of wall time.`,
    folder,
  ].join('\n');
}

export const demo: Action = async (ctx, _args, opts) => {
  const report = await runDemo({ scenarios: list(opts.scenario), keep: opts.keep === true });
  ctx.result(() => {
    if (opts.quiet === true) return summary(report);
    const total = report.scenarios.length;
    return [setting(report), '', ...report.scenarios.map((s, i) => scenario(ctx, s, i, total)), summary(report)].join('\n');
  }, report);
  if (!report.passed) {
    ctx.io.stderr.write(
      `${ctx.style.red('error:')} ${report.failed.length} of ${report.scenarios.length} scenario${report.scenarios.length === 1 ? '' : 's'} did not behave as designed: ${report.failed.join(', ')}\n`,
    );
    ctx.setExitCode(1);
  }
};
