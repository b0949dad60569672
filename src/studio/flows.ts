// The two Studio flows homephone deploys. Routing that the owner may want to see and edit in the
// console stays in widgets (the owner's menu, the monitor-code tries); decisions that need data or
// secrets (whitelist, bedtime, the code's hash, the rooms in progress) are Functions. Everyone but
// the owner is handed to ONE Function by a TwiML Redirect (a Run Function widget cannot execute
// TwiML), so a whitelisted caller reaches the ringing phone through a single invocation.
import { gatherInput, runFunction, sayPlay, setVariables, splitOn, trigger, twimlRedirect, type FlowDefinition } from './widgets.js';

export type FlowKey = 'incoming' | 'outbound';

export interface FlowInputs {
  /** https://<service domain>: where the Functions are served. */
  functionsBase: string;
  /** Said when a Function cannot be reached. */
  unavailableMessage: string;
  /** The owner's cell (E.164): calls from it get the owner's menu. */
  ownerCell: string;
}

/** Wrong monitor codes allowed before the call ends (the lockout across calls is /check-code's). */
export const MONITOR_CODE_TRIES = 3;

/** Said when too many wrong codes in a row, over any number of calls, locked monitoring. */
export const LOCKED_MESSAGE = 'Listening in is locked after too many wrong codes. Please try again later. Goodbye.';

const CONCURRENT = { allow_concurrent_calls: true } as const;

/**
 * Calls to the home number. The owner's cell gets the menu (join or listen to the call in
 * progress, after the monitor code); everyone else goes to the `incoming` Function, which decides.
 */
