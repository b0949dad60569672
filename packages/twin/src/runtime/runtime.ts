// The Functions runtime: requests to a deployed environment's domain run the deployed build like
// Twilio does. Functions get (context, event, callback); protected ones demand a valid signature
// (the Functions Gateway answers 400 otherwise); private ones are reachable only through
// Runtime.getFunctions(). A Function that throws answers 500 and one that never calls back answers
// 504 after 10 s of virtual time (both 82002, a 5xx response), which pass only once everything else
// has settled; console.error logs 82005. Public and protected assets are served as uploaded.
import { format } from 'node:util';
import twilio from 'twilio';
import type { ClientFactory } from '../client.js';
import { findVersion } from '../model/serverless.js';
import { newRequestSid, recordFunctionLog, type ConsoleLevel, type LogOrigin } from '../records/function-logs.js';
import type { EnvironmentRecord, ServiceRecord, TwinState, VersionRecord } from '../state.js';
import type { Scheduler } from '../voice/clock.js';
import type { Inflight } from '../voice/inflight.js';
import { validate } from '../voice/signature.js';
import type { Transcript } from '../voice/transcript.js';
import type { InProcessRequest, WebhookResponse } from '../voice/webhooks.js';
import { InvocationScope } from './invocation-scope.js';
import { TwilioResponse, toHttp } from './response.js';
import { Sandbox, type RuntimeGlobals } from './sandbox.js';

/** Twilio stops a Function after 10 s. */
export const FUNCTION_TIMEOUT_SECONDS = 10;

export interface RuntimeOptions {
  state: TwinState;
  scheduler: Scheduler;
  inflight: Inflight;
  transcript: Transcript;
  /** The twin's REST base URL, for context.getTwilioClient(). */
  twinUrl: () => string;
  /** Makes the client context.getTwilioClient() returns. */
  clientFactory: ClientFactory;
}

interface Target {
  service: ServiceRecord;
  environment: EnvironmentRecord;
  buildSid: string;
  version: VersionRecord | undefined;
}

/** The invocation a Function's code runs for: its call, and where its Logs go. */
interface Invocation {
  callSid: string | null;
  path: string;
  /** https://DOMAIN/PATH, as Twilio names it in an alert. */
  url: string;
  method: string;
  origin: LogOrigin;
}

function answer(status: number, body: string, contentType = 'application/json'): WebhookResponse {
  return { status, contentType, body };
}

/** A Date whose "now" is the twin's virtual clock. */
function virtualDate(now: () => number): DateConstructor {
  class VirtualDate extends Date {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }

    static override now(): number {
      return now();
    }
  }
  return VirtualDate as unknown as DateConstructor;
}

export class FunctionsRuntime {
  private sandboxes = new Map<string, Sandbox>();
  /** The invocation a Function's code runs for, so its console output lands on the right call. */
  private readonly invocation = new InvocationScope<Invocation>();
  /** Function invocations so far (every one is also a transcript event). */
  invocations = 0;

  constructor(private readonly o: RuntimeOptions) {}

  /** In-process handler for the webhook dispatcher: answers requests to deployed domains. */
  readonly handle = (req: InProcessRequest): Promise<WebhookResponse> | undefined => {
    const target = this.find(req.url.hostname, decodeURIComponent(req.url.pathname));
    if (!target) return undefined;
    return this.serve(target, req);
  };

  private find(host: string, path: string): Target | undefined {
    const h = host.toLowerCase();
    for (const service of this.o.state.services.values()) {
      for (const environment of service.environments.values()) {
        if (environment.json.domain_name.toLowerCase() !== h) continue;
        const buildSid = environment.json.build_sid ?? '';
        const build = service.builds.get(buildSid);
        const sids = build ? [...build.functionVersionSids, ...build.assetVersionSids] : [];
        const version = sids.map((sid) => findVersion(service, sid)).find((v) => v?.json.path === path);
        return { service, environment, buildSid, version };
      }
    }
    return undefined;
  }

  private sandbox(t: Target): Sandbox {
    let box = this.sandboxes.get(t.buildSid);
    if (box) return box;
    const build = t.service.builds.get(t.buildSid)!;
    const versions = [...build.functionVersionSids, ...build.assetVersionSids]
      .map((sid) => findVersion(t.service, sid))
      .filter((v): v is VersionRecord => !!v);
    // One set of globals per build: every module must share one Date (instanceof across files).
    let globals: RuntimeGlobals | undefined;
    box = new Sandbox(t.buildSid, versions, () => (globals ??= this.globals(box!)));
    this.sandboxes.set(t.buildSid, box);
    return box;
  }

  private globals(box: Sandbox): RuntimeGlobals {
    const functions: Record<string, { path: string }> = {};
    const assets: Record<string, { path: string; open(): string }> = {};
    for (const [path, { version, file }] of box.files) {
      if (version.kind === 'function') functions[path.replace(/^\/+/, '')] = { path: file };
      else assets[path] = { path: file, open: () => version.content.toString('utf8') };
    }
    const Runtime = {
      getFunctions: () => functions,
      getAssets: () => assets,
      getSync: () => {
        throw new Error('Runtime.getSync() is not available in the twin');
      },
    };
    const Twilio = Object.assign((...args: Parameters<typeof twilio>) => twilio(...args), twilio, { Response: TwilioResponse });
    // A Function's logs (Twilio shows them in the console) become transcript events of its call.
    const log =
      (level: ConsoleLevel) =>
      (...args: unknown[]) => {
        const at = this.invocation.current();
        const message = format(...args);
        if (at) recordFunctionLog(this.o.state, at.origin, level, message);
        const where = at ? { serviceSid: at.origin.service.json.sid, url: at.url, method: at.method } : {};
        this.o.transcript.add(at?.callSid ?? null, 'log', message, { level, path: at?.path ?? null, ...where });
        // Twilio's debugger records an error logged by a Function as 82005.
        if (level === 'error') {
          this.o.transcript.add(at?.callSid ?? null, 'error', `82005 Function ${at?.path ?? ''} logged an error: ${message}`, { code: 82005, path: at?.path ?? null, ...where });
        }
      };
    const console = { log: log('info'), info: log('info'), debug: log('debug'), warn: log('warn'), error: log('error') };
    return { Runtime, Twilio, Date: virtualDate(() => this.o.scheduler.clock.nowMs()), console };
  }

