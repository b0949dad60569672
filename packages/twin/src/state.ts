// The twin's in-memory state. Each record keeps the resource exactly as Twilio shows it (`json`,
// snake_case) plus what Twilio keeps but never shows (TwiML URLs of a call, a SIP password, the
// bytes of an uploaded version). Domain operations live in model/; REST handlers in rest/.
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { Emitter } from './events.js';
import { newSecret, newSid, SidPrefix } from './sids.js';
import type { Exchange } from './voice/webhooks.js';

export type CallStatus =
  | 'queued'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled';
export const ENDED_CALL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';
export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

export interface IncomingPhoneNumberJson {
  sid: string;
  account_sid: string;
  phone_number: string;
  friendly_name: string;
  voice_url: string;
  voice_method: string;
  voice_fallback_url: string;
  voice_fallback_method: string;
  voice_application_sid: string | null;
  voice_caller_id_lookup: boolean;
  voice_receive_mode: 'voice' | 'fax';
  status_callback: string;
  status_callback_method: string;
  sms_url: string;
  sms_method: string;
  sms_fallback_url: string;
  sms_fallback_method: string;
  sms_application_sid: string | null;
  trunk_sid: string | null;
  [key: string]: unknown;
}

export interface OutgoingCallerIdJson {
  sid: string;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  account_sid: string;
  phone_number: string;
  uri: string;
}

export interface CallJson {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  status: CallStatus;
  direction: string;
  parent_call_sid: string | null;
  start_time: string | null;
  end_time: string | null;
  duration: string | null;
  date_created: string;
  date_updated: string;
  [key: string]: unknown;
}

/** What a call was told to do; the voice engine executes it. */
export interface CallInstructions {
  url?: string | undefined;
  method: string;
  twiml?: string | undefined;
  fallbackUrl?: string | undefined;
  fallbackMethod: string;
  statusCallback?: string | undefined;
  statusCallbackMethod: string;
  statusCallbackEvents: string[];
  timeout: number;
  callerId?: string | undefined;
  sendDigits?: string | undefined;
  /** A REST call to one of the account's own numbers: the inbound call it became there. */
  peerCallSid?: string | undefined;
  /** REST `TimeLimit`: the most seconds the call may last once answered (default 4 h). */
  timeLimit?: number | undefined;
  /** Set when the call was created as a conference participant. */
  conferenceSid?: string | undefined;
  /** REST-created calls: virtual ms at which the call leaves the account's CPS queue and dials. */
  dequeueAtMs?: number | undefined;
}

export interface CallRecord {
  json: CallJson;
  instructions: CallInstructions;
  /** When the call was answered, to the millisecond (start_time shows whole seconds only). */
  answeredAtMs?: number | undefined;
}

export interface ConferenceJson {
  sid: string;
  account_sid: string;
  friendly_name: string;
  status: ConferenceStatus;
  reason_conference_ended: string | null;
  call_sid_ending_conference: string | null;
  date_created: string;
  date_updated: string;
  [key: string]: unknown;
}

export interface ParticipantJson {
  call_sid: string;
  conference_sid: string;
  account_sid: string;
  label: string | null;
  status: ParticipantStatus;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  call_sid_to_coach: string | null;
  start_conference_on_enter: boolean;
  end_conference_on_exit: boolean;
  [key: string]: unknown;
}

/** Participant options Twilio keeps but does not show. */
export interface ParticipantOptions {
  beep?: string | undefined;
  waitUrl?: string | undefined;
  waitMethod?: string | undefined;
  earlyMedia?: boolean | undefined;
  holdUrl?: string | undefined;
  announceUrl?: string | undefined;
  conferenceStatusCallback?: string | undefined;
  conferenceStatusCallbackMethod?: string | undefined;
  conferenceStatusCallbackEvents: string[];
  /**
   * The call goes on with its TwiML after leaving the room (it joined through <Dial><Conference>,
   * or was redirected out); otherwise leaving the room hangs the call up.
   */
  callContinues?: boolean | undefined;
}

export interface ParticipantRecord {
  json: ParticipantJson;
  options: ParticipantOptions;
}

export interface MessageJson {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  status: string;
  [key: string]: unknown;
}

export interface SipDomainJson {
  sid: string;
  domain_name: string;
  sip_registration: boolean;
  voice_url: string | null;
  voice_method: string;
  [key: string]: unknown;
}

export type MappingKind = 'calls' | 'registrations';

export interface SipDomainRecord {
  json: SipDomainJson;
  /** Credential list SIDs mapped under Auth/Calls and Auth/Registrations, with mapping dates. */
  mappings: Record<MappingKind, Map<string, { date_created: string; date_updated: string }>>;
}

export interface CredentialListRecord {
  json: { sid: string; friendly_name: string; [key: string]: unknown };
  credentials: Map<string, CredentialRecord>;
}

