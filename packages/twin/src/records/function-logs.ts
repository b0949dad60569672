// Serverless Logs: each console line a deployed Function writes is a Log of its environment, as
// Twilio's Logs resource shows it. One invocation's lines share a request SID (RQ…); a Log names
// the Function, the build and the deployment that ran, never the call (Functions know no call).
import { iso8601 } from '../clock.js';
import { newSid, SidPrefix } from '../sids.js';
import type { EnvironmentRecord, FunctionLogRecord, ServiceRecord, TwinState } from '../state.js';
import { expire } from './window.js';

export type ConsoleLevel = 'info' | 'debug' | 'warn' | 'error';

/** console.log/info (and debug, unconfirmed) are INFO; warn is WARN; error is ERROR. */
const LEVELS: Record<ConsoleLevel, FunctionLogRecord['json']['level']> = { info: 'INFO', debug: 'INFO', warn: 'WARN', error: 'ERROR' };

export interface LogOrigin {
  service: ServiceRecord;
  environment: EnvironmentRecord;
  buildSid: string;
  functionSid: string;
  requestSid: string;
}

/** A new request SID: one per Function invocation. */
export const newRequestSid = (): string => newSid(SidPrefix.request);

export function recordFunctionLog(state: TwinState, origin: LogOrigin, level: ConsoleLevel, message: string): FunctionLogRecord {
  const now = state.now();
  const env = origin.environment;
  const deployment = [...env.deployments.values()].reverse().find((d) => d.json.build_sid === origin.buildSid);
  const sid = newSid(SidPrefix.functionLog);
  const record: FunctionLogRecord = {
    json: {
      sid,
      account_sid: state.accountSid,
      service_sid: origin.service.json.sid,
      environment_sid: env.json.sid,
      build_sid: origin.buildSid,
      deployment_sid: deployment?.json.sid ?? null,
      function_sid: origin.functionSid,
      request_sid: origin.requestSid,
      level: LEVELS[level],
      message,
      date_created: iso8601(now),
      url: `${String(env.json.url)}/Logs/${sid}`,
    },
    atMs: now.getTime(),
  };
  expire(env.logs, now.getTime()).push(record);
  return record;
}