  private async serve(t: Target, req: InProcessRequest): Promise<WebhookResponse> {
    const v = t.version;
    if (!v || v.json.visibility === 'private') return answer(404, JSON.stringify({ message: 'Not Found', status: 404 }));
    if (v.json.visibility === 'protected') {
      const signature = req.headers['x-twilio-signature'] ?? '';
      const params = req.method === 'GET' || req.body !== undefined ? {} : req.params;
      if (!validate(this.o.state.credentials.authToken, signature, req.originalUrl, params)) {
        // "If the request or the Twilio Signature are invalid, the request is rejected with an HTTP 400
        // response" (Twilio docs, Function Request Flow).
        return answer(400, JSON.stringify({ message: 'Bad Request - the X-Twilio-Signature of this request is missing or invalid', status: 400 }));
      }
    }
    if (v.kind === 'asset') return { status: 200, contentType: v.contentType, body: v.content.toString('utf8'), raw: v.content };
    return this.invoke(t, v, req);
  }

  private invoke(t: Target, v: VersionRecord, req: InProcessRequest): Promise<WebhookResponse> {
    this.invocations += 1;
    const callSid = req.callSid;
    const transcript = this.o.transcript;
    transcript.add(callSid, 'function', `${t.environment.json.domain_name}${v.json.path} (${v.json.visibility})`, {
      domain: t.environment.json.domain_name,
      path: v.json.path,
      buildSid: t.buildSid,
    });
    const box = this.sandbox(t);
    const file = box.files.get(v.json.path)!.file;
    const context = this.context(t, v);
    const event = { ...Object.fromEntries(req.url.searchParams), ...req.params, request: { headers: req.headers, cookies: {} } };
    const url = `https://${t.environment.json.domain_name}${v.json.path}`;
    const invocation: Invocation = {
      callSid,
      path: v.json.path,
      url,
      method: req.method,
      origin: { service: t.service, environment: t.environment, buildSid: t.buildSid, functionSid: v.parentSid, requestSid: newRequestSid() },
    };
    const where = { serviceSid: t.service.json.sid, url, method: req.method };

    // The invocation is open (its output attributed) until it has answered and its handler returned.
    const answered = this.invocation.hold();
    const returned = this.invocation.hold();
    return new Promise<WebhookResponse>((resolve) => {
      let done = false;
      const finish = (r: WebhookResponse) => {
        if (done) return;
        done = true;
        timer.cancel();
        answered();
        resolve(r);
      };
      const fail = (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        transcript.add(callSid, 'error', `82002 Function ${v.json.path} failed (500): ${message}`, { code: 82002, path: v.json.path, status: 500, ...where });
        finish(answer(500, JSON.stringify({ message, name: error instanceof Error ? error.name : 'Error' })));
      };
      const timer = this.o.scheduler.after(FUNCTION_TIMEOUT_SECONDS, () => {
        transcript.add(callSid, 'error', `82002 Function ${v.json.path} did not call back within ${FUNCTION_TIMEOUT_SECONDS}s (504)`, {
          code: 82002,
          path: v.json.path,
          status: 504,
          ...where,
        });
        finish(answer(504, JSON.stringify({ message: 'Function execution timed out' })));
      });
      const callback = (err: unknown, result?: unknown) => {
        if (err) return fail(err);
        const http = toHttp(result);
        finish({ status: http.status, contentType: http.contentType, body: http.body, headers: http.headers });
      };
      try {
        const result = this.invocation.run(invocation, () => {
          const mod = box.load(file) as { handler?: unknown };
          if (typeof mod.handler !== 'function') throw new Error(`${v.json.path} does not export a handler function`);
          return (mod.handler as (c: unknown, e: unknown, cb: typeof callback) => unknown)(context, event, callback);
        });
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(returned, (e: unknown) => {
            returned();
            fail(e);
          });
        } else returned();
      } catch (e) {
        returned();
        fail(e);
      }
    });
  }

  private context(t: Target, v: VersionRecord): Record<string, unknown> {
    const vars = Object.fromEntries([...t.environment.variables.values()].map((x) => [x.json.key, x.json.value]));
    const { accountSid, authToken } = this.o.state.credentials;
    const creds = t.service.json.include_credentials !== false ? { ACCOUNT_SID: accountSid, AUTH_TOKEN: authToken } : {};
    return {
      ...vars,
      ...creds,
      DOMAIN_NAME: t.environment.json.domain_name,
      PATH: v.json.path,
      SERVICE_SID: t.service.json.sid,
      ENVIRONMENT_SID: t.environment.json.sid,
      getTwilioClient: () => {
        const client = this.o.clientFactory({ accountSid, authToken, twinUrl: this.o.twinUrl() });
        // Its requests are in-flight work from the moment they are made, not only once they arrive.
        const http = client.httpClient as { request: (o: unknown) => Promise<unknown> };
        const request = http.request.bind(http);
        http.request = (opts) => this.o.inflight.track(request(opts));
        return client;
      },
    };
  }

  close(): void {
    for (const box of this.sandboxes.values()) box.close();
    this.sandboxes.clear();
    this.invocation.close();
  }
}
