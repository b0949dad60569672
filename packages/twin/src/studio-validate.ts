// Checks a Studio flow definition the way Studio's Validate endpoint does, for the widgets
// homephone uses: known widget types, required properties, property types (including the ones
// Studio insists are strings), transitions to existing states, exactly one trigger. Errors carry a
// JSON-pointer property_path like Studio's ('#/states/3/properties/timeout').

export interface FlowIssue {
  message: string;
  property_path: string;
}

export interface FlowCheck {
  errors: FlowIssue[];
  warnings: FlowIssue[];
}

type PropType = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'key-value-array';

interface WidgetSpec {
  events: readonly string[];
  required?: readonly string[];
  props: Readonly<Record<string, PropType>>;
  /** Integer ranges, e.g. say-play loop 1–99. */
  ranges?: Readonly<Record<string, readonly [number, number]>>;
}

const OFFSET: Record<string, PropType> = { offset: 'object' };

export const WIDGETS: Readonly<Record<string, WidgetSpec>> = {
  trigger: {
    events: ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'],
    props: OFFSET,
  },
  'split-based-on': {
    events: ['noMatch', 'match'],
    required: ['input'],
    props: { ...OFFSET, input: 'string' },
  },
  'run-function': {
    events: ['success', 'fail'],
    required: ['url'],
    props: {
      ...OFFSET,
      url: 'string',
      service_sid: 'string',
      environment_sid: 'string',
      function_sid: 'string',
      parameters: 'key-value-array',
    },
  },
  'gather-input-on-call': {
    events: ['keypress', 'speech', 'timeout'],
    props: {
      ...OFFSET,
      say: 'string',
      play: 'string',
      voice: 'string',
      language: 'string',
      loop: 'integer',
      timeout: 'integer',
      finish_on_key: 'string',
      number_of_digits: 'integer',
      stop_gather: 'boolean',
      gather_language: 'string',
      speech_timeout: 'string',
      hints: 'string',
      speech_model: 'string',
      profanity_filter: 'string',
    },
  },
  'say-play': {
    events: ['audioComplete'],
    props: { ...OFFSET, say: 'string', play: 'string', digits: 'string', voice: 'string', language: 'string', loop: 'integer' },
    ranges: { loop: [1, 99] },
  },
  'connect-call-to': {
    events: ['callCompleted', 'hangup'],
    required: ['noun'],
    props: {
      ...OFFSET,
      noun: 'string',
      to: 'string',
      caller_id: 'string',
      record: 'boolean',
      timeout: 'integer',
      time_limit: 'string',
      sip_endpoint: 'string',
      sip_username: 'string',
      sip_password: 'string',
    },
  },
  'add-twiml-redirect': {
    events: ['return', 'timeout', 'fail'],
    required: ['url'],
    props: { ...OFFSET, url: 'string', method: 'string', timeout: 'string' },
  },
  'make-http-request': {
    events: ['success', 'failed'],
    required: ['method', 'url'],
    props: {
      ...OFFSET,
      method: 'string',
      url: 'string',
      content_type: 'string',
      body: 'string',
      parameters: 'key-value-array',
      add_twilio_auth: 'boolean',
    },
  },
  'set-variables': {
    events: ['next'],
    props: { ...OFFSET, variables: 'key-value-array' },
  },
  'send-message': {
    events: ['sent', 'failed'],
    required: ['body'],
    props: { ...OFFSET, body: 'string', from: 'string', to: 'string', service: 'string', channel: 'string', media_url: 'string' },
  },
  'record-voicemail': {
    events: ['recordingComplete', 'noAudio', 'hangup'],
    props: {
      ...OFFSET,
      timeout: 'integer',
      max_length: 'integer',
      finish_on_key: 'string',
      play_beep: 'string',
      trim: 'string',
      transcribe: 'boolean',
      transcription_callback_url: 'string',
      recording_status_callback_url: 'string',
    },
  },
};

const NOUNS = ['number', 'number-multi', 'client', 'sip', 'conference', 'sim'];
const TOP_LEVEL = ['$schema', 'description', 'states', 'initial_state', 'flags'];
const CONDITION_TYPES = [
  'equal_to', 'not_equal_to', 'matches_any_of', 'does_not_match_any_of', 'is_blank', 'is_not_blank',
  'regex', 'contains', 'does_not_contain', 'starts_with', 'does_not_start_with', 'less_than',
  'greater_than', 'is_before_time', 'is_after_time', 'is_before_date', 'is_after_date',
];

