// The buzzer agent: starts the HTTP(S) server with its routes and hands back a handle that can
// wait for the agent's background work and shut it down cleanly.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ringbackWav } from '../deploy/ringback.js';
import type { HueBridge } from '../hue/bridge.js';
import { BuzzHandlers, type AgentRequest, type BuzzModes, type Reply } from './buzz.js';
import { BuzzJournal, JOURNAL_FILE, latestBuzzes, type BuzzSummary } from './buzz-journal.js';
import type { BuzzRegistry } from './buzz-state.js';
import { silentLogger, type AgentLogger } from './logger.js';
import type { DeliveryWindowStore } from './modes.js';
import type { AgentRest } from './rest.js';
import { StoppableClock, systemClock, within, WorkTracker, type AgentClock } from './runtime.js';
import { createAgentServer, type Route } from './server.js';
import type { AgentSettings } from './settings.js';
import { PublicUrl, SignatureChecker } from './signature.js';
import { TextCommands, type TextDeadlines } from './texts.js';

export interface AgentOptions {
  settings: AgentSettings;
  rest: AgentRest;
  hue?: HueBridge | undefined;
  clock?: AgentClock;
  logger?: AgentLogger;
  /** Delivery window and entry codes, read on every buzz (default: neither). */
  modes?: () => BuzzModes;
  /**
   * Where the owner's `open`/`close` texts write the delivery window (the configuration file, so
   * `modes` reads it on the next buzz). Without it those texts change nothing and say so.
   */
  window?: DeliveryWindowStore | undefined;
  /** Every piece of REST work after an answer, as it starts (tests: the twin's in-flight count). */
  observeWork?: (work: Promise<unknown>) => void;
  /** Text tenant 1 that the agent is up (default true). */
  startupSms?: boolean;
  /** PEM contents for HTTPS (read by the caller from settings.tls). */
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
  /**
   * The folder of the buzz journal (the config folder): buzzes in progress survive a restart.
   * Without it the agent keeps them in memory only (simulate, demo).
   */
  stateDir?: string | undefined;
  /** Buzzes remembered at most (default 500). */
  maxBuzzes?: number | undefined;
  /** Real milliseconds close() waits for the last REST work before giving up on it (default 10 s). */
  stopTimeoutMs?: number | undefined;
  /** How long a text's `status`/`open` waits for Hue and Twilio (tests on a loaded machine: longer). */
  textDeadlines?: TextDeadlines | undefined;
}

/** Within systemd's TimeoutStopSec (20 s in the unit) with room to spare. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface Agent {
  /** Where the server listens, e.g. http://127.0.0.1:8080. */
  readonly localUrl: string;
  readonly port: number;
  readonly buzzes: BuzzRegistry;
  /** Resolves when every webhook's follow-up work (calls, cancels, texts, Hue flashes) is done. */
  idle(): Promise<void>;
  /**
   * Stops: accepts no more connections, ends the buzzes still at the code prompt or ringing (the
   * visitor told, the tenants' calls ended and texted), waits for that work (at most
   * stopTimeoutMs), then closes every connection and stops every timer. Nothing acts after it.
   */
  close(): Promise<void>;
}


export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { settings } = options;
  const log = options.logger ?? silentLogger;
  const url = new PublicUrl(settings.publicUrl);
  const onError = (err: unknown) => log.error('agent.error', { error: err instanceof Error ? err.message : String(err) });
  const journal = options.stateDir ? new BuzzJournal(join(options.stateDir, JOURNAL_FILE), log) : undefined;
  // Saved after every webhook (before its answer goes out), every piece of follow-up work and
  // every timer: the three ways a buzz changes.
  const ready: { handlers?: BuzzHandlers; texts?: TextCommands } = {};
  const save = () => {
    const h = ready.handlers;
    if (journal && h) journal.save(h.buzzes.all(), h.entryGuard.snapshot(), ready.texts?.ranTexts() ?? [], clock.now());
  };
  const clock = new StoppableClock(options.clock ?? systemClock, save);
  const work = new WorkTracker(onError, options.observeWork, save);
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
    maxBuzzes: options.maxBuzzes,
  });
  ready.handlers = handlers;
  /** The last buzzes the journal remembered from before a restart. */
  let carried: BuzzSummary[] = [];
  const texts = new TextCommands({
    settings,
    log,
    clock,
    modes: options.modes ?? (() => ({ entryCodes: [] })),
    window: options.window,
    recentBuzzes: (n) => latestBuzzes(handlers.buzzes.all(), carried, n),
    hue: options.hue,
    rest: options.rest,
    deadlines: options.textDeadlines,
  });
  ready.texts = texts;
  if (journal) {
    const left = journal.load(clock.now());
    carried = left.recent;
    texts.restoreRan(left.texts);
    handlers.entryGuard.restore(left.entryGuard);
    for (const buzz of left.buzzes) handlers.resume(buzz);
    if (left.buzzes.length) log.info('journal.restored', { buzzes: left.buzzes.length, ringing: left.buzzes.filter((b) => b.ringing).length });
    save();
  }
  /** A webhook's handler, with the journal written before its answer goes out (every signed route). */
  const saved =
    (fn: (r: AgentRequest) => Reply | Promise<Reply>) =>
    (r: AgentRequest): Reply | Promise<Reply> => {
      const out = fn(r);
      if (out instanceof Promise) return out.finally(save);
      save();
      return out;
    };
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
    // The buzzer number's sms_url: the owner's text commands (texts.ts).
    '/sms': { methods: post, signed: true, handle: (r) => texts.sms(r) },
    // Not secret and fetched as media: no signature demanded.
    '/ringback.wav': { methods: ['GET'], signed: false, handle: () => wav },
    '/healthz': {
      methods: ['GET'],
      signed: false,
      handle: () => ({
        status: 200,
        type: 'application/json',
        // Unsigned, so it says nothing about who is at the door or whether anyone is.
        body: JSON.stringify({ status: 'ok' }),
      }),
    },
  };
  for (const route of Object.values(routes)) if (route.signed) route.handle = saved(route.handle);
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
    texts: settings.ownerCell ? 'from the owner' : 'off (household.ownerCell is not set)',
    journal: journal?.path,
  });
  if (options.startupSms !== false) work.later(() => handlers.notifier.startup(handlers.firstTenant(), settings.publicUrl));
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;

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
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        work.track(handlers.stop());
        // REST work (ending the buzzes, texts) gets its time; a hung request does not hold the stop.
        const done = await within(work.idle(), stopTimeoutMs);
        if (!done) log.warn('agent.stop-timeout', { pending: work.pending, waitedMs: stopTimeoutMs });
        clock.stop();
        work.stop();
        background.stop();
        await within(background.idle(), Math.min(stopTimeoutMs, 3000)); // a flash gives up after 2.5 s
        server.closeAllConnections();
        await closed;
        save();
        log.info('agent.stopped', {});
      })()),
  };
}

export { agentSettings, DEFAULT_PORT, DEFAULT_HOST, DEFAULT_RING_TIMEOUT, type AgentSettings, type AgentOverrides } from './settings.js';
export { createLogger, silentLogger, type AgentLogger, type LogFormat, type LogRecord } from './logger.js';
export { restOverTwilio, type AgentRest } from './rest.js';
export { systemClock, type AgentClock, type AgentTimer } from './runtime.js';
export { MESSAGES, type BuzzModes } from './buzz.js';
export { JOURNAL_FILE } from './buzz-journal.js';
export { configModes, type DeliveryWindowStore } from './modes.js';
export { TEXT_HELP, parseTextCommand, type TextCommand } from './texts.js';
export { PublicUrl } from './signature.js';
