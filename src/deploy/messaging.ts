// Where texts to the numbers go: the home number's to the protected Function /sms-home (the
// owner's text commands), the buzzer number's to the agent's /sms with the Function
// /sms-buzzer-fallback as its fallback (Twilio requests it when the agent cannot be reached). A
// messaging webhook someone else set on a number (their own app, an SMS application) is theirs:
// deploy replaces it only with --adopt. Twilio's own demo reply URL is nobody's.
import { normaliseUrl } from './normalise.js';

export const SMS_HOME_PATH = '/sms-home';
export const SMS_BUZZER_FALLBACK_PATH = '/sms-buzzer-fallback';

/** The agent's text endpoint below its public URL (as the agent builds its own routes: origin + prefix + path). */
export function agentSmsUrl(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}/sms`;
}

/** The number's messaging fields as deploy wants them (normalised like numberRouting). */
export function wantedMessaging(smsUrl: string, smsFallbackUrl: string): Record<string, string> {
  return {
    sms_url: normaliseUrl(smsUrl),
    sms_method: 'POST',
    sms_fallback_url: normaliseUrl(smsFallbackUrl),
    sms_fallback_method: 'POST',
    // An SMS application on the number makes Twilio ignore its sms_url.
    sms_application_sid: '',
  };
}

/** Twilio's demo reply, what a new number's messaging webhook may point at: nobody's app. */
function isTwilioDemo(url: string): boolean {
  try {
    return new URL(url).hostname === 'demo.twilio.com';
  } catch {
    return false;
  }
}

/**
 * Whether the number's messaging routing is another party's: a webhook or SMS application there
 * before homephone ever set the number's texts (the last deploy's snapshot has no messaging URL),
 * other than what deploy wants and Twilio's demo. Once homephone has set them, a later change in
 * the Console is drift, put back by the next deploy like a voice URL. Returns the reason, or null.
 */
export function foreignMessaging(current: Record<string, string>, wanted: Record<string, string>, lastApplied: Record<string, string> | undefined): string | null {
  if (lastApplied?.sms_url) return null;
  const app = current.sms_application_sid ?? '';
  if (app) return `its texts go to the SMS application ${app}`;
  const url = current.sms_url ?? '';
  if (!url || url === wanted.sms_url || isTwilioDemo(url)) return null;
  return `its texts go to ${url}`;
}

/** SDK parameter names of the messaging fields. */
export const MESSAGING_PARAMS: Readonly<Record<string, string>> = {
  sms_url: 'smsUrl',
  sms_method: 'smsMethod',
  sms_fallback_url: 'smsFallbackUrl',
  sms_fallback_method: 'smsFallbackMethod',
  sms_application_sid: 'smsApplicationSid',
};
