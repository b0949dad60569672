// `homephone simulate text`: texts to the home number, offline, on exactly what deploy would
// deploy, in an in-memory twin. Prints each text and the reply the deployed /sms-home sent back
// (none for a sender other than the owner's cell), and, with --then-call, what a call decides next.
import type { CommandContext } from '../context.js';
import { ConfigStore } from '../../config/store.js';
import { whitelistPath } from '../../config/paths.js';
import { readWhitelist } from '../../config/whitelist-file.js';
import { InputError } from '../../errors.js';
import { formatLocal } from '../../household/local-time.js';
import { normalisePhoneNumber } from '../../household/phone.js';
import { requireCallSettings } from '../../simulate/deployed-twin.js';
import { simulateHomeTexts } from '../../simulate/home-text.js';
import { parseAt } from '../time.js';

/** A Twilio message body is at most 1600 characters. */
const MAX_BODY = 1600;

function number(flag: string, raw: unknown, country: string | undefined): string {
  const n = normalisePhoneNumber(String(raw), country);
  if (!n.ok) throw new InputError(`${flag} ${String(raw)}: ${n.reason}`, { hint: 'give a phone number, e.g. +15555555555' });
  return n.e164;
}

export async function simulateText(ctx: CommandContext, args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const config = ConfigStore.open(ctx.env).read();
  const settings = requireCallSettings(config);
  const country = config.household?.defaultCountry;
  const bodies = (Array.isArray(args[0]) ? args[0] : [args[0]]).map((b) => String(b ?? '').trim());
  for (const body of bodies) {
    if (!body) throw new InputError('an empty text: give the words to send', { hint: 'e.g. homephone simulate text "quiet 2h"' });
    if (body.length > MAX_BODY) throw new InputError(`a text of ${body.length} characters: at most ${MAX_BODY}`, { hint: 'send a shorter text' });
  }
  const from = opts.from === undefined ? settings.ownerCell : number('--from', opts.from, country);
  const thenCall = opts.thenCall === undefined ? undefined : number('--then-call', opts.thenCall, country);
  const at = opts.at === undefined ? undefined : parseAt(opts.at, settings.timeZone);

  const result = await simulateHomeTexts({
    config,
    whitelist: readWhitelist(whitelistPath(ctx.env)),
    from,
    bodies,
    ...(at ? { at } : {}),
    ...(thenCall ? { thenCall } : {}),
  });
  const who = from === settings.ownerCell ? `${from} (the owner's cell)` : `${from} (not the owner's cell: never obeyed)`;
  const when = formatLocal(at ?? new Date(), settings.timeZone);
  const human = () => {
    const lines = [`Texts from ${who} to the home number ${settings.homeNumber}, from ${when} (${settings.timeZone}), a minute apart:`];
    for (const t of result.texts) {
      lines.push(`> ${t.body}`);
      if (t.error) lines.push(`  error ${t.error.code}: ${t.error.message}`);
      for (const r of t.replies) lines.push(...r.split('\n').map((l) => `< ${l}`));
      if (!t.replies.length) lines.push('  (no reply)');
      for (const l of t.logs) lines.push(`  log: ${l}`);
    }
    if (result.call) {
      const d = result.call.decision;
      lines.push('', `Then ${thenCall} calls the home number: ${d ? `${d.path}: ${d.reason}` : 'no decision was logged'}`);
    }
    return lines.join('\n');
  };
  ctx.result(human, {
    from,
    to: settings.homeNumber,
    texts: result.texts,
    call: result.call ? { from: thenCall, decision: result.call.decision, callSid: result.call.callSid, status: result.call.status } : null,
  });
}
