// The two Studio flows homephone deploys. Minimal on purpose: each hands the call to its Function
// with a TwiML Redirect (a Run Function widget cannot execute TwiML), and says a message if that
// fails. The call logic lives in the Functions; richer flows change only this file.
import { sayPlay, trigger, twimlRedirect, type FlowDefinition } from './widgets.js';

export type FlowKey = 'incoming' | 'outbound';

export interface FlowInputs {
  /** https://<service domain>: where the Functions are served. */
  functionsBase: string;
  /** Said when the Function cannot be reached. */
  unavailableMessage: string;
}

const CONCURRENT = { allow_concurrent_calls: true } as const;

/** Calls to the home number: the `incoming` Function decides (whitelist, owner, bedtime). */
export function incomingFlow(inputs: FlowInputs): FlowDefinition {
  return {
    description: 'homephone: calls to the home number',
    initial_state: 'Trigger',
    flags: CONCURRENT,
    states: [
      trigger({ next: { incomingCall: 'incoming' } }),
      twimlRedirect({ name: 'incoming', url: `${inputs.functionsBase}/incoming`, next: { fail: 'unavailable' }, offset: { x: 0, y: 200 } }),
      sayPlay({ name: 'unavailable', say: inputs.unavailableMessage, offset: { x: 0, y: 400 } }),
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