export interface CredentialRecord {
  json: { sid: string; username: string; credential_list_sid: string; [key: string]: unknown };
  /** Twilio never shows it; the voice engine needs it to register scripted SIP phones. */
  password: string;
}

export type Visibility = 'public' | 'protected' | 'private';

export interface VersionRecord {
  json: { sid: string; path: string; visibility: Visibility; date_created: string; [key: string]: unknown };
  kind: 'function' | 'asset';
  parentSid: string;
  content: Buffer;
  contentType: string;
  filename: string;
}

export interface ServerlessChildRecord {
  json: { sid: string; friendly_name: string; [key: string]: unknown };
  versions: Map<string, VersionRecord>;
}

export interface BuildRecord {
  json: {
    sid: string;
    status: 'building' | 'completed' | 'failed';
    function_versions: unknown[];
    asset_versions: unknown[];
    dependencies: Array<{ name: string; version: string }>;
    runtime: string;
    [key: string]: unknown;
  };
  /** Version SIDs as requested (some may not exist: the build then fails). */
  functionVersionSids: string[];
  assetVersionSids: string[];
}

export interface EnvironmentRecord {
  json: { sid: string; unique_name: string; domain_suffix: string | null; domain_name: string; build_sid: string | null; [key: string]: unknown };
  variables: Map<string, { json: { sid: string; key: string; value: string; [key: string]: unknown } }>;
  deployments: Map<string, { json: { sid: string; build_sid: string | null; [key: string]: unknown } }>;
  /** What the environment's Functions logged (records/function-logs.ts), oldest first. */
  logs: FunctionLogRecord[];
}

/** One console line of a Function, as the Serverless Logs resource shows it. */
export interface FunctionLogRecord {
  json: {
    sid: string;
    account_sid: string;
    service_sid: string;
    environment_sid: string;
    build_sid: string;
    deployment_sid: string | null;
    function_sid: string;
    request_sid: string;
    level: 'INFO' | 'WARN' | 'ERROR';
    message: string;
    date_created: string;
    url: string;
  };
  /** Virtual ms, for the date filters and retention (date_created has whole seconds). */
  atMs: number;
}

export interface ServiceRecord {
  json: { sid: string; unique_name: string; friendly_name: string; domain_base: string; [key: string]: unknown };
  environments: Map<string, EnvironmentRecord>;
  functions: Map<string, ServerlessChildRecord>;
  assets: Map<string, ServerlessChildRecord>;
  builds: Map<string, BuildRecord>;
}

export interface FlowRevision {
  revision: number;
  friendly_name: string;
  status: 'draft' | 'published';
  definition: unknown;
  commit_message: string | null;
  date_created: string;
  date_updated: string | null;
}

export interface FlowRecord {
  json: {
    sid: string;
    friendly_name: string;
    status: 'draft' | 'published';
    definition: unknown;
    revision: number;
    webhook_url: string;
    [key: string]: unknown;
  };
  revisions: FlowRevision[];
  /** Every run of the flow (records/executions.ts), oldest first. */
  executions: Map<string, ExecutionRecord>;
}

/** A Studio Execution: one contact's run through a flow. */
export interface ExecutionRecord {
  json: {
    sid: string;
    account_sid: string;
    flow_sid: string;
    contact_channel_address: string;
    context: Record<string, unknown>;
    status: 'active' | 'ended';
    date_created: string;
    date_updated: string;
    url: string;
    links: { steps: string; execution_context: string };
  };
  /** The execution's live context ({trigger, widgets, flow}), shown by its Context resource. */
  context: Record<string, unknown>;
  steps: ExecutionStepRecord[];
  atMs: number;
}

/** A Step: the execution moved from one widget to the next on an event. */
export interface ExecutionStepRecord {
  json: {
    sid: string;
    account_sid: string;
    flow_sid: string;
    execution_sid: string;
    parent_step_sid: string | null;
    name: string;
    context: Record<string, unknown>;
    transitioned_from: string;
    transitioned_to: string;
    type: string;
    date_created: string;
    date_updated: string;
    url: string;
    links: { step_context: string };
  };
  /** The execution's context as it was when the step was taken. */
  context: Record<string, unknown>;
}

/** A Monitor Alert: an error or warning Twilio logged for the account (records/alerts.ts). */
export interface AlertRecord {
  /** The list representation (monitor.v1.alert). */
  json: {
    sid: string;
    account_sid: string;
    alert_text: string;
    api_version: string | null;
    date_created: string;
    date_generated: string;
    date_updated: string;
    error_code: string;
    log_level: 'error' | 'warning';
    more_info: string;
    request_method: 'GET' | 'POST' | null;
    request_url: string | null;
    resource_sid: string | null;
    service_sid: string | null;
    url: string;
  };
  /** The request behind the alert, if any (its answer may still be on its way when the alert is raised). */
  request?: Exchange | undefined;
  /** REST-request alerts: the form the application sent (URL-encoded). */
  requestVariables?: string | undefined;
  atMs: number;
}

