// One reconcile run, as a plan (dryRun: record what would change, write nothing) or an apply
// (perform each write, record it, and save the state after it so an interruption loses nothing).
import type { TwilioClient } from '../twilio/client.js';
import type { ServerlessUploader } from '../twilio/upload.js';
import { MASK } from '../config/secrets.js';
import { twilioCall } from './errors.js';
import type { DeployState, StateStore } from './state.js';

export type Action = 'create' | 'update' | 'delete' | 'unchanged';

export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
  /** The values are secrets: shown masked. */
  secret?: boolean;
}

export type Section = 'serverless' | 'functions' | 'assets' | 'variables' | 'build' | 'studio' | 'sip' | 'numbers';

export interface Change {
  section: Section;
  /** e.g. "Function /incoming", "Phone number +15551230001". */
  resource: string;
  action: Action;
  fields: FieldChange[];
  /** Write requests this change takes. */
  writes: number;
  note?: string;
  /** The resource was not created by homephone: changing it needs --adopt (see ownership.ts). */
  foreign?: boolean;
}

/** A write request performed (apply only). */
export interface Operation {
  method: 'POST' | 'DELETE';
  /** e.g. "create", "update", "upload version", "create build", "deploy". */
  operation: string;
  resource: string;
  sid?: string;
}

export interface ProgressSink {
  start(task: string): void;
  done(task: string, summary: string): void;
  fail(task: string, error: unknown): void;
}

export const silentProgress: ProgressSink = { start() {}, done() {}, fail() {} };

export interface RunDeps {
  client: TwilioClient;
  uploader: ServerlessUploader;
  store: StateStore;
  progress?: ProgressSink;
  /** Injected by tests so no build poll waits on the wall clock. */
  sleep?: (ms: number) => Promise<void>;
  buildTimeoutMs?: number;
  commitMessage?: string;
  /** --adopt: take over resources homephone did not create (deleting what no template describes). */
  adopt?: boolean;
}

export class Run {
  readonly changes: Change[] = [];
  readonly operations: Operation[] = [];

  constructor(
    readonly deps: RunDeps,
    readonly dryRun: boolean,
    public state: DeployState,
  ) {}

  get client(): TwilioClient {
    return this.deps.client;
  }

  /** Records a change; secret values are masked here, so no plan, log or JSON can carry them. */
  record(change: Change): Change {
    const fields = change.fields.map((f) =>
      f.secret
        ? { ...f, ...(f.before === undefined ? {} : { before: MASK }), ...(f.after === undefined ? {} : { after: MASK }) }
        : f,
    );
    const masked = { ...change, fields };
    if (masked.note === undefined) delete masked.note;
    if (!masked.foreign) delete masked.foreign;
    this.changes.push(masked);
    return masked;
  }

  /** Performs one write request (never in a dry run), records it, then saves the state. */
  async write<T>(op: Operation, fn: () => Promise<T>, after?: (result: T) => void): Promise<T> {
    if (this.dryRun) throw new Error(`internal: write "${op.operation} ${op.resource}" in a dry run`);
    const result = await twilioCall(op.resource, fn);
    const sid = (result as { sid?: unknown } | undefined)?.sid;
    this.operations.push(typeof sid === 'string' && !op.sid ? { ...op, sid } : op);
    after?.(result);
    await this.save();
    return result;
  }

  /** Saves the state now (journal entries are written before the request they describe). */
  async save(): Promise<void> {
    if (!this.dryRun) await this.deps.store.save(this.state);
  }
}
