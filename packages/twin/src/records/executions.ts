// Studio Executions and their Steps, as the Studio interpreter runs a flow for a call: one
// Execution per run, one Step per widget that ran (the widget, the event it left on, the widget
// entered next or "Ended", its type), and the context as it was when the widget was left.
import { iso8601 } from '../clock.js';
import { newSid, SidPrefix } from '../sids.js';
import type { ExecutionRecord, ExecutionStepRecord, FlowRecord, TwinState } from '../state.js';
import { expireMap } from './window.js';

export const STUDIO = 'https://studio.twilio.com/v2';

/** What a step records: Twilio's Step fields. */
export interface StepInput {
  /** The event the widget was left on (incomingCall, keypress, success, match…). */
  name: string;
  /** The widget that ran. */
  from: string;
  /** The widget entered next, or "Ended". */
  to: string;
  /** The type of the widget that ran (the one left). */
  type: string;
  /** When that widget was entered (virtual ms): the Step's date_created. Default now. */
  enteredAt?: number | undefined;
}

/** A snapshot of a context (it goes on changing as the flow runs). */
const snapshot = (context: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(context)) as Record<string, unknown>;

export function startExecution(state: TwinState, flow: FlowRecord, sid: string, address: string, context: Record<string, unknown>): ExecutionRecord {
  const now = state.now();
  const url = `${STUDIO}/Flows/${flow.json.sid}/Executions/${sid}`;
  const record: ExecutionRecord = {
    json: {
      sid,
      account_sid: state.accountSid,
      flow_sid: flow.json.sid,
      contact_channel_address: address,
      // The resource shows an empty context; the Context sub-resource has the execution's state.
      context: {},
      status: 'active',
      date_created: iso8601(now),
      date_updated: iso8601(now),
      url,
      links: { steps: `${url}/Steps`, execution_context: `${url}/Context` },
    },
    context,
    steps: [],
    atMs: now.getTime(),
  };
  expireMap(flow.executions, now.getTime()).set(sid, record);
  return record;
}

export function addStep(state: TwinState, exec: ExecutionRecord, step: StepInput): ExecutionStepRecord {
  const stamp = iso8601(step.enteredAt === undefined ? state.now() : new Date(step.enteredAt));
  const now = iso8601(state.now());
  const sid = newSid(SidPrefix.step);
  const url = `${exec.json.url}/Steps/${sid}`;
  const record: ExecutionStepRecord = {
    json: {
      sid,
      account_sid: state.accountSid,
      flow_sid: exec.json.flow_sid,
      execution_sid: exec.json.sid,
      parent_step_sid: null,
      name: step.name,
      context: {},
      transitioned_from: step.from,
      transitioned_to: step.to,
      type: step.type,
      date_created: stamp,
      date_updated: now,
      url,
      links: { step_context: `${url}/Context` },
    },
    context: snapshot(exec.context),
  };
  exec.steps.push(record);
  exec.json.date_updated = now;
  return record;
}

export function endExecution(state: TwinState, exec: ExecutionRecord): void {
  if (exec.json.status === 'ended') return;
  exec.json.status = 'ended';
  exec.json.date_updated = iso8601(state.now());
}

export const newExecutionSid = (): string => newSid(SidPrefix.execution);
