// Scripted far ends: what the phone at a PSTN number or a SIP user does when the twin calls it,
// and what an inbound caller does once connected. Times are virtual seconds.
import type { SipDomainRecord, TwinState } from '../state.js';

export type PhoneBehaviour = 'answer' | 'no-answer' | 'busy' | 'voicemail' | 'fail';

export interface DigitPress {
  digits: string;
  /** Seconds after the call connected (answered, or placed for an inbound caller). */
  at: number;
}

export interface PhoneScript {
  /** Default 'answer'. 'voicemail' answers (late) and presses nothing; 'fail' is unreachable. */
  behaviour?: PhoneBehaviour;
  /** Seconds of ringing before answering (default 3; voicemail 20). */
  answerAfter?: number;
  press?: DigitPress[];
  /** Seconds after connecting at which this end hangs up (default never; voicemail 60). */
  hangupAfter?: number;
  /** SIP users only: false = not registered (dialling it fails with 32009). Default true. */
  registered?: boolean;
  /**
   * What this phone does when it hears key tones: key sequence → a name for the reaction, e.g.
   * {"9": "door-opens"} for a building's enterphone. Tones reach it from <Play digits> or
   * sendDigits on its own call, and from other parties' presses in a started room or across a
   * <Dial> bridge. Each reaction is a `reaction` event in the transcript.
   */
  onHear?: Record<string, string>;
}

export const DEFAULT_ANSWER_AFTER = 3;
export const VOICEMAIL_ANSWER_AFTER = 20;
export const VOICEMAIL_HANGUP_AFTER = 60;

export function checkScript(raw: unknown): PhoneScript {
  const s = (raw ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) throw new Error('a phone script must be an object');
  const out: PhoneScript = {};
  if (s.behaviour !== undefined) {
    if (!['answer', 'no-answer', 'busy', 'voicemail', 'fail'].includes(String(s.behaviour))) {
      throw new Error("behaviour must be 'answer', 'no-answer', 'busy', 'voicemail' or 'fail'");
    }
    out.behaviour = s.behaviour as PhoneBehaviour;
  }
  for (const k of ['answerAfter', 'hangupAfter'] as const) {
    if (s[k] === undefined) continue;
    const n = Number(s[k]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${k} must be a number of seconds ≥ 0`);
    out[k] = n;
  }
  if (s.press !== undefined) {
    if (!Array.isArray(s.press)) throw new Error('press must be a list of {digits, at}');
    out.press = s.press.map((p: unknown) => {
      const o = (p ?? {}) as Record<string, unknown>;
      const digits = String(o.digits ?? '');
      const at = Number(o.at);
      if (!/^[0-9*#]+$/.test(digits)) throw new Error(`press digits ${JSON.stringify(o.digits)} must be 0-9, * or #`);
      if (!Number.isFinite(at) || at < 0) throw new Error('press at must be a number of seconds ≥ 0');
      return { digits, at };
    });
  }
  if (s.registered !== undefined) out.registered = Boolean(s.registered);
  if (s.onHear !== undefined) out.onHear = checkOnHear(s.onHear);
  return out;
}

