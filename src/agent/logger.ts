// One structured line per event, as text or JSON (for journald and log shippers). Secrets never
// reach a line: callers pass no tokens, codes or digits, and fields with such names are redacted
// anyway, in case one slips in.
export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

export interface AgentLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  format: LogFormat;
  write: (line: string) => void;
  now?: () => Date;
  /** Also hands every record to this (tests, bench). */
  onRecord?: (record: LogRecord) => void;
}

const SECRET_FIELDS = /^(auth_?token|api_?secret|secret|password|signature|x-twilio-signature|digits|code|entry_?code|hash|username|authorization)$/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = SECRET_FIELDS.test(k) ? '[redacted]' : v;
  }
  return out;
}

function textValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}

export function createLogger(options: LoggerOptions): AgentLogger {
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    const record: LogRecord = { time: now().toISOString(), level, event, ...redact(fields) };
    options.onRecord?.(record);
    if (options.format === 'json') {
      options.write(`${JSON.stringify(record)}\n`);
      return;
    }
    const { time, level: l, event: e, ...rest } = record;
    const tail = Object.entries(rest)
      .map(([k, v]) => `${k}=${textValue(v)}`)
      .join(' ');
    options.write(`${time} ${l.padEnd(5)} ${e}${tail ? ` ${tail}` : ''}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/** A logger that drops everything (simulate, tests that do not look). */
export const silentLogger: AgentLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * A caller's number as the log shows it: enough to tell callers apart ("+15550009999" → "+*******9999":
 * the last four digits), not enough to identify a person who happened to dial the buzzer number.
 */
export function maskNumber(number: string): string {
  const text = String(number).slice(0, 32);
  if (text.length <= 4) return '*'.repeat(text.length);
  return `${text.startsWith('+') ? '+' : ''}${'*'.repeat(text.length - 4 - (text.startsWith('+') ? 1 : 0))}${text.slice(-4)}`;
}
