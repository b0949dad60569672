// `homephone twin start`: run the twin until SIGINT/SIGTERM.
import type { CommandContext } from '../context.js';
import { HomephoneError, InputError } from '../../errors.js';
import { waitForStop } from '../signals.js';

const E164 = /^\+[1-9]\d{1,14}$/;

function parsePort(raw: unknown): number {
  if (raw === undefined) return 0;
  const text = String(raw);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new InputError(`--port ${text} is not a port number`, { hint: 'use 0–65535 (0 or no --port picks a free port)' });
  }
  return port;
}

function parseNumbers(raw: unknown, flag = '--number'): string[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
  const bad = list.filter((n) => !E164.test(n));
  if (bad.length) {
    throw new InputError(`${flag} ${bad.join(', ')}: not in E.164 form`, { hint: 'write numbers like +15551230001' });
  }
  return [...new Set(list)];
}

/** --host-map HOST=URL, repeatable; checked by the twin's own rules before it starts. */
async function parseHostMaps(raw: unknown): Promise<Array<{ host: string; target: string }>> {
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
  if (!list.length) return [];
  const { parseHostMapping } = await import('@homephone/twin');
  return list.map((text) => {
    try {
      return parseHostMapping(text);
    } catch (e) {
      throw new InputError(`--host-map ${text}: ${(e as Error).message}`, { hint: 'write HOST=URL, e.g. --host-map buzz.example.org=http://127.0.0.1:8080' });
    }
  });
}

export async function start(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const port = parsePort(opts.port);
  const host = String(opts.host ?? '127.0.0.1');
  const numbers = parseNumbers(opts.number);
  const callerIds = parseNumbers(opts.callerId, '--caller-id');
  const quietMs = Number(opts.quietMs ?? 0);
  if (!Number.isInteger(quietMs) || quietMs < 0 || quietMs > 10_000) {
    throw new InputError(`--quiet-ms ${String(opts.quietMs)} is not a number of milliseconds`, { hint: 'use 0–10000 (default 0)' });
  }
  const hosts = await parseHostMaps(opts.hostMap);
  const { startTwin } = await import('@homephone/twin');
  const twin = await startTwin({ host, port, numbers, callerIds, hosts, voice: { quietMs, autoAdvance: Boolean(opts.autoAdvance) } }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') {
      throw new HomephoneError(`port ${port} on ${host} is already in use`, { hint: 'pick another --port, or omit it for a free one' });
    }
    throw new HomephoneError(`the twin could not start: ${e.message}`, { cause: e });
  });

  const { accountSid, authToken, apiKeySid, apiKeySecret } = twin.credentials;
  const owned = [...twin.state.numbers.values()].map((n) => ({ phone_number: n.json.phone_number, sid: n.json.sid }));
  const verified = twin.admin.callerIds().map((c) => ({ phone_number: c.phone_number, sid: c.sid }));
  ctx.result(
    () =>
      [
        `Twilio twin listening on ${twin.url}`,
        `  account SID     ${accountSid}`,
        `  auth token      ${authToken}`,
        `  API key         ${apiKeySid}`,
        `  API key secret  ${apiKeySecret}`,
        `  numbers         ${owned.length ? owned.map((n) => n.phone_number).join(', ') : '(none: POST /_twin/numbers to add)'}`,
        ...(verified.length ? [`  caller IDs      ${verified.map((c) => c.phone_number).join(', ')} (verified)`] : []),
        ...twin.hosts.list().map((m, i) => `  ${i ? '               ' : 'host mappings  '} ${m.host} → ${m.target}`),
        '',
        'Point homephone at it with:',
        `  export HOMEPHONE_TWIN_URL=${twin.url} TWILIO_ACCOUNT_SID=${accountSid} TWILIO_AUTH_TOKEN=${authToken}`,
      ].join('\n'),
    {
      url: twin.url,
      account_sid: accountSid,
      auth_token: authToken,
      api_key_sid: apiKeySid,
      api_key_secret: apiKeySecret,
      numbers: owned,
      caller_ids: verified,
      hosts: twin.hosts.list(),
      admin_url: `${twin.url}/_twin`,
    },
  );
  ctx.info('The twin is running. Press Ctrl-C to stop.');
  const signal = await waitForStop();
  await twin.close();
  ctx.info(`twin stopped (${signal})`);
}
