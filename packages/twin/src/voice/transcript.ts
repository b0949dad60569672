// What happened, in order, with virtual timestamps: the record `simulate` prints and tests assert
// on. Events carry the call SID and a type; `text` is the one-line human form.
export type TranscriptEventType =
  | 'queued'
  | 'ringing'
  | 'answered'
  | 'say'
  | 'play'
  | 'pause'
  | 'digits-sent'
  | 'heard'
  | 'reaction'
  | 'gather'
  | 'dial'
  | 'record'
  | 'redirect'
  | 'conference-join'
  | 'conference-leave'
  | 'conference-start'
  | 'conference-end'
  | 'sms'
  | 'webhook'
  | 'function'
  | 'log'
  | 'studio'
  | 'hangup'
  | 'error';

export interface TranscriptEvent {
  /** Position in the twin's whole transcript. */
  seq: number;
  /** Virtual time, ISO 8601 with milliseconds. */
  at: string;
  /** Virtual milliseconds since the epoch (for arithmetic). */
  atMs: number;
  callSid: string | null;
  type: TranscriptEventType;
  text: string;
  data: Record<string, unknown>;
}

export interface CallSummary {
  sid: string;
  from: string;
  to: string;
  direction: string;
}

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  private listeners = new Set<(e: TranscriptEvent) => void>();

  constructor(private readonly now: () => number) {}

  add(callSid: string | null, type: TranscriptEventType, text: string, data: Record<string, unknown> = {}): TranscriptEvent {
    const atMs = this.now();
    const event: TranscriptEvent = { seq: this.events.length, at: new Date(atMs).toISOString(), atMs, callSid, type, text, data };
    this.events.push(event);
    for (const fn of this.listeners) fn(event);
    return event;
  }

  on(fn: (e: TranscriptEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events from position `seq` on. */
  since(seq: number): TranscriptEvent[] {
    return this.events.slice(seq);
  }

  clear(): void {
    this.events.length = 0;
  }
}

/** How often each kind of event happened: e.g. Function invocations per scenario. */
export function countByType(events: readonly TranscriptEvent[]): Partial<Record<TranscriptEventType, number>> {
  const counts: Partial<Record<TranscriptEventType, number>> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}

/**
 * Readable form: one line per event, seconds since the first event, a short label per call
 * (C1, C2… in order of appearance) and a legend naming each call.
 */
export function renderTranscript(events: readonly TranscriptEvent[], calls: ReadonlyMap<string, CallSummary> = new Map()): string {
  if (!events.length) return '(nothing happened)';
  const start = events[0]!.atMs;
  const labels = new Map<string, string>();
  for (const e of events) if (e.callSid && !labels.has(e.callSid)) labels.set(e.callSid, `C${labels.size + 1}`);
  const legend = [...labels].map(([sid, label]) => {
    const c = calls.get(sid);
    return c ? `${label}  ${sid}  ${c.from} → ${c.to} (${c.direction})` : `${label}  ${sid}`;
  });
  const width = Math.max(...events.map((e) => e.type.length));
  const lines = events.map((e) => {
    const t = `${((e.atMs - start) / 1000).toFixed(1)}s`.padStart(8);
    const who = (e.callSid ? labels.get(e.callSid)! : '--').padEnd(4);
    return `${t}  ${who} ${e.type.padEnd(width)}  ${e.text}`;
  });
  return [...legend, '', ...lines].join('\n');
}
