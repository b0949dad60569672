// Typed face of the owner's alerts (templates/functions/lib/alerts.js, where the call-time code
// lives): the settings as the configuration holds them, and the ALERTS Variable deploy writes.
import { createRequire } from 'node:module';
import type { AlertsSection } from '../config/schema.js';

export type UnknownMode = 'immediate' | 'digest' | 'off';

export interface AlertSettings {
  unknown: UnknownMode;
  missed: boolean;
  maxPerDay: number;
  digestAt: string;
}

export interface DigestCaller {
  from: string;
  count: number;
  last: string;
}

export interface DigestState {
  period: string | null;
  callers: DigestCaller[];
  calls: number;
  more: number;
}

export interface DigestTarget {
  client: unknown;
  serviceSid: string;
  ownerCell: string;
  homeNumber: string;
  timeZone: string | undefined;
}

export interface DigestOutcome {
  status: 'sent' | 'empty' | 'not-due';
  digest: DigestState;
  dueOn?: string | null;
}

interface AlertsLib {
  DEFAULTS: Readonly<AlertSettings>;
  MAX_PER_DAY_LIMIT: number;
  HHMM: RegExp;
  settingsFrom(raw: unknown): AlertSettings | null;
  variableValue(settings: AlertSettings): string;
  localParts(timeZone: string | undefined, ms: number): { date: string; time: string };
  digestText(digest: DigestState): string;
  /** What the Functions call for an event (a Function's context, with ALERTS, SYNC_SERVICE_SID…). */
  notify(
    context: unknown,
    event: { kind: 'unknown' | 'missed'; call: string; from: string; person?: string | null; voicemail?: boolean; ownerRung?: boolean; at?: number },
  ): Promise<void> | null;
  sendDueDigest(target: DigestTarget, settings: AlertSettings, nowMs: number, options?: { force?: boolean; log?: (line: string) => void }): Promise<DigestOutcome>;
}

// src/alerts/ and dist/alerts/ are both two levels below the package root.
const require = createRequire(import.meta.url);
export const alertsLib = require('../../templates/functions/lib/alerts.js') as AlertsLib;

export const ALERT_DEFAULTS: Readonly<AlertSettings> = alertsLib.DEFAULTS;
export const MAX_PER_DAY_LIMIT = alertsLib.MAX_PER_DAY_LIMIT;
export const UNKNOWN_MODES: readonly UnknownMode[] = ['immediate', 'digest', 'off'];

/** The configuration's alerts with the defaults filled in (whether or not they are on). */
export function alertSettings(section: AlertsSection | undefined): AlertSettings {
  const s = section ?? {};
  return {
    unknown: s.unknown ?? ALERT_DEFAULTS.unknown,
    missed: s.missed ?? ALERT_DEFAULTS.missed,
    maxPerDay: s.maxPerDay ?? ALERT_DEFAULTS.maxPerDay,
    digestAt: s.digestAt ?? ALERT_DEFAULTS.digestAt,
  };
}

/** The ALERTS Variable's value, or undefined when alerts are off (deploy then removes the Variable). */
export function alertsVariable(section: AlertsSection | undefined): string | undefined {
  return section?.enabled ? alertsLib.variableValue(alertSettings(section)) : undefined;
}