function checkOnHear(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('onHear must be an object of keys → reaction, e.g. {"9": "door-opens"}');
  const out: Record<string, string> = {};
  for (const [keys, reaction] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[0-9*#]{1,32}$/.test(keys)) throw new Error(`onHear key ${JSON.stringify(keys)} must be 1 to 32 of 0-9, * or #`);
    if (typeof reaction !== 'string' || !/^[\w.:-]{1,64}$/.test(reaction)) {
      throw new Error(`onHear reaction for ${keys} must be a name (letters, digits, . : - _), e.g. "door-opens"`);
    }
    out[keys] = reaction;
  }
  if (!Object.keys(out).length) throw new Error('onHear needs at least one key sequence');
  return out;
}

/** '1@3s' or '1@3' → {digits: '1', at: 3}; '9' alone is pressed at 0 s. */
export function parsePress(spec: string): DigitPress {
  const m = /^([0-9*#]+)(?:@(\d+(?:\.\d+)?)s?)?$/.exec(spec.trim());
  if (!m) throw new Error(`press ${JSON.stringify(spec)} must look like 1@3s (digits @ seconds after connecting)`);
  return { digits: m[1]!, at: m[2] === undefined ? 0 : Number(m[2]) };
}

/** The key a far end is filed under: E.164 as is, SIP URIs as sip:user@host in lower case. */
export function addressKey(address: string): string {
  const sip = parseSipUri(address);
  return sip ? `sip:${sip.user.toLowerCase()}@${sip.host.toLowerCase()}` : address.trim();
}

export function parseSipUri(uri: string): { user: string; host: string } | undefined {
  const m = /^sips?:(?:([^@;]*)@)?([^;:>?]+)/i.exec(uri.trim());
  if (!m) return undefined;
  return { user: decodeURIComponent(m[1] ?? ''), host: m[2]! };
}

export type FarEnd =
  | { ok: true; script: PhoneScript; kind: 'pstn' | 'sip' }
  | { ok: false; code: number; message: string; status: 'failed' };

/** Directory of scripted phones plus Twilio's SIP rules for the account's domains. */
export class Phones {
  private scripts = new Map<string, PhoneScript>();

  constructor(private readonly state: TwinState) {}

  set(address: string, script: PhoneScript): void {
    this.scripts.set(addressKey(address), script);
  }

  get(address: string): PhoneScript | undefined {
    return this.scripts.get(addressKey(address));
  }

  all(): Record<string, PhoneScript> {
    return Object.fromEntries(this.scripts);
  }

  clear(): void {
    this.scripts.clear();
  }

  /** What answers when the twin dials `to`: a script, or the error Twilio would give. */
  resolve(to: string): FarEnd {
    const sip = parseSipUri(to);
    if (!sip) return { ok: true, kind: 'pstn', script: this.get(to) ?? {} };
    const host = sip.host.toLowerCase();
    if (!host.endsWith('.twilio.com')) return { ok: true, kind: 'sip', script: this.get(to) ?? {} };
    if (/\.sip\.[a-z0-9-]+\.twilio\.com$/.test(host)) {
      return { ok: false, status: 'failed', code: 32220, message: `dial the global SIP URI (name.sip.twilio.com), not the edge URI ${host}` };
    }
    if (!sip.user) return { ok: false, status: 'failed', code: 32223, message: `the SIP URI ${to} has no user part` };
    const domain = [...this.state.sipDomains.values()].find((d) => d.json.domain_name.toLowerCase() === host);
    if (!domain) return { ok: false, status: 'failed', code: 32214, message: `the SIP domain ${host} is not in this account` };
    const script = this.get(to) ?? {};
    const unregistered = { ok: false as const, status: 'failed' as const, code: 32009, message: `SIP user ${sip.user}@${host} is not registered` };
    if (!domain.json.sip_registration || script.registered === false) return unregistered;
    // A device can register only with a credential in a list mapped under Auth/Registrations
    // (otherwise its REGISTER is refused: 32212), so nobody is registered as that user.
    if (!this.inMappedList(domain, 'registrations', sip.user)) {
      return { ...unregistered, message: `${unregistered.message} (no credential list under Auth/Registrations holds it: its registration is refused, 32212)` };
    }
    return { ok: true, kind: 'sip', script };
  }

  /**
   * Whether the domain accepts a call (INVITE) from a device signed in as `user`. Twilio challenges
   * the INVITE and accepts it only if the user is in a credential list mapped under Auth/Calls; a
   * domain with nothing mapped there blocks every request. Refused: SIP 403 Forbidden.
   */
  authorizeInvite(domain: SipDomainRecord, user: string): { ok: true } | { ok: false; code: number; sipStatus: 403; message: string } {
    const host = domain.json.domain_name;
    if (!domain.mappings.calls.size) {
      return { ok: false, code: 32106, sipStatus: 403, message: `${host} has no credential list under Auth/Calls: the call from ${user} is blocked` };
    }
    if (!this.inMappedList(domain, 'calls', user)) {
      return { ok: false, code: 32106, sipStatus: 403, message: `${user} is in no credential list mapped under ${host}'s Auth/Calls: authentication failed` };
    }
    return { ok: true };
  }

  private inMappedList(domain: SipDomainRecord, kind: 'calls' | 'registrations', user: string): boolean {
    return [...domain.mappings[kind].keys()].some((clSid) =>
      [...(this.state.credentialLists.get(clSid)?.credentials.values() ?? [])].some((c) => c.json.username === user),
    );
  }
}
