// The Sync service deploy creates is found by this name (Sync services have no settable unique
// name); kept apart so the agent and the history reader need not load the deploy code.
export const SYNC_SERVICE_FRIENDLY_NAME = 'homephone';
