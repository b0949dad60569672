// TwiML that homephone emits: typed templates returning XML strings.
export * from './templates.js';
export { sanitizeSpokenText, isE164 } from './text.js';
