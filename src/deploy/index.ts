// Deploy: desired state → plan (diff against Twilio) → apply; whitelist sync; rollback; status.
export {
  applyPlan,
  deploy,
  deployStatus,
  planDeploy,
  rollback,
  summarise,
  syncWhitelist,
  syncVariables,
  type Applied,
  type DeployResult,
  type DeploySession,
  type Plan,
  type Planned,
  type RollbackResult,
  type StatusResult,
  type WhitelistSyncResult,
  type VariableSyncResult,
} from './deploy.js';
export { openSession, configStateStore, type SessionOptions } from './session.js';
export { memoryStateStore, generateSipPassword, isStrongSipPassword, type DeployState, type StateStore } from './state.js';
export { renderPlan, planData, renderApplied, renderStatus, statusData } from './render.js';
export type { Change, FieldChange, Operation, ProgressSink } from './run.js';
export { ringbackWav } from './ringback.js';
export { ForeignResourcesError, MANAGED_MARK, UnsafeCredentialListError } from './ownership.js';
export { syncWhitelistWithTexts, foldTexted, pendingTexted, textedState, type FoldedEntry, type TextedEntry, type TextedState, type TextedSyncResult } from './texted.js';
