// The REST request log, so tests (and users) can see and count what a client did.
import { Emitter } from './events.js';
import type { Product } from './router.js';

export interface LoggedRequest {
  seq: number;
  method: string;
  product: Product;
  /** The path as on Twilio, e.g. /v1/Services/ZS…/Builds. */
  path: string;
  query: string;
  /** null while pending, and forever for a request a 'hang' fault swallowed. */
  status: number | null;
  /** The id of the injected fault that answered it, if any. */
  fault: number | null;
}

export class RequestLog {
  readonly events = new Emitter<{ logged: LoggedRequest; answered: LoggedRequest }>();
  private entries: LoggedRequest[] = [];
  private seq = 0;

  start(method: string, product: Product, path: string, query: string): LoggedRequest {
    const entry: LoggedRequest = { seq: ++this.seq, method, product, path, query, status: null, fault: null };
    this.entries.push(entry);
    this.events.emit('logged', entry);
    return entry;
  }

  finish(entry: LoggedRequest, status: number): void {
    entry.status = status;
    this.events.emit('answered', entry);
  }

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
