// The Sync service deploy creates is found by this name (Sync services have no settable unique
// name); kept apart so the agent and the call-history reader need not load the deploy code.
import { withMark } from './ownership.js';

export const SYNC_SERVICE_FRIENDLY_NAME = withMark('homephone');
