// What homephone created, told from Twilio itself. Everything homephone makes that has a name
// carries MANAGED_MARK: the Serverless service's and the SIP domain's friendly names, the
// credential list's name, and each Studio flow's definition description (flows keep their
// friendly names: the Console and the docs name them). A resource of the state's recorded SIDs
// is ours too (deployments made before the mark; the next deploy adds it). Inside our service,
// Functions, Assets and Variables are ours by name: a path a template serves (or served), a
// version we uploaded, a Variable key homephone defines. Anything else is another party's:
// deploy shows it and changes, adopts or deletes it only with --adopt.
import { HomephoneError, InputError } from '../errors.js';
import type { Change } from './run.js';

export const MANAGED_MARK = '[managed by homephone]';

export const isMarked = (text: string | undefined | null): boolean => Boolean(text && text.includes(MANAGED_MARK));

/** `name` with the mark appended (once). */
export const withMark = (name: string): string => (isMarked(name) ? name : `${name} ${MANAGED_MARK}`);

/** The flow definition's description, which carries the mark (Studio keeps it with the definition). */
export function flowDescription(definition: unknown): string | undefined {
  const d = (definition as { description?: unknown } | null)?.description;
  return typeof d === 'string' ? d : undefined;
}

/**
 * Every Variable key any homephone version sets: a Variable with one of these keys in homephone's
 * own environment is homephone's; any other key (e.g. OTHER_APP_KEY) is someone else's.
 */
export const HOMEPHONE_VARIABLE_KEYS: ReadonlySet<string> = new Set([
  'HOME_NUMBER',
  'OWNER_CELL',
  'SIP_URI',
  'MONITOR_CODE_HASH',
  'TIME_ZONE',
  'BUZZER_NUMBER',
  'ENTERPHONE_NUMBER',
  'TENANT_NUMBERS',
  'RING_TIMEOUT',
  'BUZZER_FALLBACK_NUMBER',
  'SYNC_SERVICE_SID',
  'ALERTS',
]);

/** A plan's changes to resources homephone did not create (anything but leaving them alone). */
export function foreignChanges(changes: Change[]): Change[] {
  return changes.filter((c) => c.foreign && c.action !== 'unchanged');
}

/** Deploy would change what another party made: refused unless the user passed --adopt. */
export class ForeignResourcesError extends InputError {
  constructor(changes: Change[]) {
    const list = changes.map((c) => `${c.action} ${c.resource}`).join('; ');
    super(`the plan would ${changes.length === 1 ? 'change a resource' : `change ${changes.length} resources`} homephone did not create: ${list}`, {
      hint: 'nothing was changed; check the plan (homephone deploy --dry-run), then run homephone deploy --adopt to take them over, or rename or remove them in the Twilio Console',
    });
  }
}

/** A SIP credential list holding users homephone did not create: never mapped, even with --adopt. */
export class UnsafeCredentialListError extends HomephoneError {
  constructor(list: { sid: string; friendlyName: string }, strangers: string[]) {
    super(
      `the SIP credential list "${list.friendlyName}" (${list.sid}) holds users homephone did not create (${strangers.join(', ')}): ` +
        'homephone never maps such a list to the domain, since they could then register as the home phone and place calls from it',
      { hint: 'remove those credentials from the list in the Twilio Console (homephone keeps only its own user there), then run homephone deploy again' },
    );
  }
}
