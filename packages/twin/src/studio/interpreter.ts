// The Studio interpreter: a call whose voice URL is a flow's webhook URL runs the flow's latest
// published revision. Like Studio, it answers each webhook with TwiML: widgets that need the call
// (Say/Play, Gather, Connect Call To, TwiML Redirect) emit TwiML that ends by coming back to the
// webhook URL with ?FlowEvent=…; the others (Split, Set Variables, Run Function, HTTP Request) run
// in between. Run Function only stores the response (TwiML in it is not executed); a state with
// no next transition ends the execution, and the empty answer ends the call.
import { addStep, endExecution, newExecutionSid, startExecution } from '../records/executions.js';
import { ENDED_CALL_STATUSES, type ExecutionRecord, type FlowRecord, type TwinState } from '../state.js';
import type { Scheduler, Timer } from '../voice/clock.js';
import type { Params } from '../voice/signature.js';
import type { Transcript } from '../voice/transcript.js';
import type { InProcessRequest, WebhookResponse, Webhooks } from '../voice/webhooks.js';
import { conditionHolds } from './conditions.js';
import { render } from './liquid.js';

interface Transition {
  event: string;
  next?: string;
  conditions?: Array<{ friendly_name?: string; arguments?: string[]; type: string; value: string }>;
}

interface State {
  name: string;
  type: string;
  transitions: Transition[];
  properties: Record<string, unknown>;
}

interface Definition {
  initial_state: string;
  states: State[];
}

interface Execution {
  sid: string;
  flow: FlowRecord;
  revision: number;
  states: Map<string, State>;
  callSid: string | null;
  context: {
    trigger: { call: Params };
    widgets: Record<string, Record<string, unknown>>;
    flow: { flow_sid: string; sid: string; variables: Record<string, string>; channel: { address: string } };
    contact: { channel: { address: string } };
  };
  /** The call widget whose FlowEvent the next webhook brings. */
  waiting: State | undefined;
  /** A TwiML Redirect's timeout, cancelled when the execution ends. */
  timer?: Timer | undefined;
  ended: boolean;
  steps: number;
  /** The Execution resource the run is recorded in. */
  record: ExecutionRecord;
  /** When the widget now running was entered (virtual ms): its Step's date_created. */
  enteredAt: Map<string, number>;
}

const WEBHOOK_PATH = /^\/v1\/Accounts\/(AC[0-9a-fA-F]{32})\/Flows\/(FW[0-9a-fA-F]{32})\/?$/;
/** A flow that loops through non-call widgets this often is stopped. */
const MAX_STEPS = 1000;

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrs(map: Record<string, unknown>): string {
  return Object.entries(map)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}

