// Response helpers shared by the REST modules.
import type { RestResponse } from '../router.js';

export const ok = (body: unknown): RestResponse => ({ status: 200, body });
export const created = (body: unknown): RestResponse => ({ status: 201, body });
export const noContent = (): RestResponse => ({ status: 204 });

/** Accepts absolute http(s) URLs, or '' to clear (as Twilio does for webhook fields). */
export function isUrlOrEmpty(value: string): boolean {
  if (value === '') return true;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
