// Injected faults: the Nth request matching a method and a path pattern answers 429 (with
// Retry-After), 500, or never answers, before any state changes; or, in the 'after-' modes, is
// applied and then answers 500 or has its connection dropped (the response is lost: the harder,
// realistic failure a client must converge from). Patterns are globs over the twin's path ('*'
// matches any run of characters, '/' included), e.g. '/serverless/v1/Services/*/Builds'. The
// method 'WRITE' matches every request but GET and HEAD.

export type FaultKind = '429' | '500' | 'hang' | 'after-500' | 'after-drop';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', 'hang', 'after-500', 'after-drop'];

/** True for the kinds that let the request change state before failing its response. */
export function firesAfter(kind: FaultKind): boolean {
  return kind === 'after-500' || kind === 'after-drop';
}

export interface FaultSpec {
  method?: string;
  path: string;
  /** Which matching request fires first (1 = the next one). */
  nth?: number;
  /** How many consecutive matching requests fire (default 1). */
  times?: number;
  fault: FaultKind;
  /** Seconds, for 429 (default 1). */
  retryAfter?: number;
}

export interface Fault extends Required<Omit<FaultSpec, 'retryAfter'>> {
  id: number;
  retryAfter: number;
  /** Matching requests seen so far. */
  seen: number;
  /** Requests this fault answered. */
  fired: number;
}

export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

export function checkFaultSpec(spec: unknown): FaultSpec {
  const s = spec as Partial<FaultSpec> | null;
  const problems: string[] = [];
  if (!s || typeof s !== 'object') throw new Error('a fault must be a JSON object');
  if (typeof s.path !== 'string' || !s.path.startsWith('/')) problems.push('path must be a pattern starting with /');
  if (!(FAULT_KINDS as readonly string[]).includes(String(s.fault))) {
    problems.push(`fault must be one of ${FAULT_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  if (s.method !== undefined && !/^(\*|GET|POST|DELETE|WRITE)$/i.test(s.method)) {
    problems.push('method must be GET, POST, DELETE, WRITE (any but GET) or *');
  }
  for (const k of ['nth', 'times'] as const) {
    if (s[k] !== undefined && !(Number.isInteger(s[k]) && (s[k] as number) >= 1)) problems.push(`${k} must be an integer ≥ 1`);
  }
  if (s.retryAfter !== undefined && !(Number.isInteger(s.retryAfter) && s.retryAfter >= 0)) {
    problems.push('retryAfter must be an integer ≥ 0 (seconds)');
  }
  if (problems.length) throw new Error(problems.join('; '));
  return { ...s, fault: String(s.fault) as FaultKind } as FaultSpec;
}

function methodMatches(pattern: string, method: string): boolean {
  if (pattern === '*') return true;
  if (pattern === 'WRITE') return method !== 'GET' && method !== 'HEAD';
  return pattern === method;
}

export class Faults {
  private list: Array<Fault & { regex: RegExp }> = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault = {
      id: this.nextId++,
      method: (spec.method ?? '*').toUpperCase(),
      path: spec.path,
      nth: spec.nth ?? 1,
      times: spec.times ?? 1,
      fault: spec.fault,
      retryAfter: spec.retryAfter ?? 1,
      seen: 0,
      fired: 0,
      regex: globToRegExp(spec.path),
    };
    this.list.push(fault);
    return this.view(fault);
  }

  /** Count this request against every matching fault; the first one due answers it. */
  match(method: string, path: string): Fault | undefined {
    let due: (Fault & { regex: RegExp }) | undefined;
    for (const f of this.list) {
      if (!methodMatches(f.method, method) || !f.regex.test(path)) continue;
      f.seen += 1;
      if (!due && f.seen >= f.nth && f.seen < f.nth + f.times) due = f;
    }
    if (due) due.fired += 1;
    return due && this.view(due);
  }

  all(): Fault[] {
    return this.list.map((f) => this.view(f));
  }

  clear(): void {
    this.list = [];
  }

  private view(f: Fault & { regex: RegExp }): Fault {
    const { regex: _regex, ...rest } = f;
    return { ...rest };
  }
}
