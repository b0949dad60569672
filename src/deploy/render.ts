// Plans, results and status as readable text, and as data for --json. Secrets were masked when
// the changes were recorded; nothing here can reveal one. Colour is optional and injected (core
// modules never load chalk).
import type { Applied, Plan, StatusResult } from './deploy.js';
import type { Change, Section } from './run.js';

export interface Paint {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain: Paint = { green: (s) => s, yellow: (s) => s, red: (s) => s, dim: (s) => s, bold: (s) => s };

const SECTIONS: Record<Section, string> = {
  serverless: 'Serverless service',
  functions: 'Functions',
  assets: 'Assets',
  variables: 'Variables',
  build: 'Build and deployment',
  studio: 'Studio flows',
  sip: 'SIP',
  numbers: 'Phone numbers',
};

const quote = (v: string | undefined) => (v === undefined ? '' : v === '********' ? v : JSON.stringify(v));

function changeLines(c: Change, paint: Paint): string[] {
  const color = c.foreign ? paint.red : { create: paint.green, update: paint.yellow, delete: paint.red, unchanged: paint.dim }[c.action];
  const sign = c.foreign && c.action === 'unchanged' ? '! leave' : { create: '+ create', update: '~ update', delete: '- delete', unchanged: '= same' }[c.action];
  // Another party's resource: said in words, not only in colour.
  const owner = c.foreign ? paint.red(c.action === 'unchanged' ? '  [not created by homephone]' : '  [not created by homephone: needs --adopt]') : '';
  const lines = [`  ${color(sign.padEnd(10))}${c.resource}${owner}${c.note ? paint.dim(`  (${c.note})`) : ''}`];
  for (const f of c.fields) {
    if (f.before === undefined && f.after === undefined) lines.push(paint.dim(`              ${f.field}`));
    else if (f.before === undefined) lines.push(`              ${f.field}: ${quote(f.after)}`);
    else lines.push(`              ${f.field}: ${quote(f.before)} → ${quote(f.after)}`);
  }
  return lines;
}

export function renderPlan(plan: Plan, options: { paint?: Paint; target?: string; showUnchanged?: boolean } = {}): string {
  const paint = options.paint ?? plain;
  const out: string[] = [];
  if (options.target) out.push(paint.bold(`Plan for ${options.target}`), '');
  for (const [section, title] of Object.entries(SECTIONS) as Array<[Section, string]>) {
    const changes = plan.changes.filter((c) => c.section === section);
    if (!changes.length) continue;
    out.push(paint.bold(title));
    const changed = changes.filter((c) => c.action !== 'unchanged' || c.foreign);
    for (const c of changed) out.push(...changeLines(c, paint));
    const same = changes.filter((c) => c.action === 'unchanged' && !c.foreign);
    if (same.length) {
      const names = same.map((c) => c.resource);
      out.push(paint.dim(`  = unchanged: ${options.showUnchanged === false && names.length > 3 ? `${names.length} resources` : names.join(', ')}`));
    }
  }
  for (const note of plan.notes) out.push('', `note: ${note}`);
  const s = plan.summary;
  out.push(
    '',
    plan.hasChanges
      ? `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged; ${s.writes} write request${s.writes === 1 ? '' : 's'}.`
      : 'No changes: Twilio matches the configuration.',
  );
  return out.join('\n');
}

export function planData(plan: Plan) {
  return { hasChanges: plan.hasChanges, summary: plan.summary, changes: plan.changes, notes: plan.notes, foreign: plan.foreign };
}

export function renderApplied(applied: Applied, seconds: number): string {
  const parts = Object.entries(applied.breakdown)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ×${n}`);
  return `Applied in ${seconds.toFixed(1)} s: ${applied.writes} write request${applied.writes === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}.`;
}

export function renderStatus(status: StatusResult, paint: Paint = plain): string {
  const out: string[] = [];
  if (!status.service) {
    out.push('Nothing is deployed on this Twilio account yet (no Serverless service "homephone").');
  } else {
    out.push(paint.bold('Deployed'));
    out.push(`  service      ${status.service.sid}  https://${status.service.domain ?? '(no environment)'}`);
    out.push(`  build        ${status.service.build ?? '(none)'}${status.service.previousBuild ? paint.dim(`  (previous ${status.service.previousBuild})`) : ''}`);
    for (const f of status.flows) out.push(`  flow         "${f.name}" ${f.sid} revision ${f.revision} (${f.status})`);
    if (status.sip) {
      const m = status.sip.mappings;
      out.push(
        `  SIP domain   ${status.sip.domain}, registration ${status.sip.registration ? 'on' : 'off'}, user ${status.sip.username ?? '(none)'}, ` +
          `credential list under Auth/Registrations ${m.registrations ? 'yes' : 'no'} and Auth/Calls ${m.calls ? 'yes' : 'no'}`,
      );
    }
    for (const n of status.numbers) {
      if (!n.found) {
        out.push(`  number       ${n.number} (${n.role}): not in this account`);
        continue;
      }
      out.push(`  number       ${n.number} (${n.role}) → ${n.voiceUrl || '(no voice URL)'}, fallback ${n.voiceFallbackUrl || '(none)'}`);
      out.push(`  texts        ${n.number} → ${n.smsUrl || '(no messaging URL)'}${n.smsFallbackUrl ? `, fallback ${n.smsFallbackUrl}` : ''}`);
    }
    if (status.appliedAt) out.push(paint.dim(`  last deploy  ${status.appliedAt}`));
  }
  out.push('');
  if (status.drift.length) {
    out.push(paint.yellow(`Drift since the last deploy (${status.drift.length})`));
    for (const d of status.drift) {
      out.push(d.field === '(resource)' ? `  ${d.resource}: ${d.after}` : `  ${d.resource} ${d.field}: ${quote(d.before)} → ${quote(d.after)}`);
    }
  } else out.push(status.appliedAt ? 'No drift since the last deploy.' : 'No deploy recorded in this configuration, so no drift baseline.');
  if (status.pending) {
    const s = status.pending.summary;
    out.push('', `A deploy would change ${s.create + s.update + s.delete} resource(s) (${s.writes} write requests): see homephone deploy --dry-run`);
  } else out.push('', 'The configuration is fully deployed.');
  return out.join('\n');
}

export function statusData(status: StatusResult) {
  // The asset list is for homephone check; status --json keeps its shape.
  const { assets: _assets, ...shown } = status;
  return { ...shown, pending: status.pending ? planData(status.pending) : null };
}
