// Types for the globals the Twilio Functions runtime provides, so `npm run typecheck` checks the
// deployed Functions (tsconfig.functions.json). Never uploaded: deploy takes only *.js files.
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

declare global {
  /** `context`: the environment's Variables plus what the runtime adds. */
  interface HomephoneContext {
    [variable: string]: unknown;
    DOMAIN_NAME?: string;
    HOME_NUMBER?: string;
    OWNER_CELL?: string;
    SIP_URI?: string;
    MONITOR_CODE_HASH?: string;
    TIME_ZONE?: string;
    BUZZER_NUMBER?: string;
    TENANT_NUMBERS?: string;
    RING_TIMEOUT?: string;
    BUZZER_FALLBACK_NUMBER?: string;
    /** The Sync service holding the monitor code's lockout (IS…). */
    SYNC_SERVICE_SID?: string;
    /** The owner's alerts as JSON (lib/alerts.js); absent when alerts are off. */
    ALERTS?: string;
    /** A REST client for the account, authenticated by the runtime. */
    getTwilioClient(): import('twilio').Twilio;
  }
  /** `event`: the webhook's parameters (From, To, CallSid, Digits, DialCallStatus…). */
  type HomephoneEvent = Record<string, string | undefined>;
  type HomephoneCallback = (error: unknown, response?: unknown) => void;
  type HomephoneHandler = (context: HomephoneContext, event: HomephoneEvent, callback: HomephoneCallback) => void;
  /** The same, for a handler that awaits REST calls (the runtime waits for its callback). */
  type HomephoneAsyncHandler = (context: HomephoneContext, event: HomephoneEvent, callback: HomephoneCallback) => Promise<void>;

  const Runtime: {
    getAssets(): Record<string, { path: string; open(): string } | undefined>;
    getFunctions(): Record<string, { path: string } | undefined>;
  };
  const Twilio: {
    twiml: { VoiceResponse: typeof VoiceResponse; MessagingResponse: typeof MessagingResponse };
  };
}