function twiml(body: string): WebhookResponse {
  return { status: 200, contentType: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>` };
}

function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

export interface StudioOptions {
  state: TwinState;
  webhooks: Webhooks;
  transcript: Transcript;
  scheduler: Scheduler;
}

export class StudioInterpreter {
  private executions = new Map<string, Execution>();
  /** Widgets run so far (every one is also a transcript event). */
  steps = 0;

  private readonly off: () => void;

  constructor(private readonly o: StudioOptions) {
    // As on Studio, a call's execution ends with the call (a TwiML Redirect no longer waits for it).
    this.off = o.state.events.on('call.updated', ({ call, changed }) => {
      if (!changed.includes('status') || !ENDED_CALL_STATUSES.includes(call.json.status)) return;
      for (const exec of this.executions.values()) {
        if (exec.callSid === call.json.sid && !exec.ended) this.end(exec, `the call ended (${call.json.status})`);
      }
    });
  }

  close(): void {
    this.off();
  }

  reset(): void {
    this.executions.clear();
  }

  readonly handle = (req: InProcessRequest): Promise<WebhookResponse> | undefined => {
    if (req.url.hostname !== 'webhooks.twilio.com') return undefined;
    const m = WEBHOOK_PATH.exec(req.url.pathname);
    if (!m) return undefined;
    return this.webhook(m[1]!, m[2]!, req);
  };

  private async webhook(accountSid: string, flowSid: string, req: InProcessRequest): Promise<WebhookResponse> {
    const flow = this.o.state.flows.get(flowSid);
    if (!flow || accountSid !== this.o.state.accountSid) return { status: 404, contentType: 'application/json', body: '{"message":"Flow not found"}' };
    const params: Params = { ...Object.fromEntries(req.url.searchParams), ...req.params };
    const flowEvent = params.FlowEvent;
    const callSid = params.CallSid ?? null;
    const key = `${flowSid}:${callSid ?? ''}`;
    let exec = this.executions.get(key);

    if (!flowEvent) {
      if (exec && !exec.ended) return twiml(''); // a second trigger for a running call: nothing to do
      const revision = [...flow.revisions].reverse().find((r) => r.status === 'published');
      if (!revision) return { status: 404, contentType: 'application/json', body: '{"message":"The flow has no published revision"}' };
      const definition = revision.definition as Definition;
      const from = params.From ?? '';
      const sid = newExecutionSid();
      const context: Execution['context'] = {
        trigger: { call: params },
        widgets: {},
        flow: { flow_sid: flowSid, sid, variables: {}, channel: { address: from } },
        contact: { channel: { address: from } },
      };
      exec = {
        sid,
        flow,
        revision: revision.revision,
        states: new Map(definition.states.map((s) => [s.name, s])),
        callSid,
        context,
        waiting: undefined,
        ended: false,
        steps: 0,
        record: startExecution(this.o.state, flow, sid, from, context as unknown as Record<string, unknown>),
        enteredAt: new Map([[definition.initial_state, this.o.state.now().getTime()]]),
      };
      this.executions.set(key, exec);
      this.o.transcript.add(callSid, 'studio', `flow ${flow.json.friendly_name} (revision ${revision.revision}) started for ${from}`, {
        flowSid,
        execution: exec.sid,
        revision: revision.revision,
      });
      const trigger = exec.states.get(definition.initial_state);
      return twiml(await this.advance(exec, trigger ? this.follow(exec, trigger, 'incomingCall') : undefined));
    }

    if (!exec || exec.ended || !exec.waiting) return twiml('');
    const widget = exec.waiting;
    exec.waiting = undefined;
    const event = this.eventFor(exec, widget, flowEvent, params);
    this.o.transcript.add(callSid, 'studio', `${widget.name}: ${event}`, { widget: widget.name, event });
    return twiml(await this.advance(exec, this.follow(exec, widget, event)));
  }

  /** What a returning webhook means for the widget that emitted the TwiML, storing its outputs. */
  private eventFor(exec: Execution, widget: State, flowEvent: string, params: Params): string {
    const out: Record<string, unknown> = {};
    const w = exec.context.widgets;
    switch (widget.type) {
      case 'gather-input-on-call':
        if (flowEvent === 'keypress') {
          w[widget.name] = { Digits: params.Digits ?? '', FinishedOnKey: params.FinishedOnKey ?? '' };
          return 'keypress';
        }
        w[widget.name] = {};
        return 'timeout';
      case 'connect-call-to':
        for (const k of ['DialCallStatus', 'DialCallSid', 'DialCallDuration', 'DialBridged', 'CallStatus']) if (params[k] !== undefined) out[k] = params[k];
        w[widget.name] = out;
        return params.CallStatus === 'completed' ? 'hangup' : 'callCompleted';
      case 'add-twiml-redirect': {
        const { FlowEvent: _e, ...rest } = params;
        w[widget.name] = rest;
        return flowEvent === 'return' ? 'return' : 'fail';
      }
      default:
        return flowEvent;
    }
  }

  private next(state: State, event: string): string | undefined {
    const t = state.transitions.find((x) => x.event === event);
    return t?.next || undefined;
  }

  /** Leaves `state` on `event`: where the flow goes next. */
  private follow(exec: Execution, state: State, event: string): string | undefined {
    return this.leave(exec, state, event, this.next(state, event));
  }

  /**
   * Records the Step of a widget that ran (Twilio's Step: the widget left, the event it left on,
   * the widget entered next or "Ended", the type of the widget that ran, dated when it was entered).
   */
  private leave(exec: Execution, state: State, event: string, next: string | undefined): string | undefined {
    const entered = exec.enteredAt.get(state.name);
    addStep(this.o.state, exec.record, { name: event, from: state.name, to: next ?? 'Ended', type: state.type, enteredAt: entered });
    return next;
  }

  private end(exec: Execution, why: string): string {
    endExecution(this.o.state, exec.record);
    exec.ended = true;
    exec.waiting = undefined;
    exec.timer?.cancel();
    exec.timer = undefined;
    this.o.transcript.add(exec.callSid, 'studio', `flow ended: ${why}`, { execution: exec.sid, reason: why });
    return '';
  }

  private url(exec: Execution, flowEvent: string): string {
    const u = new URL(exec.flow.json.webhook_url);
    u.searchParams.set('FlowEvent', flowEvent);
    return u.toString();
  }

  /** Runs widgets from `name` until one needs the call (its TwiML is returned) or the flow ends. */
  private async advance(exec: Execution, name: string | undefined): Promise<string> {
    const t = this.o.transcript;
    for (;;) {
      if (!name) return this.end(exec, 'no next transition');
      const st = exec.states.get(name);
      if (!st) return this.end(exec, `no state named ${name}`);
      if (++exec.steps > MAX_STEPS) return this.end(exec, `more than ${MAX_STEPS} steps`);
      this.steps += 1;
      exec.enteredAt.set(st.name, this.o.state.now().getTime());
      t.add(exec.callSid, 'studio', `${st.name} (${st.type})`, { widget: st.name, type: st.type, execution: exec.sid });
      const p = st.properties ?? {};
      const r = (v: unknown) => render(v, exec.context);
      try {
        switch (st.type) {
          case 'trigger':
            name = this.follow(exec, st, 'incomingCall');
            break;
          case 'split-based-on':
            name = await this.split(exec, st);
            break;
          case 'set-variables': {
            for (const v of (p.variables as Array<{ key: string; value: unknown }> | undefined) ?? []) {
              exec.context.flow.variables[v.key] = await r(v.value);
            }
            name = this.follow(exec, st, 'next');
            break;
          }
          case 'run-function':
            name = this.follow(exec, st, await this.request(exec, st, 'function'));
            break;
          case 'make-http-request':
            name = this.follow(exec, st, await this.request(exec, st, 'http'));
            break;
          case 'say-play':
            exec.waiting = st;
            return (await this.sayOrPlay(p, r)) + `<Redirect method="POST">${xml(this.url(exec, 'audioComplete'))}</Redirect>`;
          case 'gather-input-on-call': {
            exec.waiting = st;
            const prompt = await this.sayOrPlay(p, r);
            const gather = attrs({
              action: this.url(exec, 'keypress'),
              method: 'POST',
              input: 'dtmf',
              timeout: p.timeout ?? 5,
              finishOnKey: p.finish_on_key ?? '#',
              numDigits: p.number_of_digits,
            });
            return `<Gather${gather}>${prompt}</Gather><Redirect method="POST">${xml(this.url(exec, 'timeout'))}</Redirect>`;
          }
          case 'connect-call-to':
            exec.waiting = st;
            return await this.connect(exec, p, r);
          case 'add-twiml-redirect': {
            exec.waiting = st;
            const timeout = Number(p.timeout ?? '14400');
            if (timeout > 0) {
              exec.timer?.cancel();
              exec.timer = this.o.scheduler.after(timeout, () => {
                if (exec.waiting !== st || exec.ended) return;
                void this.o.scheduler.inflight.track(this.redirectTimedOut(exec, st, timeout));
              });
            }
            return `<Redirect${attrs({ method: String(p.method ?? 'POST').toUpperCase() })}>${xml(await r(p.url))}</Redirect>`;
          }
          default:
            t.add(exec.callSid, 'error', `the twin's Studio does not run ${st.type} widgets (${st.name})`, { widget: st.name });
            return this.end(exec, `unsupported widget ${st.type}`);
        }
      } catch (e) {
        t.add(exec.callSid, 'error', `Studio widget ${st.name} failed: ${(e as Error).message}`, { widget: st.name });
        return this.end(exec, `error in ${st.name}`);
      }
    }
  }

  /**
   * A TwiML Redirect's timeout passed with no return: the flow follows the widget's `timeout`
   * transition. Widgets that need no call run at once; one that needs the call takes it back from
   * the TwiML it was redirected to (its TwiML replaces the call's, as a REST redirect would). With
   * no `timeout` transition the execution ends and the call goes on with the TwiML it has.
   */
  private async redirectTimedOut(exec: Execution, st: State, timeout: number): Promise<void> {
    exec.waiting = undefined;
    exec.timer = undefined;
    exec.context.widgets[st.name] = {};
    this.o.transcript.add(exec.callSid, 'studio', `${st.name}: timeout (no return within ${timeout}s)`, { widget: st.name, event: 'timeout' });
    const body = await this.advance(exec, this.follow(exec, st, 'timeout'));
    const call = exec.callSid ? this.o.state.calls.get(exec.callSid) : undefined;
    if (!body || exec.ended || !call || ENDED_CALL_STATUSES.includes(call.json.status)) return;
    call.instructions.twiml = `<Response>${body}</Response>`;
    call.instructions.url = undefined;
    this.o.state.events.emit('call.updated', { call, changed: ['twiml'] });
  }

  private async split(exec: Execution, st: State): Promise<string | undefined> {
    const input = await render(st.properties.input, exec.context);
    for (const tr of st.transitions) {
      if (tr.event !== 'match' || !tr.conditions?.length) continue;
      let all = true;
      for (const c of tr.conditions) {
        if (!conditionHolds(c.type, input, await render(c.value, exec.context))) {
          all = false;
          break;
        }
      }
      if (all) return this.leave(exec, st, 'match', tr.next || undefined);
    }
    return this.follow(exec, st, 'noMatch');
  }

  private async sayOrPlay(p: Record<string, unknown>, r: (v: unknown) => Promise<string>): Promise<string> {
    const loop = p.loop === undefined ? undefined : Number(p.loop);
    if (p.say !== undefined && p.say !== '') return `<Say${attrs({ voice: p.voice, language: p.language, loop })}>${xml(await r(p.say))}</Say>`;
    if (p.play !== undefined && p.play !== '') return `<Play${attrs({ loop })}>${xml(await r(p.play))}</Play>`;
    if (p.digits !== undefined && p.digits !== '') return `<Play${attrs({ digits: await r(p.digits) })}/>`;
    return '';
  }

  private async connect(exec: Execution, p: Record<string, unknown>, r: (v: unknown) => Promise<string>): Promise<string> {
    const to = await r(p.to);
    const dial = attrs({
      action: this.url(exec, 'callCompleted'),
      method: 'POST',
      timeout: p.timeout,
      callerId: await r(p.caller_id),
      timeLimit: p.time_limit,
      record: bool(p.record) ? 'record-from-answer' : undefined,
    });
    const noun = String(p.noun ?? 'number');
    let inner: string;
    if (noun === 'sip') inner = `<Sip${attrs({ username: p.sip_username, password: p.sip_password })}>${xml(to || (await r(p.sip_endpoint)))}</Sip>`;
    else if (noun === 'client') inner = `<Client>${xml(to)}</Client>`;
    else if (noun === 'conference') inner = `<Conference>${xml(to)}</Conference>`;
    else inner = to.split(',').map((n) => `<Number>${xml(n.trim())}</Number>`).join('');
    return `<Dial${dial}>${inner}</Dial>`;
  }

  /** Run Function and Make HTTP Request: success/fail (failed), storing status_code, body, parsed. */
  private async request(exec: Execution, st: State, kind: 'function' | 'http'): Promise<string> {
    const p = st.properties;
    const r = (v: unknown) => render(v, exec.context);
    const url = await r(p.url);
    const params: Params = {};
    for (const x of (p.parameters as Array<{ key: string; value: unknown }> | undefined) ?? []) params[x.key] = await r(x.value);
    const method = kind === 'function' ? 'POST' : String(p.method ?? 'POST').toUpperCase();
    const json = kind === 'http' && String(p.content_type ?? '').startsWith('application/json');
    const res = await this.o.webhooks.send({
      url,
      method,
      params: json ? {} : params,
      ...(json ? { body: await r(p.body), headers: { 'Content-Type': 'application/json' } } : {}),
      unsigned: kind === 'http' && !bool(p.add_twilio_auth),
      callSid: exec.callSid,
    });
    const output: Record<string, unknown> = { status_code: res.status, content_type: res.contentType, body: res.body };
    if (/json/i.test(res.contentType)) {
      try {
        output.parsed = JSON.parse(res.body);
      } catch {
        // not JSON after all: .parsed stays unset
      }
    }
    exec.context.widgets[st.name] = output;
    const ok = res.status >= 200 && res.status < 400;
    if (!ok) {
      this.o.transcript.add(exec.callSid, 'error', `${kind === 'function' ? '81017 ' : ''}${st.name}: ${url} answered ${res.status || res.networkError}`, {
        ...(kind === 'function' ? { code: 81017 } : {}),
        widget: st.name,
        url,
        method,
        // The flow raised it: its alert's service_sid.
        serviceSid: exec.flow.json.sid,
      });
    }
    return ok ? 'success' : kind === 'function' ? 'fail' : 'failed';
  }
}
