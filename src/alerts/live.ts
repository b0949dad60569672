// What the alerts have done today, read from Twilio Sync (`homephone alerts status --live`): the
// day's texts against the limit, and the unknown callers waiting for the digest. Reads only.
import type { HomephoneConfig } from '../config/schema.js';
import { HomephoneError } from '../errors.js';
import { findHistoryService } from '../history/calls.js';
import type { TwilioClient } from '../twilio/client.js';
import { ENVIRONMENT_UNIQUE_NAME, SERVICE_UNIQUE_NAME } from '../deploy/desired.js';
import { alertSettings, alertsLib, alertsVariable } from './settings.js';

export interface LiveAlerts {
  /** The household's local date the counts are for. */
  date: string;
  sent: number;
  suppressed: number;
  maxPerDay: number;
  digest: { calls: number; numbers: number; dueOn: string | null; at: string };
  /** The ALERTS Variable the Functions read (null: none, so off), and whether it is what the configuration says. */
  variable: { deployed: string | null; matchesConfig: boolean };
}

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
};

/** A Document's data, or null when it does not exist (yet). */
async function documentData(client: TwilioClient, serviceSid: string, name: string): Promise<Record<string, unknown> | null> {
  try {
    return ((await client.sync.v1.services(serviceSid).documents(name).fetch()).data ?? {}) as Record<string, unknown>;
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
}

/** The ALERTS Variable of homephone's environment, or null when there is none. */
async function deployedVariable(client: TwilioClient): Promise<string | null> {
  try {
    const svc = client.serverless.v1.services(SERVICE_UNIQUE_NAME);
    const env = (await svc.environments.list()).find((e) => e.uniqueName === ENVIRONMENT_UNIQUE_NAME);
    if (!env) return null;
    return (await svc.environments(env.sid).variables.list()).find((v) => v.key === 'ALERTS')?.value ?? null;
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

export async function readLiveAlerts(client: TwilioClient, config: HomephoneConfig, now: Date): Promise<LiveAlerts> {
  const serviceSid = await findHistoryService(client);
  if (!serviceSid) throw new HomephoneError('no Sync service found: homephone has not been deployed to this account', { hint: 'run homephone deploy' });
  const settings = alertSettings(config.alerts);
  const { date } = alertsLib.localParts(config.household?.timeZone, now.getTime());
  const [day, digest, deployed] = await Promise.all([
    documentData(client, serviceSid, `alerts-day-${date}`),
    documentData(client, serviceSid, 'alerts-digest'),
    deployedVariable(client),
  ]);
  const callers = Array.isArray(digest?.callers) ? digest.callers.length : 0;
  return {
    date,
    sent: count(day?.sent),
    suppressed: count(day?.suppressed),
    maxPerDay: settings.maxPerDay,
    digest: { calls: count(digest?.calls), numbers: callers + count(digest?.more), dueOn: typeof digest?.period === 'string' ? digest.period : null, at: settings.digestAt },
    variable: { deployed, matchesConfig: deployed === (alertsVariable(config.alerts) ?? null) },
  };
}
