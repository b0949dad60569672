// The local Twilio twin: public surface for the CLI, tests and (later) the voice engine.
export { startTwin, type Twin, type TwinOptions } from './server.js';
export type { TwinAdmin } from './admin.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { Fault, FaultSpec, FaultKind } from './faults.js';
export type { LoggedRequest } from './request-log.js';
export { servedOperations } from './rest/index.js';
export { validateFlowDefinition, type FlowIssue, type FlowCheck } from './studio-validate.js';
export * from './state.js';
export * as voice from './model/voice.js';
export {
  VirtualClock,
  Scheduler,
  Inflight,
  VoiceEngine,
  renderTranscript,
  countByType,
  parsePress,
  checkScript,
  type PlaceCallInput,
  type ScenarioResult,
  type TranscriptEvent,
  type TranscriptEventType,
  type PhoneScript,
  type DigitPress,
  type VoiceOptions,
} from './voice/index.js';
