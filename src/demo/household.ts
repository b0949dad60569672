// The demo household, built in code: a made-up family with fictional 555-01xx numbers, a bedtime
// schedule, a whitelist, two tenants and the buzzer agent's public URL. `homephone demo` writes it
// to a temporary folder with the real config and whitelist writers and deploys it into a twin, so
// it needs no configuration, whitelist or Twilio account of the user's.
import type { HomephoneConfig } from '../config/schema.js';
import type { BedtimeWindow } from '../household/bedtime.js';
import type { Contact } from '../household/contacts.js';
import { hashMonitorCode } from '../household/monitor-code.js';

export const DEMO = {
  homeNumber: '+15555550100',
  ownerCell: '+15555550101',
  buzzerNumber: '+15555550102',
  enterphoneNumber: '+15555550103',
  sipDomain: 'demohome.sip.twilio.com',
  sipUsername: 'homephone',
  grandma: '+15555550111',
  uncleBob: '+15555550112',
  alex: '+15555550121',
  sam: '+15555550122',
  /** Calls the home number but is on no list. */
  stranger: '+15555550199',
  /** Dialled on the SIP phone but not on the whitelist (in national form, as typed). */
  pizzeria: '+15555550188',
  monitorCode: '2468',
  timeZone: 'America/New_York',
  /** Never reached: the twin sends the buzzer's webhooks for this host to the local agent. */
  publicUrl: 'https://buzzer.demo.example/',
  doorDigits: '9',
  notWhitelistedMessage: 'Sorry, the Demo family only takes calls from people they know. Goodbye.',
} as const;

export const SIP_URI = `sip:${DEMO.sipUsername}@${DEMO.sipDomain}`;

export const BEDTIME: readonly BedtimeWindow[] = [
  { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' },
  { days: ['Fri', 'Sat'], start: '22:00', end: '08:00' },
];

export const TENANTS = [
  { name: 'Alex', number: DEMO.alex },
  { name: 'Sam', number: DEMO.sam },
];

export const DEMO_WHITELIST: Contact[] = [
  { Number: DEMO.grandma, Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null },
  { Number: DEMO.uncleBob, Person: 'Uncle Bob', OverrideBedtime: false, PrimaryContact: 'Mum' },
];

/** The configuration, pointed at a twin: its account, its auth token (the agent checks signatures with it) and its URL. */
export function demoConfig(twin: { accountSid: string; authToken: string; url: string }): HomephoneConfig {
  return {
    twilio: { accountSid: twin.accountSid, authToken: twin.authToken, twinUrl: twin.url },
    household: {
      homeNumber: DEMO.homeNumber,
      ownerCell: DEMO.ownerCell,
      defaultCountry: 'US',
      timeZone: DEMO.timeZone,
      sipDomain: DEMO.sipDomain,
      sipUsername: DEMO.sipUsername,
      emergencyNumbers: ['911'],
      bedtime: [...BEDTIME],
      monitorCodeHash: hashMonitorCode(DEMO.monitorCode),
      messages: { notWhitelisted: DEMO.notWhitelistedMessage },
    },
    buzzer: {
      number: DEMO.buzzerNumber,
      enterphoneNumber: DEMO.enterphoneNumber,
      tenants: TENANTS.map((t) => ({ ...t })),
      doorDigits: DEMO.doorDigits,
      ringTimeout: 30,
      publicUrl: DEMO.publicUrl,
    },
  };
}

/** Who each address is, for the transcripts' legends. */
export const NAMES: ReadonlyMap<string, string> = new Map([
  [DEMO.homeNumber, 'home number'],
  [DEMO.ownerCell, "owner's cell"],
  [DEMO.buzzerNumber, 'buzzer number'],
  [DEMO.enterphoneNumber, 'enterphone'],
  [SIP_URI, 'SIP phone'],
  [DEMO.grandma, 'Grandma'],
  [DEMO.uncleBob, 'Uncle Bob'],
  [DEMO.alex, 'Alex'],
  [DEMO.sam, 'Sam'],
  [DEMO.stranger, 'stranger'],
  [DEMO.pizzeria, 'pizzeria'],
  ['911', 'emergency services'],
]);