function typeName(v: unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'JSONArray';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Number';
  if (typeof v === 'object') return 'JSONObject';
  return typeof v === 'string' ? 'String' : 'Boolean';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function matchesType(value: unknown, type: PropType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
    case 'key-value-array':
      return Array.isArray(value);
  }
}

const EXPECTED: Record<PropType, string> = {
  string: 'String',
  integer: 'Integer',
  boolean: 'Boolean',
  object: 'JSONObject',
  array: 'JSONArray',
  'key-value-array': 'JSONArray',
};

export function validateFlowDefinition(definition: unknown): FlowCheck {
  const errors: FlowIssue[] = [];
  const warnings: FlowIssue[] = [];
  const err = (property_path: string, message: string) => errors.push({ message, property_path });
  const warn = (property_path: string, message: string) => warnings.push({ message, property_path });

  if (!isObject(definition)) {
    err('#', `expected type: JSONObject, found: ${typeName(definition)}`);
    return { errors, warnings };
  }
  for (const key of Object.keys(definition)) {
    if (!TOP_LEVEL.includes(key)) err('#', `extraneous key [${key}] is not permitted`);
  }
  if (definition.description !== undefined && typeof definition.description !== 'string') {
    err('#/description', `expected type: String, found: ${typeName(definition.description)}`);
  }
  if (definition.flags !== undefined) {
    if (!isObject(definition.flags)) err('#/flags', `expected type: JSONObject, found: ${typeName(definition.flags)}`);
    else if (typeof definition.flags.allow_concurrent_calls !== 'boolean') {
      err('#/flags', 'required key [allow_concurrent_calls] not found');
    }
  }
  if (typeof definition.initial_state !== 'string') {
    err('#', 'required key [initial_state] not found');
  }
  const states = definition.states;
  if (!Array.isArray(states)) {
    err('#', 'required key [states] not found');
    return { errors, warnings };
  }
  if (states.length < 1 || states.length > 1000) err('#/states', `expected 1 to 1000 states, found ${states.length}`);

  const names = new Set<string>();
  states.forEach((s, i) => {
    if (isObject(s) && typeof s.name === 'string') {
      if (names.has(s.name)) err(`#/states/${i}/name`, `duplicate state name [${s.name}]`);
      names.add(s.name);
    }
  });

  const triggers: number[] = [];
  states.forEach((state, i) => {
    const at = `#/states/${i}`;
    if (!isObject(state)) {
      err(at, `expected type: JSONObject, found: ${typeName(state)}`);
      return;
    }
    for (const key of ['name', 'type', 'transitions', 'properties']) {
      if (state[key] === undefined) err(at, `required key [${key}] not found`);
    }
    if (state.name !== undefined) {
      if (typeof state.name !== 'string') err(`${at}/name`, `expected type: String, found: ${typeName(state.name)}`);
      else if (!/^[A-Za-z0-9_]+$/.test(state.name)) {
        err(`${at}/name`, `string [${state.name}] does not match pattern ^[A-Za-z0-9_]+$`);
      }
    }
    const type = state.type;
    const spec = typeof type === 'string' ? WIDGETS[type] : undefined;
    if (type !== undefined && !spec) err(`${at}/type`, `unknown widget type [${String(type)}]`);
    if (type === 'trigger') triggers.push(i);

    // Transitions
    if (state.transitions !== undefined) {
      if (!Array.isArray(state.transitions)) {
        err(`${at}/transitions`, `expected type: JSONArray, found: ${typeName(state.transitions)}`);
      } else {
        state.transitions.forEach((t, j) => {
          const tat = `${at}/transitions/${j}`;
          if (!isObject(t)) {
            err(tat, `expected type: JSONObject, found: ${typeName(t)}`);
            return;
          }
          if (typeof t.event !== 'string') err(tat, 'required key [event] not found');
          else if (spec && !spec.events.includes(t.event)) {
            err(`${tat}/event`, `[${t.event}] is not a valid event for widget type ${String(type)}`);
          }
          if (t.next !== undefined && t.next !== null) {
            if (typeof t.next !== 'string') err(`${tat}/next`, `expected type: String, found: ${typeName(t.next)}`);
            else if (t.next !== '' && !names.has(t.next)) err(`${tat}/next`, `state [${t.next}] does not exist`);
          }
          if (t.conditions !== undefined) checkConditions(t.conditions, `${tat}/conditions`, err);
          if (t.event === 'match' && t.conditions === undefined) err(tat, 'required key [conditions] not found');
        });
      }
    }

    // Properties
    const props = state.properties;
    if (props === undefined) return;
    if (!isObject(props)) {
      err(`${at}/properties`, `expected type: JSONObject, found: ${typeName(props)}`);
      return;
    }
    if (!spec) return;
    for (const key of spec.required ?? []) {
      if (props[key] === undefined) err(`${at}/properties`, `required key [${key}] not found`);
    }
    for (const [key, value] of Object.entries(props)) {
      const pat = `${at}/properties/${key}`;
      const expected = spec.props[key];
      if (!expected) {
        warn(pat, `property [${key}] is not known for widget type ${String(type)}`);
        continue;
      }
      if (!matchesType(value, expected)) {
        err(pat, `expected type: ${EXPECTED[expected]}, found: ${typeName(value)}`);
        continue;
      }
      const range = spec.ranges?.[key];
      if (range && typeof value === 'number' && (value < range[0] || value > range[1])) {
        err(pat, `${value} is not between ${range[0]} and ${range[1]}`);
      }
      if (expected === 'key-value-array') checkKeyValues(value as unknown[], pat, err);
    }
    if (type === 'connect-call-to' && typeof props.noun === 'string' && !NOUNS.includes(props.noun)) {
      err(`${at}/properties/noun`, `[${props.noun}] is not a valid enum value`);
    }
    if (type === 'add-twiml-redirect' && typeof props.timeout === 'string') {
      const n = Number(props.timeout);
      if (!/^\d+$/.test(props.timeout) || n > 14400) err(`${at}/properties/timeout`, 'must be a string of 0 to 14400 seconds');
    }
  });

  if (triggers.length !== 1) err('#/states', `expected exactly one trigger widget, found ${triggers.length}`);
  if (typeof definition.initial_state === 'string' && !names.has(definition.initial_state)) {
    err('#/initial_state', `state [${definition.initial_state}] does not exist`);
  }
  return { errors, warnings };
}

