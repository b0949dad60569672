// The rows `homephone check` prints: one per path through the deployed household.

/** 'skip': the path could not be tried with the numbers at hand (it does not fail the check). */
export type Verdict = 'pass' | 'fail' | 'skip';

export type PathId = 'numbers' | 'unknown-caller' | 'whitelisted-caller' | 'owner-menu' | 'buzzer-agent' | 'audio';

export interface CheckRow {
  id: PathId;
  path: string;
  expected: string;
  seen: string;
  verdict: Verdict;
  /** What to do about a failure (or to try a skipped path); null when it passed. */
  hint: string | null;
}

/** One call the check places: from a number the account owns (or a verified caller ID) to one it owns. */
export interface PlannedCall {
  id: PathId;
  from: string;
  to: string;
  /** Seconds the caller stays on the line at most. */
  seconds: number;
  /** Legs this call is expected to open beyond the caller's own (SIP phone, owner's cell). */
  extraLegs: Array<'sip' | 'pstn'>;
}
