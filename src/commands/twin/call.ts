// `homephone twin call`: POST /_twin/calls on a running twin and print the scenario's transcript.
// Plain fetch against the admin API: no SDK, no credentials.
import type { CommandContext } from '../context.js';
import { HomephoneError, InputError } from '../../errors.js';

const PRESS = /^([0-9*#]+)(?:@(\d+(?:\.\d+)?)s?)?$/;

function parsePresses(raw: unknown): string[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
  const bad = list.filter((p) => !PRESS.test(p));
  if (bad.length) {
    throw new InputError(`--press ${bad.join(', ')}: not digits@seconds`, { hint: 'write keys and when, e.g. --press 1@3s --press 2468#@8s' });
  }
  return list;
}

function twinUrl(ctx: CommandContext, raw: unknown): string {
  const url = String(raw ?? ctx.env.HOMEPHONE_TWIN_URL ?? '');
  if (!url) throw new InputError('missing --twin: which twin to call', { hint: 'pass --twin http://127.0.0.1:PORT (as `homephone twin start` prints) or set HOMEPHONE_TWIN_URL' });
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new InputError(`--twin ${url} is not an http(s) URL`, { hint: 'use the URL `homephone twin start` prints' });
  }
  return url.replace(/\/+$/, '');
}

interface CallAnswer {
  call_sid: string;
  status: string;
  transcript: string;
  events?: Array<{ type: string; data?: { code?: unknown; url?: unknown }; text?: string }>;
  error?: string;
}

/** Public hosts the call could not reach because the twin does not know where they are. */
function unmappedHosts(answer: Partial<CallAnswer>): string[] {
  const hosts = new Set<string>();
  for (const e of answer.events ?? []) {
    const m = e.type === 'error' && e.data?.code === 11205 ? / ([^\s]+) is not a local address/.exec(e.text ?? '') : null;
    if (m) hosts.add(m[1]!);
  }
  return [...hosts];
}

export async function call(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const base = twinUrl(ctx, opts.twin);
  const press = parsePresses(opts.press);
  let hangupAfter: number | undefined;
  if (opts.hangupAfter !== undefined) {
    hangupAfter = Number(String(opts.hangupAfter).replace(/s$/, ''));
    if (!Number.isFinite(hangupAfter) || hangupAfter < 0) {
      throw new InputError(`--hangup-after ${String(opts.hangupAfter)} is not a number of seconds`, { hint: 'e.g. --hangup-after 30' });
    }
  }
  let res: Response;
  try {
    res = await fetch(`${base}/_twin/calls`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: opts.from, to: opts.to, press, ...(hangupAfter === undefined ? {} : { hangupAfter }) }),
    });
  } catch (e) {
    throw new HomephoneError(`could not reach the twin at ${base}`, { hint: 'start one with `homephone twin start` and pass its URL', cause: e });
  }
  const body = (await res.json().catch(() => ({}))) as Partial<CallAnswer>;
  if (!res.ok) {
    const message = body.error ?? `the twin answered HTTP ${res.status}`;
    if (res.status === 400 || res.status === 404) throw new InputError(message, { hint: 'check --from/--to: --to must be a number the twin owns (homephone twin start --number …)' });
    throw new HomephoneError(message);
  }
  ctx.result(() => `Call ${body.call_sid} ended ${body.status}\n\n${body.transcript ?? ''}`, body);
  for (const host of unmappedHosts(body)) {
    ctx.warn(`${host} is not a local address, so the twin could not reach it: map it to your local server with --host-map ${host}=http://127.0.0.1:PORT on twin start, or POST /_twin/hosts`);
  }
}