function checkKeyValues(items: unknown[], at: string, err: (path: string, message: string) => void): void {
  items.forEach((item, k) => {
    const iat = `${at}/${k}`;
    if (!isObject(item)) {
      err(iat, `expected type: JSONObject, found: ${typeName(item)}`);
      return;
    }
    for (const key of ['key', 'value']) {
      if (item[key] === undefined) err(iat, `required key [${key}] not found`);
      else if (typeof item[key] !== 'string') err(`${iat}/${key}`, `expected type: String, found: ${typeName(item[key])}`);
    }
    for (const key of Object.keys(item)) {
      if (key !== 'key' && key !== 'value') err(iat, `extraneous key [${key}] is not permitted`);
    }
  });
}

function checkConditions(conditions: unknown, at: string, err: (path: string, message: string) => void): void {
  if (!Array.isArray(conditions)) {
    err(at, `expected type: JSONArray, found: ${typeName(conditions)}`);
    return;
  }
  conditions.forEach((c, k) => {
    const cat = `${at}/${k}`;
    if (!isObject(c)) {
      err(cat, `expected type: JSONObject, found: ${typeName(c)}`);
      return;
    }
    for (const key of ['friendly_name', 'arguments', 'type', 'value']) {
      if (c[key] === undefined) err(cat, `required key [${key}] not found`);
    }
    if (c.arguments !== undefined && !Array.isArray(c.arguments)) {
      err(`${cat}/arguments`, `expected type: JSONArray, found: ${typeName(c.arguments)}`);
    }
    if (c.value !== undefined && typeof c.value !== 'string') {
      err(`${cat}/value`, `expected type: String, found: ${typeName(c.value)}`);
    }
    if (typeof c.type === 'string' && !CONDITION_TYPES.includes(c.type)) {
      err(`${cat}/type`, `[${c.type}] is not a valid enum value`);
    }
  });
}
