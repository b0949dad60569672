// calls: read the decision records from Twilio Sync, join the Calls API, filter and print.
import type { Action } from '../define.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import { whitelistPath } from '../../config/paths.js';
import { readWhitelist } from '../../config/whitelist-file.js';
import { normalisePhoneNumber } from '../../household/phone.js';
import { nameResolver } from '../../monitor/rooms.js';
import {
  DECISION_LABELS,
  filterHistory,
  findHistoryService,
  maskNumber,
  parseSpan,
  readHistory,
  withCallDetails,
  type HistoryEntry,
} from '../../history/calls.js';

function when(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso))
    .replace(',', '');
}

function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

export const calls: Action = async (ctx, _args, opts) => {
  const config = ConfigStore.open(ctx.env).read();
  const household = config.household ?? {};
  const limit = Number(opts.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError(`--limit "${String(opts.limit)}" must be a whole number from 1 to 1000`);
  let sinceSpan: number | undefined;
  if (opts.since !== undefined) {
    const span = parseSpan(String(opts.since));
    if (span === null) throw new InputError(`--since "${String(opts.since)}" is not a span of time`, { hint: 'use minutes, hours, days or weeks: 30m, 12h, 7d, 2w' });
    sinceSpan = span;
  }
  let from: string | undefined;
  if (opts.from !== undefined) {
    const parsed = normalisePhoneNumber(String(opts.from), household.defaultCountry);
    if (!parsed.ok) throw new InputError(`--from "${String(opts.from)}" is not a valid phone number: ${parsed.reason}`);
    from = parsed.e164;
  }
  const { createTwilioClient } = await import('../../twilio/client.js');
  const client = createTwilioClient(config.twilio ?? {}, ctx.env);

  const serviceSid = await findHistoryService(client);
  // Names as the whitelist gives them, with the contacts the owner texted since the last sync.
  const { foldTexted, pendingTexted } = await import('../../deploy/texted.js');
  const texted = serviceSid ? await pendingTexted(client, serviceSid) : [];
  const nameOf = nameResolver(config, foldTexted(readWhitelist(whitelistPath(ctx.env)), texted).list);
  const now = new Date();
  const recorded = serviceSid ? await readHistory(client, serviceSid, now) : [];
  // Filters that need the call's start time run after the Calls API join; the rest narrow first.
  const narrowed = filterHistory(recorded, { blocked: Boolean(opts.blocked), buzzer: Boolean(opts.buzzer), ...(from ? { from } : {}), limit: 1000 });
  const detailed = await withCallDetails(client, narrowed.slice(0, sinceSpan === undefined ? limit : 1000));
  const shown = filterHistory(detailed, { ...(sinceSpan !== undefined ? { sinceMs: now.getTime() - sinceSpan } : {}), limit });

  const showNumbers = Boolean(opts.showNumbers);
  const who = (e: HistoryEntry) => {
    const number = e.direction === 'inbound' ? e.from : e.to;
    const name = nameOf(number);
    if (name !== 'Unknown') return { name, number };
    return { name: null, number: showNumbers ? number : maskNumber(number) };
  };
  const rows = shown.map((e) => {
    const w = who(e);
    return {
      callSid: e.callSid,
      at: e.at,
      line: e.line,
      direction: e.direction,
      name: w.name,
      number: w.number,
      decision: e.decision,
      decisionText:
        e.decision === 'owner' && e.direction === 'outbound'
          ? "put through the owner's cell"
          : DECISION_LABELS[e.decision] + (e.decision === 'buzz-opened' && e.person ? ` by ${e.person}` : ''),
      durationSeconds: e.durationSeconds,
    };
  });
  ctx.result(
    () => {
      if (!serviceSid) return 'No call history yet: run homephone deploy (it creates the Sync service the history is kept in).';
      if (rows.length === 0) return 'No calls match.';
      const table = rows.map((r) => [
        when(r.at, household.timeZone),
        `${r.line === 'buzzer' ? 'buzzer' : 'home'} ${r.direction === 'inbound' ? 'in' : 'out'}`,
        r.name ?? r.number,
        r.decisionText,
        duration(r.durationSeconds),
      ]);
      const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i]!.length), ['when', 'line', 'who', 'decision'][i]!.length));
      const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
      return [line(['when', 'line', 'who', 'decision', 'duration']), ...table.map(line)].join('\n');
    },
    { calls: rows, retentionDays: 90, source: serviceSid ? `Sync service ${serviceSid}, list "calls"` : null },
  );
};
