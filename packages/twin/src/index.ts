// The local Twilio twin: its public surface. Nothing here imports the product that uses it.
export { startTwin, type Twin, type TwinOptions } from './server.js';
export type { TwinAdmin, AccountInfo } from './admin.js';
export { SnapshotError, type TwinSnapshot } from './snapshot.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { Fault, FaultSpec, FaultKind } from './faults.js';
export type { LoggedRequest } from './request-log.js';
export { servedOperations } from './rest/index.js';
export { DEFAULT_CPS, MAX_QUEUE_MS } from './model/call-queue.js';
export { validateFlowDefinition, type FlowIssue, type FlowCheck } from './studio-validate.js';
export * from './state.js';
export * as voice from './model/voice.js';
export { InvalidCallerIdError, isNetworkCallerId, isRestCallerId } from './model/caller-id.js';
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
export { twinClient, type ClientFactory, type ClientCredentials, type TwilioClient } from './client.js';
export { HostMap, HostMappingError, checkHostMapping, parseHostMapping, type HostMapping } from './voice/hosts.js';
export { toTwinUrl, serverlessUploadBase, SERVERLESS_UPLOAD_BASE } from './address.js';
