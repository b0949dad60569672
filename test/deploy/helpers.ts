// In-process deploys against an in-process twin: a real SDK client, the real uploader, the deploy
// state in memory, and no wall-clock sleeps (429 back-off and build polls are injected).
import { startTwin, type Twin, type TwinSnapshot } from '@homephone/twin';
import { createTwilioClient, type TwilioClient } from '../../src/twilio/client.js';
import { createServerlessUploader } from '../../src/twilio/upload.js';
import { deploy, memoryStateStore, type DeploySession, type DeployState } from '../../src/deploy/index.js';
import type { HomephoneConfig } from '../../src/config/schema.js';
import type { Contact } from '../../src/household/contacts.js';
import { hashMonitorCode } from '../../src/household/monitor-code.js';

export const HOME = '+15551230001';
export const BUZZER = '+15551230002';
export const OWNER = '+15551239000';

const monitorHash = hashMonitorCode('2468');

export function householdConfig(overrides: Partial<HomephoneConfig> = {}): HomephoneConfig {
  return {
    household: {
      homeNumber: HOME,
      ownerCell: OWNER,
      defaultCountry: 'US',
      timeZone: 'America/New_York',
      sipDomain: 'myhome.sip.twilio.com',
      sipUsername: 'homephone',
      sipPassword: 'Secret-Pass-1234xyz',
      emergencyNumbers: ['911'],
      bedtime: [{ days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' }],
      monitorCodeHash: monitorHash,
    },
    buzzer: {
      number: BUZZER,
      enterphoneNumber: '+15551238888',
      tenants: [
        { name: 'Alex', number: '+15551110000' },
        { name: 'Sam', number: '+15551110001' },
      ],
      ringTimeout: 25,
      publicUrl: 'https://buzz.example.org/',
    },
    ...overrides,
  };
}

export const WHITELIST: Contact[] = [
  { Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null },
  { Number: '+15555550100', Person: 'Uncle Bob', OverrideBedtime: false, PrimaryContact: 'Mum' },
];

export interface DeployHarness {
  twin: Twin;
  /** An SDK client of the twin's account, for a test to look at (or change) what a deploy left. */
  sdk: TwilioClient;
  session: (options?: { config?: HomephoneConfig; whitelist?: Contact[]; sleep?: (ms: number) => Promise<void> }) => DeploySession;
  store: ReturnType<typeof memoryStateStore>;
  writes: () => Array<{ method: string; path: string; status: number | null }>;
  clearLog: () => void;
  reset: () => void;
  /** A copy of the twin's account (its admin snapshot) and of the deploy state, to put back with restore(). */
  save: () => SavedDeploy;
  /** Puts the twin's account and the deploy state back as they were saved (a fresh copy each time). */
  restore: (saved: SavedDeploy) => void;
}

export interface SavedDeploy {
  twin: TwinSnapshot;
  store: DeployState;
}

export const isWrite = (r: { method: string; path: string }) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate');

/**
 * Every harness's twin is the same test account, so a saved deploy (its twin snapshot is tied to
 * the account) can be put back in any of them: firstDeploy() shares one per worker.
 */
export const HARNESS_ACCOUNT = { accountSid: `AC${'4a'.repeat(16)}`, authToken: 'b7'.repeat(16) };

export async function startDeployHarness(initial: DeployState = {}): Promise<DeployHarness> {
  const twin = await startTwin({ numbers: [HOME, BUZZER], credentials: HARNESS_ACCOUNT });
  const settings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
  const store = memoryStateStore(initial);
  const harness: DeployHarness = {
    twin,
    sdk: createTwilioClient(settings, {}),
    store,
    session: (options = {}) => {
      const sleep = options.sleep ?? (async () => {});
      return {
        accountSid: settings.accountSid,
        client: createTwilioClient(settings, {}, { retry: { sleep } }),
        uploader: createServerlessUploader(settings, {}, { retry: { sleep } }),
        store,
        config: options.config ?? householdConfig(),
        whitelist: options.whitelist ?? WHITELIST,
        sipPassword: (options.config ?? householdConfig()).household?.sipPassword ?? 'Generated-1234abcd',
        sipPasswordGenerated: false,
        sleep,
      };
    },
    writes: () => twin.log.all().filter(isWrite).map((r) => ({ method: r.method, path: r.path, status: r.status })),
    clearLog: () => twin.log.clear(),
    reset: () => {
      twin.admin.reset();
      store.current = {};
    },
    save: () => ({ twin: twin.admin.snapshot(), store: structuredClone(store.current) }),
    restore: (saved) => {
      twin.admin.restore(saved.twin);
      store.current = structuredClone(saved.store);
    },
  };
  return harness;
}

/** The first deploy of householdConfig() and WHITELIST, saved by the first firstDeploy() of this worker. */
let savedFirstDeploy: Promise<SavedDeploy> | undefined;

/**
 * The household's first deploy (householdConfig(), WHITELIST) in a reset harness, for tests whose
 * subject comes after it: the first call in a worker deploys for real and saves the result
 * (h.save(): the twin's account and the deploy state); every later call puts a fresh copy of that
 * back (h.restore()), about 220 ms of CPU less each. The later-deploy sweep checks that a restored
 * copy is the deploy it was saved from (test/deploy/convergence.ts), test/calls/restore.test.ts
 * that a restored twin behaves as the deployed one. The request log starts empty. Tests of the
 * first deploy itself call deploy().
 */
export async function firstDeploy(h: DeployHarness): Promise<void> {
  if (!savedFirstDeploy) {
    h.reset();
    const saving = deploy(h.session()).then(() => h.save());
    savedFirstDeploy = saving;
    saving.catch(() => (savedFirstDeploy = undefined)); // a failed deploy is not kept: the next caller sees its error again
    await saving;
  } else {
    h.restore(await savedFirstDeploy);
  }
  h.clearLog(); // either way the request log starts empty (a restore clears it)
}