/** What happened through the REST side; the voice engine subscribes to drive calls. */
export interface TwinEvents extends Record<string, unknown> {
  'call.created': CallRecord;
  'call.updated': { call: CallRecord; changed: Array<'status' | 'url' | 'twiml' | 'statusCallback'> };
  'conference.created': ConferenceJson;
  'conference.updated': ConferenceJson;
  'participant.created': { conference: ConferenceJson; participant: ParticipantRecord; call: CallRecord };
  'participant.updated': { conference: ConferenceJson; participant: ParticipantRecord };
  'participant.removed': { conference: ConferenceJson; participant: ParticipantRecord };
  'message.created': MessageJson;
  'number.updated': IncomingPhoneNumberJson;
  'build.completed': { service: ServiceRecord; build: BuildRecord };
  'deployment.created': { service: ServiceRecord; environment: EnvironmentRecord; buildSid: string };
  'flow.saved': FlowRecord;
}

export interface SyncDocumentRecord {
  json: {
    sid: string;
    unique_name: string | null;
    revision: string;
    data: unknown;
    date_expires: string | null;
    date_updated: string;
    [key: string]: unknown;
  };
}

export interface SyncListItemRecord {
  json: { index: number; data: unknown; date_expires: string | null; [key: string]: unknown };
}

export interface SyncListRecord {
  json: { sid: string; unique_name: string | null; revision: string; date_updated: string; [key: string]: unknown };
  items: SyncListItemRecord[];
  /** The index the next item gets: indexes only grow, never reused. */
  nextIndex: number;
}

export interface SyncServiceRecord {
  json: { sid: string; friendly_name: string | null; date_updated: string; [key: string]: unknown };
  documents: Map<string, SyncDocumentRecord>;
  lists: Map<string, SyncListRecord>;
}

/** What Twilio keeps per account besides resources (set through the admin API). */
export interface AccountSettings {
  /** Calls per second: REST-created calls leave the outbound queue at this rate (Twilio's default 1). */
  cps: number;
}

export interface Credentials {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
}

export class TwinState {
  readonly events = new Emitter<TwinEvents>();
  numbers = new Map<string, { json: IncomingPhoneNumberJson }>();
  calls = new Map<string, CallRecord>();
  conferences = new Map<string, { json: ConferenceJson; participants: Map<string, ParticipantRecord> }>();
  messages = new Map<string, { json: MessageJson }>();
  outgoingCallerIds = new Map<string, { json: OutgoingCallerIdJson }>();
  sipDomains = new Map<string, SipDomainRecord>();
  credentialLists = new Map<string, CredentialListRecord>();
  services = new Map<string, ServiceRecord>();
  flows = new Map<string, FlowRecord>();
  syncServices = new Map<string, SyncServiceRecord>();
  /** Monitor Alerts, oldest first. */
  alerts = new Map<string, AlertRecord>();
  readonly account: AccountSettings = { cps: 1 }; // Twilio's default (DEFAULT_CPS)
  /** Virtual ms from which the next REST-created call may leave the outbound queue. */
  callQueueFreeAt = 0;
  /**
   * Virtual seconds an Alert or a Function's Log line stays unreadable after it happened (0, the
   * default: readable at once). Twilio buffers both (TWIN-FIDELITY.md, "When the records can be
   * read"); a product that polls for them is tested with a lag here.
   */
  recordsLagSeconds = 0;

  /** Whether a record made at `atMs` can be read yet (recordsLagSeconds). */
  readable(atMs: number): boolean {
    return atMs <= this.now().getTime() - this.recordsLagSeconds * 1000;
  }

  constructor(
    readonly credentials: Credentials = newCredentials(),
    readonly clock: Clock = systemClock,
  ) {}

  get accountSid(): string {
    return this.credentials.accountSid;
  }

  now(): Date {
    return this.clock.now();
  }

  /** Forget every resource and the call queue; credentials, account settings and listeners stay. */
  reset(): void {
    this.callQueueFreeAt = 0;
    this.numbers = new Map();
    this.calls = new Map();
    this.conferences = new Map();
    this.messages = new Map();
    this.outgoingCallerIds = new Map();
    this.sipDomains = new Map();
    this.credentialLists = new Map();
    this.services = new Map();
    this.flows = new Map();
    this.syncServices = new Map();
    this.alerts = new Map();
  }
}

export function newCredentials(overrides: Partial<Credentials> = {}): Credentials {
  return {
    accountSid: overrides.accountSid ?? newSid(SidPrefix.account),
    authToken: overrides.authToken ?? newSecret(),
    apiKeySid: overrides.apiKeySid ?? newSid(SidPrefix.apiKey),
    apiKeySecret: overrides.apiKeySecret ?? newSecret(),
  };
}
