// Which Function invocation the running code belongs to, so a Function's console output lands in
// its own invocation's Logs and call even after an await, with invocations overlapping.
//
// Built on AsyncLocalStorage, which in Node 20 propagates through a process-wide async hook: once
// a storage is enabled, every promise and async resource created anywhere in the process pays for
// it (an `init` call per resource, the promise hook on every promise), until the storage is
// disabled. The twin runs in the same process as its users (tests, `homephone simulate`), so an
// always-on storage taxed every deploy and REST request made after the first Function ran. Here
// the storage is enabled only while an invocation is open and disabled once the last one has
// ended; `run()` enables it again (Node's `AsyncLocalStorage.run` does so itself).
//
// When an invocation ends: when its callback has been called (or it failed or timed out) AND its
// handler has returned (an async handler: its promise settled). The disable waits one macrotask
// more, so output written in the same turn as the callback (`callback(); console.log(...)`, or
// after a resolved await) is still attributed. Output from work a handler leaves running after
// that is not attributed to it (it is logged without a call): Twilio terminates an invocation's
// asynchronous work once the callback has been called ("Function Execution": "After executing
// the callback() method, your Twilio Function execution will be terminated. This includes any
// asynchronous processes that may still be executing"), so no product may rely on those lines.
import { AsyncLocalStorage } from 'node:async_hooks';

export class InvocationScope<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  /** Holds not yet released (two per invocation: its answer and its handler's return). */
  private holds = 0;
  private pendingDisable: NodeJS.Immediate | undefined;
  /** Bumped by close(), so holds taken before it no longer count. */
  private generation = 0;

  /** The invocation the calling code runs for, if any is open. */
  current(): T | undefined {
    return this.storage.getStore();
  }

  /** Whether the storage (and with it Node's async hook, unless another storage uses it) is on. */
  get enabled(): boolean {
    // AsyncLocalStorage has no public getter; getStore() says nothing when no store is set.
    return (this.storage as unknown as { enabled: boolean }).enabled;
  }

  /**
   * Keeps the storage on until the returned function is called (once; later calls do nothing).
   * Take a hold before `run()` for everything that ends the invocation.
   */
  hold(): () => void {
    this.holds += 1;
    if (this.pendingDisable) {
      clearImmediate(this.pendingDisable);
      this.pendingDisable = undefined;
    }
    const generation = this.generation;
    let released = false;
    return () => {
      if (released || generation !== this.generation) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) this.scheduleDisable();
    };
  }

  /**
   * Turns the storage off now, whatever is still open (the twin is closing or resetting: a handler
   * that never returns must not keep the hook on for the rest of the process). Holds taken before
   * are forgotten: releasing one later does nothing.
   */
  close(): void {
    this.generation += 1;
    this.holds = 0;
    if (this.pendingDisable) clearImmediate(this.pendingDisable);
    this.pendingDisable = undefined;
    this.storage.disable();
  }

  /** Runs `fn` as part of `store`'s invocation: code it starts, awaits included, sees `store`. */
  run<R>(store: T, fn: () => R): R {
    return this.storage.run(store, fn);
  }

  private scheduleDisable(): void {
    this.pendingDisable = setImmediate(() => {
      this.pendingDisable = undefined;
      if (this.holds === 0) this.storage.disable();
    });
    // Never the reason a process stays up.
    this.pendingDisable.unref();
  }
}
