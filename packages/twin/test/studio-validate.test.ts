// The Studio definition checks, directly (the REST path is covered in sdk-flow.test.ts).
import { describe, expect, it } from 'vitest';
import { validateFlowDefinition } from '../src/studio-validate.js';
import { VALID_FLOW } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const flow = (): any => structuredClone(VALID_FLOW);
const paths = (def: unknown) => validateFlowDefinition(def).errors.map((e) => e.property_path);

describe('validateFlowDefinition', () => {
  it('accepts the exported form of the widgets homephone uses', () => {
    expect(validateFlowDefinition(VALID_FLOW)).toEqual({ errors: [], warnings: [] });
  });

  it('rejects unknown widget types and events', () => {
    const def = flow();
    def.states[1].type = 'run-lambda';
    def.states[4].transitions[0].event = 'fail';
    expect(paths(def)).toEqual(['#/states/1/type', '#/states/4/transitions/0/event']);
  });

  it('requires the widgets’ required properties', () => {
    const def = flow();
    delete def.states[1].properties.url;
    const { errors } = validateFlowDefinition(def);
    expect(errors).toEqual([{ property_path: '#/states/1/properties', message: 'required key [url] not found' }]);
  });

  it('insists on strings where Studio does, and on integers elsewhere', () => {
    const def = flow();
    def.states[3].properties.timeout = 30;
    def.states[4].properties.loop = '1';
    def.states.push({
      name: 'call', type: 'connect-call-to', transitions: [{ event: 'callCompleted' }],
      properties: { noun: 'number', to: '+15551234567', time_limit: 14400, record: 'false' },
    });
    expect(validateFlowDefinition(def).errors).toEqual([
      { property_path: '#/states/3/properties/timeout', message: 'expected type: String, found: Integer' },
      { property_path: '#/states/4/properties/loop', message: 'expected type: Integer, found: String' },
      { property_path: '#/states/5/properties/time_limit', message: 'expected type: String, found: Integer' },
      { property_path: '#/states/5/properties/record', message: 'expected type: Boolean, found: String' },
    ]);
  });

  it('checks transitions point at existing states and there is exactly one trigger', () => {
    const def = flow();
    def.states[2].transitions[1].next = 'missing';
    def.states.push({ ...def.states[0], name: 'Trigger2' });
    expect(paths(def)).toEqual(['#/states/2/transitions/1/next', '#/states']);
    const noTrigger = flow();
    noTrigger.states.shift();
    noTrigger.initial_state = 'check';
    expect(paths(noTrigger)).toEqual(['#/states']);
  });

  it('checks set-variables items and the definition’s own keys', () => {
    const def = flow();
    def.states.push({
      name: 'vars', type: 'set-variables', transitions: [{ event: 'next' }],
      properties: { variables: [{ key: 'a', value: 'b', type: 'string' }] },
    });
    def.flags = {};
    def.extra = 1;
    expect(paths(def)).toEqual(['#', '#/flags', '#/states/5/properties/variables/0']);
  });

  it('warns, without failing, about properties it does not know', () => {
    const def = flow();
    def.states[4].properties.future_option = 'x';
    expect(validateFlowDefinition(def)).toEqual({
      errors: [],
      warnings: [{ property_path: '#/states/4/properties/future_option', message: 'property [future_option] is not known for widget type say-play' }],
    });
  });
});
