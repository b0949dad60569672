// studio.twilio.com/v2 Executions, their Steps and Contexts, as the Studio interpreter recorded
// them (records/executions.ts). Executions list newest first, with DateCreatedFrom (on or after)
// and DateCreatedTo (before); Steps list in the order they were taken.
import { notFound } from '../errors.js';
import { pageV1 } from '../paging.js';
import { dateParam, expireMap } from '../records/window.js';
import type { RestRequest, Router } from '../router.js';
import type { ExecutionRecord, FlowRecord, TwinState } from '../state.js';
import { ok } from './respond.js';

const X = '/v2/Flows/{FlowSid}/Executions';

export function registerStudioExecutions(router: Router, state: TwinState): void {
  const flow = (req: RestRequest): FlowRecord => {
    const f = state.flows.get(req.params.FlowSid ?? '');
    if (!f) throw notFound(req.path);
    expireMap(f.executions, state.now().getTime());
    return f;
  };
  const execution = (req: RestRequest, key: 'Sid' | 'ExecutionSid'): ExecutionRecord => {
    const e = flow(req).executions.get(req.params[key] ?? '');
    if (!e) throw notFound(req.path);
    return e;
  };
  const step = (req: RestRequest, key: 'Sid' | 'StepSid') => {
    const s = execution(req, 'ExecutionSid').steps.find((x) => x.json.sid === req.params[key]);
    if (!s) throw notFound(req.path);
    return s;
  };

  router.add('studio', 'GET', X, (req) => {
    const f = flow(req);
    const from = dateParam(req.query, 'DateCreatedFrom');
    const to = dateParam(req.query, 'DateCreatedTo');
    const list = [...f.executions.values()].filter((e) => (from === undefined || e.atMs >= from) && (to === undefined || e.atMs < to)).reverse();
    return ok(pageV1(req, 'executions', list.map((e) => e.json)));
  });
  router.add('studio', 'GET', `${X}/{Sid}`, (req) => ok(execution(req, 'Sid').json));
  router.add('studio', 'GET', `${X}/{ExecutionSid}/Context`, (req) => {
    const e = execution(req, 'ExecutionSid');
    return ok({ account_sid: e.json.account_sid, context: e.context, flow_sid: e.json.flow_sid, execution_sid: e.json.sid, url: `${e.json.url}/Context` });
  });
  router.add('studio', 'GET', `${X}/{ExecutionSid}/Steps`, (req) => ok(pageV1(req, 'steps', execution(req, 'ExecutionSid').steps.map((s) => s.json))));
  router.add('studio', 'GET', `${X}/{ExecutionSid}/Steps/{Sid}`, (req) => ok(step(req, 'Sid').json));
  router.add('studio', 'GET', `${X}/{ExecutionSid}/Steps/{StepSid}/Context`, (req) => {
    const s = step(req, 'StepSid');
    return ok({
      account_sid: s.json.account_sid,
      context: s.context,
      execution_sid: s.json.execution_sid,
      flow_sid: s.json.flow_sid,
      step_sid: s.json.sid,
      url: `${s.json.url}/Context`,
    });
  });
}
