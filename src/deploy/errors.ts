// Twilio failures as homephone errors: each names the resource, Twilio's code and its more-info
// link; a 401 is an AuthError (exit 4); a lost connection says that re-running converges.
import { AuthError, HomephoneError } from '../errors.js';

interface TwilioErrorShape {
  status?: number;
  code?: number | string;
  message?: string;
  moreInfo?: string;
  details?: { errors?: Array<{ message?: string; property_path?: string }> };
}

export const RERUN_HINT = 'run the command again: deploy finds what was already done and continues from there';

export function describeTwilioError(resource: string, err: unknown): Error {
  if (err instanceof HomephoneError) return err;
  const e = (err ?? {}) as TwilioErrorShape;
  if (e.status === 401) {
    return new AuthError(`Twilio rejected the credentials (${e.code ?? 20003}) while working on ${resource}`, {
      hint: 'check twilio.accountSid and the API key/secret or auth token (homephone config show), or the TWILIO_* env vars',
      cause: err,
    });
  }
  if (typeof e.status === 'number') {
    const code = e.code === undefined ? '' : ` ${e.code}`;
    const problems = e.details?.errors?.map((p) => `${p.property_path ?? '#'}: ${p.message ?? ''}`) ?? [];
    const detail = problems.length ? ` (${problems.join('; ')})` : '';
    return new HomephoneError(`${resource}: Twilio error${code} (HTTP ${e.status}): ${e.message ?? 'request failed'}${detail}`, {
      hint: `${e.moreInfo ? `see ${e.moreInfo}; ` : ''}${e.status >= 500 || e.status === 429 ? RERUN_HINT : 'fix the cause, then run the command again'}`,
      cause: err,
    });
  }
  const reason = (err as Error)?.message ?? String(err);
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return new HomephoneError(`${resource}: the connection to Twilio failed (${cause?.code ?? cause?.message ?? reason})`, {
    hint: `check the network (or that the twin is running); ${RERUN_HINT}`,
    cause: err,
  });
}

/** Runs a Twilio request, turning its failure into a homephone error naming the resource. */
export async function twilioCall<T>(resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw describeTwilioError(resource, err);
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as { status?: number })?.status === 404;
}

export class BuildFailedError extends HomephoneError {}
