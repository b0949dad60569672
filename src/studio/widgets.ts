// Studio flow definitions as TypeScript types: one type per widget homephone uses, with the
// property types Studio's Validate insists on (e.g. add-twiml-redirect's timeout is a *string*),
// and small builders that fill in the transitions every widget must list.

export interface Offset {
  x: number;
  y: number;
}

export interface Condition {
  friendly_name: string;
  arguments: string[];
  type:
    | 'equal_to'
    | 'not_equal_to'
    | 'matches_any_of'
    | 'does_not_match_any_of'
    | 'is_blank'
    | 'is_not_blank'
    | 'regex'
    | 'contains'
    | 'does_not_contain'
    | 'starts_with'
    | 'does_not_start_with'
    | 'less_than'
    | 'greater_than'
    | 'is_before_time'
    | 'is_after_time';
  value: string;
}

export interface Transition<E extends string> {
  event: E;
  /** The next state's name; absent ends the execution (for a call: hangs up). */
  next?: string;
  conditions?: Condition[];
}

export interface KeyValue {
  key: string;
  value: string;
}

interface State<T extends string, E extends string, P> {
  name: string;
  type: T;
  transitions: Array<Transition<E>>;
  properties: P & { offset?: Offset };
}

export type TriggerEvent = 'incomingMessage' | 'incomingCall' | 'incomingConversationMessage' | 'incomingRequest' | 'incomingParent';
export type TriggerState = State<'trigger', TriggerEvent, Record<never, never>>;

export type SplitState = State<'split-based-on', 'noMatch' | 'match', { input: string }>;

export type RunFunctionState = State<
  'run-function',
  'success' | 'fail',
  { url: string; service_sid?: string; environment_sid?: string; function_sid?: string; parameters?: KeyValue[] }
>;

export type GatherState = State<
  'gather-input-on-call',
  'keypress' | 'speech' | 'timeout',
  {
    say?: string;
    play?: string;
    voice?: string;
    language?: string;
    loop?: number;
    timeout?: number;
    finish_on_key?: string;
    number_of_digits?: number;
    stop_gather?: boolean;
    gather_language?: string;
    speech_timeout?: string;
    hints?: string;
    speech_model?: string;
    /** A string, "true" or "false": Validate rejects a boolean. */
    profanity_filter?: 'true' | 'false';
  }
>;

export type SayPlayState = State<
  'say-play',
  'audioComplete',
  { say?: string; play?: string; digits?: string; voice?: string; language?: string; loop?: number }
>;

export type ConnectCallState = State<
  'connect-call-to',
  'callCompleted' | 'hangup',
  {
    noun: 'number' | 'number-multi' | 'client' | 'sip' | 'conference' | 'sim';
    to?: string;
    caller_id?: string;
    record?: boolean;
    timeout?: number;
    /** A string of seconds. */
    time_limit?: string;
    sip_endpoint?: string;
    sip_username?: string;
    sip_password?: string;
  }
>;

export type TwimlRedirectState = State<
  'add-twiml-redirect',
  'return' | 'timeout' | 'fail',
  { url: string; method?: 'GET' | 'POST'; /** "0"–"14400" seconds, as a string. */ timeout?: string }
>;

export type HttpRequestState = State<
  'make-http-request',
  'success' | 'failed',
  {
    method: 'GET' | 'POST';
    url: string;
    content_type?: string;
    body?: string;
    parameters?: KeyValue[];
    add_twilio_auth?: boolean;
  }
>;

export type SetVariablesState = State<'set-variables', 'next', { variables: KeyValue[] }>;

export type FlowState =
  | TriggerState
  | SplitState
  | RunFunctionState
  | GatherState
  | SayPlayState
  | ConnectCallState
  | TwimlRedirectState
  | HttpRequestState
  | SetVariablesState;

export interface FlowDefinition {
  description?: string;
  initial_state: string;
  flags?: { allow_concurrent_calls: boolean };
  states: FlowState[];
}

// ---- Builders: every event a widget can raise is listed, with `next` only where one is given ----

type Nexts<E extends string> = Partial<Record<E, string>>;

