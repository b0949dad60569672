// Home-phone scenarios through a deployed twin: the household below is deployed with the real
// deploy code (as `homephone deploy` and `homephone simulate` do), then calls are placed in it and
// judged by their transcripts and by the decisions the Functions logged.
import { expect } from 'vitest';
import type { HomephoneConfig } from '../../src/config/schema.js';
import type { Contact } from '../../src/household/contacts.js';
import { localTimeToInstant } from '../../src/household/local-time.js';
import { hashMonitorCode } from '../../src/household/monitor-code.js';
import { startDeployedTwin, type DeployedTwin } from '../../src/simulate/deployed-twin.js';
import { runCall, type CallScenario, type HomeCallResult } from '../../src/simulate/home-call.js';
import type { TranscriptEvent } from '@homephone/twin';
import { deployedHousehold } from '../helpers/deployed-household.js';

export const HOME = '+15551230001';
export const OWNER = '+15551239000';
export const SIP = 'sip:homephone@myhome.sip.twilio.com';
export const GRANDMA = '+15555555555'; // may ring through at bedtime
export const BOB = '+15555550100'; // may not
export const AUNT = '+15555550111';
export const STRANGER = '+15550009999';
export const CODE = '2468';
export const TZ = 'America/New_York';

const monitorHash = hashMonitorCode(CODE);

export function householdConfig(household: Partial<NonNullable<HomephoneConfig['household']>> = {}): HomephoneConfig {
  return {
    household: {
      homeNumber: HOME,
      ownerCell: OWNER,
      defaultCountry: 'US',
      timeZone: TZ,
      sipDomain: 'myhome.sip.twilio.com',
      sipUsername: 'homephone',
      sipPassword: 'Secret-Pass-1234xyz',
      emergencyNumbers: ['911'],
      bedtime: [
        { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' },
        { days: ['Fri', 'Sat'], start: '22:00', end: '08:00' },
      ],
      monitorCodeHash: monitorHash,
      ...household,
    },
  };
}

export const WHITELIST: Contact[] = [
  { Number: GRANDMA, Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null },
  { Number: BOB, Person: 'Uncle Bob', OverrideBedtime: false, PrimaryContact: 'Mum' },
  { Number: AUNT, Person: 'Aunt Jo', OverrideBedtime: false, PrimaryContact: null },
];

/** A local time in the household's zone ("2026-11-20 23:30"). */
export const local = (text: string): Date => localTimeToInstant(text, TZ);

export interface Household extends DeployedTwin {
  /** Places one call and runs it to the end. */
  call(scenario: CallScenario): Promise<HomeCallResult>;
  /** Moves virtual time forward to a local time (only forward). */
  moveTo(text: string): Promise<void>;
}

/**
 * The household deployed into a fresh twin whose clock starts at a local time (deployed once per
 * worker and restored from its snapshot after that: test/helpers/deployed-household.ts).
 */
export async function household(options: { start: string; config?: HomephoneConfig; whitelist?: Contact[] }): Promise<Household> {
  const input = { config: options.config ?? householdConfig(), whitelist: options.whitelist ?? WHITELIST, startTime: local(options.start) };
  // HOMEPHONE_TEST_DEPLOY_CACHE=off deploys every time, to compare (bench/README.md).
  const deployed = process.env.HOMEPHONE_TEST_DEPLOY_CACHE === 'off' ? await startDeployedTwin(input) : await deployedHousehold(input);
  return {
    ...deployed,
    call: (scenario) => runCall(deployed, scenario),
    moveTo: async (text) => {
      const seconds = (local(text).getTime() - deployed.twin.clock.nowMs()) / 1000;
      if (seconds < 0) throw new Error(`the twin is already past ${text}`);
      await deployed.twin.engine.advance(seconds);
    },
  };
}

// ---- Reading transcripts ---------------------------------------------------------------------

export const of = (r: HomeCallResult, callSid: string, type?: string) =>
  r.events.filter((e) => e.callSid === callSid && (type === undefined || e.type === type));

export const find = (events: TranscriptEvent[], type: string, text?: string | RegExp) =>
  events.find((e) => e.type === type && (text === undefined || (typeof text === 'string' ? e.text.includes(text) : text.test(e.text))));

/** Virtual seconds from the scenario's first event to `e`. */
export const at = (r: HomeCallResult, e: TranscriptEvent | undefined) => (e ? (e.atMs - r.events[0]!.atMs) / 1000 : NaN);

/** The calls the scenario made to an address (the SIP phone, the owner's cell…). */
export const callsTo = (r: HomeCallResult, to: string) => r.calls.filter((c) => c.to === to);

/** What the caller heard said, in order. */
export const said = (r: HomeCallResult, callSid = r.callSid) => of(r, callSid, 'say').map((e) => String(e.data.text));

export function joined(r: HomeCallResult, callSid: string) {
  return of(r, callSid, 'conference-join').map((e) => ({ room: String(e.data.room), muted: e.data.muted === true }));
}

/** Function invocations (by path) before the first event matching. */
export function functionsBefore(r: HomeCallResult, until: TranscriptEvent | undefined): string[] {
  expect(until).toBeDefined();
  return r.events.filter((e) => e.type === 'function' && e.seq < until!.seq).map((e) => String(e.data.path));
}
