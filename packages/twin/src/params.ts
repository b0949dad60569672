// Request parameters as the twilio SDK sends them: form bodies and query strings with repeated
// keys (qs arrayFormat "repeat"), booleans as "true"/"false".
import { invalid, missing } from './errors.js';

export class Params {
  private readonly map = new Map<string, string[]>();

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [k, v] of entries) this.add(k, v);
  }

  static fromSearch(search: URLSearchParams | string): Params {
    const sp = typeof search === 'string' ? new URLSearchParams(search) : search;
    return new Params(sp.entries());
  }

  add(key: string, value: string): void {
    const list = this.map.get(key);
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): string | undefined {
    return this.map.get(key)?.[0];
  }

  all(key: string): string[] {
    return this.map.get(key) ?? [];
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  entries(): [string, string][] {
    const out: [string, string][] = [];
    for (const [k, vs] of this.map) for (const v of vs) out.push([k, v]);
    return out;
  }

  required(key: string): string {
    const v = this.get(key);
    if (v === undefined || v === '') throw missing(key);
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalid(`Invalid value for ${key}: expected true or false, got '${v}'`);
  }

  int(key: string, min?: number, max?: number): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw invalid(`Invalid value for ${key}: '${v}' is not an integer`);
    const n = Number(v);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      throw invalid(`Invalid value for ${key}: ${n} is outside ${min ?? '-∞'}..${max ?? '∞'}`);
    }
    return n;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalid(`Invalid value for ${key}: '${v}' is not one of ${allowed.join(', ')}`);
    }
    return v as T;
  }

  maxLength(key: string, max: number): string | undefined {
    const v = this.get(key);
    if (v !== undefined && v.length > max) throw invalid(`${key} must be at most ${max} characters`);
    return v;
  }
}