function transitions<E extends string>(events: readonly E[], nexts: Nexts<E>): Array<Transition<E>> {
  return events.map((event) => (nexts[event] ? { event, next: nexts[event] } : { event }));
}

function at(offset: Offset | undefined): { offset?: Offset } {
  return offset ? { offset } : {};
}

export function trigger(options: { name?: string; next: Nexts<TriggerEvent>; offset?: Offset }): TriggerState {
  return {
    name: options.name ?? 'Trigger',
    type: 'trigger',
    transitions: transitions(['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'], options.next),
    properties: { ...at(options.offset ?? { x: 0, y: 0 }) },
  };
}

export function twimlRedirect(options: {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  timeoutSeconds?: number;
  next?: Nexts<'return' | 'timeout' | 'fail'>;
  offset?: Offset;
}): TwimlRedirectState {
  const timeout = options.timeoutSeconds ?? 14400;
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 14400) throw new Error('a TwiML redirect timeout is 0 to 14400 seconds');
  return {
    name: options.name,
    type: 'add-twiml-redirect',
    transitions: transitions(['return', 'timeout', 'fail'], options.next ?? {}),
    properties: { ...at(options.offset), url: options.url, method: options.method ?? 'POST', timeout: String(timeout) },
  };
}

export function sayPlay(options: {
  name: string;
  say?: string;
  play?: string;
  voice?: string;
  language?: string;
  loop?: number;
  next?: string;
  offset?: Offset;
}): SayPlayState {
  const { name, next, offset, ...speech } = options;
  const properties: SayPlayState['properties'] = { ...at(offset), loop: 1 };
  for (const [key, value] of Object.entries(speech)) if (value !== undefined) Object.assign(properties, { [key]: value });
  return { name, type: 'say-play', transitions: transitions(['audioComplete'], next ? { audioComplete: next } : {}), properties };
}

export function runFunction(options: {
  name: string;
  url: string;
  parameters?: KeyValue[];
  next?: Nexts<'success' | 'fail'>;
  offset?: Offset;
}): RunFunctionState {
  return {
    name: options.name,
    type: 'run-function',
    transitions: transitions(['success', 'fail'], options.next ?? {}),
    properties: { ...at(options.offset), url: options.url, ...(options.parameters ? { parameters: options.parameters } : {}) },
  };
}

export function splitOn(options: {
  name: string;
  input: string;
  cases: Array<{ label: string; type: Condition['type']; value: string; next: string }>;
  noMatch?: string;
  offset?: Offset;
}): SplitState {
  return {
    name: options.name,
    type: 'split-based-on',
    transitions: [
      options.noMatch ? { event: 'noMatch', next: options.noMatch } : { event: 'noMatch' },
      ...options.cases.map((c) => ({
        event: 'match' as const,
        next: c.next,
        conditions: [{ friendly_name: c.label, arguments: [options.input], type: c.type, value: c.value }],
      })),
    ],
    properties: { ...at(options.offset), input: options.input },
  };
}

export function setVariables(options: { name: string; variables: KeyValue[]; next?: string; offset?: Offset }): SetVariablesState {
  return {
    name: options.name,
    type: 'set-variables',
    transitions: transitions(['next'], options.next ? { next: options.next } : {}),
    properties: { ...at(options.offset), variables: options.variables },
  };
}

export function gatherInput(options: {
  name: string;
  say: string;
  /** Seconds to wait for each key. */
  timeout: number;
  numberOfDigits?: number;
  finishOnKey?: string;
  /** How many times the prompt is said. */
  loop?: number;
  next?: Nexts<'keypress' | 'speech' | 'timeout'>;
  offset?: Offset;
}): GatherState {
  const properties: GatherState['properties'] = {
    ...at(options.offset),
    say: options.say,
    timeout: options.timeout,
    loop: options.loop ?? 1,
    finish_on_key: options.finishOnKey ?? '#',
    stop_gather: true,
    gather_language: 'en',
    speech_timeout: 'auto',
    profanity_filter: 'true',
  };
  if (options.numberOfDigits !== undefined) properties.number_of_digits = options.numberOfDigits;
  return { name: options.name, type: 'gather-input-on-call', transitions: transitions(['keypress', 'speech', 'timeout'], options.next ?? {}), properties };
}
