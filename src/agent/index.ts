// The buzzer agent: starts the HTTP(S) server with its routes and hands back a handle that can
// wait for the agent's background work and shut it down cleanly.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ringbackWav } from '../deploy/ringback.js';
import type { HueBridge } from '../hue/bridge.js';
import { BuzzHandlers, type BuzzModes, type Reply } from './buzz.js';
import type { BuzzRegistry } from './buzz-state.js';
import { silentLogger, type AgentLogger } from './logger.js';
import type { AgentRest } from './rest.js';
import { systemClock, WorkTracker, type AgentClock } from './runtime.js';
import { createAgentServer, type Route } from './server.js';
import type { AgentSettings } from './settings.js';
import { PublicUrl, SignatureChecker } from './signature.js';

export interface AgentOptions {
  settings: AgentSettings;
  rest: AgentRest;
  hue?: HueBridge | undefined;
  clock?: AgentClock;
  logger?: AgentLogger;
  /** Delivery window and entry codes, read on every buzz (default: neither). */
  modes?: () => BuzzModes;
  /** Every piece of REST work after an answer, as it starts (tests: the twin's in-flight count). */
  observeWork?: (work: Promise<unknown>) => void;
  /** Text tenant 1 that the agent is up (default true). */
  startupSms?: boolean;
  /** PEM contents for HTTPS (read by the caller from settings.tls). */
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
}

export interface Agent {
  /** Where the server listens, e.g. http://127.0.0.1:8080. */
  readonly localUrl: string;
  readonly port: number;
  readonly buzzes: BuzzRegistry;
  /** Resolves when every webhook's follow-up work (calls, cancels, texts, Hue flashes) is done. */
  idle(): Promise<void>;
  /** Stops accepting requests, waits for the follow-up work, closes connections. */
  close(): Promise<void>;
}


export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { settings } = options;
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const url = new PublicUrl(settings.publicUrl);
  const onError = (err: unknown) => log.error('agent.error', { error: err instanceof Error ? err.message : String(err) });
  const work = new WorkTracker(onError, options.observeWork);
  const background = new WorkTracker(onError);
  const handlers = new BuzzHandlers({
    settings,
    url,
    rest: options.rest,
    hue: options.hue,
    clock,
    log,
    work,
    background,
    modes: options.modes ?? (() => ({ entryCodes: [] })),
  });
  const wav: Reply = { status: 200, type: 'audio/wav', body: ringbackWav() };
  const post = ['POST'] as const;
  const routes: Record<string, Route> = {
    '/': { methods: post, signed: true, handle: (r) => handlers.voice(r) },
    '/ring': { methods: post, signed: true, handle: (r) => handlers.ring(r) },
    '/entry': { methods: post, signed: true, handle: (r) => handlers.entry(r) },
    '/ringback': { methods: ['GET', 'POST'], signed: true, handle: () => handlers.ringback() },
    '/tenant': { methods: post, signed: true, handle: (r) => handlers.tenant(r) },
    '/tenant/answer': { methods: post, signed: true, handle: (r) => handlers.tenantAnswer(r) },
    '/status': { methods: post, signed: true, handle: (r) => handlers.status(r) },
    '/conference': { methods: post, signed: true, handle: (r) => handlers.conference(r) },
    '/dialed': { methods: post, signed: true, handle: (r) => handlers.dialed(r) },
    '/visitor/after': { methods: post, signed: true, handle: (r) => handlers.visitorAfter(r) },
    '/door-done': { methods: post, signed: true, handle: (r) => handlers.doorDone(r) },
    '/tenant/star': { methods: post, signed: true, handle: (r) => handlers.tenantStar(r) },
    '/tenant/star/answer': { methods: post, signed: true, handle: (r) => handlers.tenantStarAnswer(r) },
    '/tenant/door': { methods: post, signed: true, handle: (r) => handlers.tenantDoor(r) },
    // Not secret and fetched as media: no signature demanded.
    '/ringback.wav': { methods: ['GET'], signed: false, handle: () => wav },
    '/healthz': {
      methods: ['GET'],
      signed: false,
      handle: () => ({
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ status: 'ok', ringing: handlers.buzzes.all().filter((b) => b.ringing).length }),
      }),
    },
  };
  const server: Server = createAgentServer({ routes, url, checker: new SignatureChecker(settings.authToken, url), log, tls: options.tls });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const localUrl = `${options.tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  log.info('agent.started', {
    listen: `${host}:${address.port}`,
    tls: Boolean(options.tls),
    publicUrl: settings.publicUrl,
    tenants: settings.tenants.length,
    hue: options.hue ? 'on' : 'off',
  });
  if (options.startupSms !== false) work.later(() => handlers.notifier.startup(handlers.firstTenant(), settings.publicUrl));

  let closing: Promise<void> | undefined;
  return {
    localUrl,
    port: address.port,
    buzzes: handlers.buzzes,
    idle: async () => {
      await work.idle();
      await background.idle();
    },
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await work.idle();
        await background.idle(); // a flash gives up after 2.5 s
        log.info('agent.stopped', {});
      })()),
  };
}

export { agentSettings, DEFAULT_PORT, DEFAULT_HOST, DEFAULT_RING_TIMEOUT, type AgentSettings, type AgentOverrides } from './settings.js';
export { createLogger, silentLogger, type AgentLogger, type LogFormat, type LogRecord } from './logger.js';
export { restOverTwilio, type AgentRest } from './rest.js';
export { systemClock, type AgentClock, type AgentTimer } from './runtime.js';
export { MESSAGES, type BuzzModes } from './buzz.js';
export { PublicUrl } from './signature.js';