export function incomingFlow(inputs: FlowInputs): FlowDefinition {
  const f = inputs.functionsBase;
  const col = (x: number, y: number) => ({ x: x * 300, y: y * 200 });
  return {
    description: 'homephone: calls to the home number',
    initial_state: 'Trigger',
    flags: CONCURRENT,
    states: [
      trigger({ next: { incomingCall: 'is_owner' } }),
      splitOn({
        name: 'is_owner',
        input: '{{trigger.call.From}}',
        cases: [{ label: "the owner's cell", type: 'equal_to', value: inputs.ownerCell, next: 'find_calls' }],
        noMatch: 'screen',
        offset: col(0, 1),
      }),
      // Everyone else: whitelist, bedtime and ringing the phone are the Function's decision.
      twimlRedirect({ name: 'screen', url: `${f}/incoming`, next: { fail: 'unavailable' }, offset: col(0, 2) }),
      sayPlay({ name: 'unavailable', say: inputs.unavailableMessage, offset: col(0, 3) }),
      // The owner: a call in progress asks for the monitor code first (caller ID can be forged,
      // so nothing about the call is said before it); none connects to the home phone.
      runFunction({ name: 'find_calls', url: `${f}/calls-in-progress`, next: { success: 'any_calls', fail: 'connect_home' }, offset: col(1, 2) }),
      splitOn({
        name: 'any_calls',
        input: '{{widgets.find_calls.parsed.count}}',
        cases: [{ label: 'a call in progress', type: 'greater_than', value: '0', next: 'ask_code' }],
        noMatch: 'connect_home',
        offset: col(1, 3),
      }),
      twimlRedirect({ name: 'connect_home', url: `${f}/incoming`, next: { fail: 'unavailable' }, offset: col(1, 4) }),
      gatherInput({
        name: 'ask_code',
        say: 'Enter your monitor code, then press the pound key.',
        finishOnKey: '#',
        timeout: 8,
        next: { keypress: 'count_try', timeout: 'count_try' },
        offset: col(2, 4),
      }),
      setVariables({ name: 'count_try', variables: [{ key: 'tries', value: '{{flow.variables.tries | plus: 1}}' }], next: 'check_code', offset: col(2, 5) }),
      // The code is checked under a lockout kept on Twilio (a Sync Document), across calls.
      runFunction({
        name: 'check_code',
        url: `${f}/check-code`,
        parameters: [
          { key: 'code', value: '{{widgets.ask_code.Digits}}' },
          { key: 'room', value: '{{widgets.find_calls.parsed.room}}' },
          { key: 'call_sid', value: '{{trigger.call.CallSid}}' },
        ],
        next: { success: 'code_result', fail: 'unavailable' },
        offset: col(2, 6),
      }),
      splitOn({
        name: 'code_result',
        input: '{{widgets.check_code.parsed.status}}',
        cases: [
          { label: 'code accepted', type: 'equal_to', value: 'ok', next: 'owner_menu' },
          { label: 'monitoring locked', type: 'equal_to', value: 'locked', next: 'locked' },
        ],
        noMatch: 'tries_left',
        offset: col(2, 7),
      }),
      splitOn({
        name: 'tries_left',
        input: '{{flow.variables.tries}}',
        cases: [{ label: `fewer than ${MONITOR_CODE_TRIES} tries`, type: 'less_than', value: String(MONITOR_CODE_TRIES), next: 'wrong_code' }],
        noMatch: 'locked_out',
        offset: col(3, 7),
      }),
      sayPlay({ name: 'wrong_code', say: 'That code is not right.', next: 'ask_code', offset: col(3, 6) }),
      sayPlay({ name: 'locked_out', say: 'That code is not right, and there are no tries left. Goodbye.', offset: col(4, 7) }),
      sayPlay({ name: 'locked', say: LOCKED_MESSAGE, offset: col(4, 8) }),
      gatherInput({
        name: 'owner_menu',
        say: '{{widgets.check_code.parsed.summary}} Press 1 to join it, or 8 to listen silently.',
        numberOfDigits: 1,
        timeout: 5,
        loop: 2,
        next: { keypress: 'menu_choice', timeout: 'goodbye' },
        offset: col(2, 8),
      }),
      splitOn({
        name: 'menu_choice',
        input: '{{widgets.owner_menu.Digits}}',
        cases: [
          { label: '1: join', type: 'equal_to', value: '1', next: 'mode_join' },
          { label: '8: listen silently', type: 'equal_to', value: '8', next: 'mode_listen' },
        ],
        noMatch: 'goodbye',
        offset: col(2, 9),
      }),
      setVariables({ name: 'mode_join', variables: [{ key: 'mode', value: 'join' }], next: 'enter_room', offset: col(2, 10) }),
      setVariables({ name: 'mode_listen', variables: [{ key: 'mode', value: 'listen' }], next: 'enter_room', offset: col(3, 10) }),
      twimlRedirect({
        name: 'enter_room',
        url: `${f}/monitor?mode={{flow.variables.mode}}&room={{widgets.find_calls.parsed.room}}&token={{widgets.check_code.parsed.token}}`,
        next: { fail: 'unavailable' },
        offset: col(2, 11),
      }),
      sayPlay({ name: 'goodbye', say: 'Goodbye.', offset: col(3, 9) }),
    ],
  };
}

/** Calls from the SIP phone: the `outbound` Function decides (emergency, whitelist, owner). */
export function outboundFlow(inputs: FlowInputs): FlowDefinition {
  return {
    description: 'homephone: calls from the SIP phone',
    initial_state: 'Trigger',
    flags: CONCURRENT,
    states: [
      trigger({ next: { incomingCall: 'outbound' } }),
      twimlRedirect({ name: 'outbound', url: `${inputs.functionsBase}/outbound`, next: { fail: 'unavailable' }, offset: { x: 0, y: 200 } }),
      sayPlay({ name: 'unavailable', say: inputs.unavailableMessage, offset: { x: 0, y: 400 } }),
    ],
  };
}

export const FLOWS: ReadonlyArray<{ key: FlowKey; friendlyName: string; build: (inputs: FlowInputs) => FlowDefinition }> = [
  { key: 'incoming', friendlyName: 'homephone incoming', build: incomingFlow },
  { key: 'outbound', friendlyName: 'homephone outbound', build: outboundFlow },
];
