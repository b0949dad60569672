// Builds the twin's call-running side: virtual clock, in-flight tracking, scheduler, the voice
// engine, the Studio interpreter and the Functions runtime, wired to one TwinState.
import { twinClient, type ClientFactory } from '../client.js';
import { alertFromEvent } from '../records/alerts.js';
import { FunctionsRuntime } from '../runtime/runtime.js';
import type { TwinState } from '../state.js';
import { StudioInterpreter } from '../studio/interpreter.js';
import { Scheduler, VirtualClock } from './clock.js';
import { VoiceEngine } from './engine.js';
import { Inflight } from './inflight.js';

export interface VoiceOptions {
  /**
   * Move virtual time on by itself whenever everything settled (default false: time moves while a
   * scenario is played — placeCall, settle, advance, POST /_twin/calls or /_twin/settle — so REST
   * clients see calls hold still between their requests).
   */
  autoAdvance?: boolean;
  /** setImmediate turns of quiet before time moves (default 5). */
  quietTurns?: number;
  /** Extra wall-clock quiet window, only for collaborators in other processes (default 0). */
  quietMs?: number;
  /** Makes the client a Function's context.getTwilioClient() returns (default: twinClient). */
  clientFactory?: ClientFactory;
}

export interface VoiceStack {
  clock: VirtualClock;
  inflight: Inflight;
  scheduler: Scheduler;
  engine: VoiceEngine;
  studio: StudioInterpreter;
  runtime: FunctionsRuntime;
  reset(): void;
  close(): void;
}

export function createVoiceStack(
  state: TwinState,
  clock: VirtualClock,
  inflight: Inflight,
  twinUrl: () => string,
  options: VoiceOptions = {},
): VoiceStack {
  let engine: VoiceEngine | undefined;
  const scheduler = new Scheduler(clock, inflight, {
    autoAdvance: options.autoAdvance ?? false,
    onError: (e) => engine?.transcript.add(null, 'error', `twin engine error: ${(e as Error).stack ?? String(e)}`, { engine: true }),
  });
  engine = new VoiceEngine(state, { scheduler, inflight });
  const studio = new StudioInterpreter({ state, webhooks: engine.webhooks, transcript: engine.transcript, scheduler });
  const runtime = new FunctionsRuntime({ state, scheduler, inflight, transcript: engine.transcript, twinUrl, clientFactory: options.clientFactory ?? twinClient });
  engine.webhooks.use(studio.handle);
  engine.webhooks.use(runtime.handle);
  const e = engine;
  // Every coded error (and a Function's warning) is also a Monitor Alert, as in Twilio's debugger.
  const offAlerts = e.transcript.on((event) => void alertFromEvent(state, event, (url, callSid) => e.webhooks.lastExchange(url, callSid)));
  return {
    clock,
    inflight,
    scheduler,
    engine: e,
    studio,
    runtime,
    reset: () => {
      e.reset();
      studio.reset();
      runtime.close();
    },
    close: () => {
      offAlerts();
      scheduler.close();
      e.close();
      studio.close();
      runtime.close();
    },
  };
}

export { VirtualClock, Scheduler } from './clock.js';
export { Inflight } from './inflight.js';
export { VoiceEngine, type PlaceCallInput, type ScenarioResult } from './engine.js';
export { renderTranscript, countByType, type TranscriptEvent, type TranscriptEventType } from './transcript.js';
export { parsePress, checkScript, type PhoneScript, type DigitPress } from './phones.js';
