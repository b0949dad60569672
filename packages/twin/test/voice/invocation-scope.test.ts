// The scope that attributes a Function's output to its invocation: on only while an invocation is
// open (Node 20's AsyncLocalStorage taxes every promise in the process while it is enabled).
import { describe, expect, it } from 'vitest';
import { InvocationScope } from '../../src/runtime/invocation-scope.js';

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InvocationScope', () => {
  it('follows each invocation through awaits while two are open together', async () => {
    const scope = new InvocationScope<string>();
    const seen: Array<[string, string | undefined]> = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const invoke = (name: string) => {
      const end = scope.hold();
      return scope
        .run(name, async () => {
          await gate;
          seen.push([name, scope.current()]);
          await nextMacrotask();
          seen.push([name, scope.current()]);
        })
        .finally(end);
    };
    const both = Promise.all([invoke('a'), invoke('b')]);
    expect(scope.current()).toBeUndefined();
    release();
    await both;
    expect(seen).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  it('turns the storage off one macrotask after the last hold is released, and on again for the next run', async () => {
    const scope = new InvocationScope<string>();
    expect(scope.enabled).toBe(false);
    const first = scope.hold();
    const second = scope.hold();
    scope.run('x', () => expect(scope.current()).toBe('x'));
    expect(scope.enabled).toBe(true);
    first();
    first(); // released once only: the other hold still keeps it on
    await nextMacrotask();
    expect(scope.enabled).toBe(true);
    second();
    // Output in the same turn as the end is still attributed.
    expect(scope.enabled).toBe(true);
    await nextMacrotask();
    expect(scope.enabled).toBe(false);
    expect(scope.current()).toBeUndefined();
    // A new hold before the pending disable cancels it.
    const third = scope.hold();
    third();
    const fourth = scope.hold();
    scope.run('y', () => expect(scope.current()).toBe('y'));
    await nextMacrotask();
    await nextMacrotask();
    expect(scope.enabled).toBe(true);
    fourth();
    await nextMacrotask();
    expect(scope.enabled).toBe(false);
  });

  it('close() turns it off at once, even with an invocation still open, and ignores that hold afterwards', async () => {
    const scope = new InvocationScope<string>();
    const stale = scope.hold();
    scope.run('x', () => undefined);
    expect(scope.enabled).toBe(true);
    scope.close();
    expect(scope.enabled).toBe(false);
    const fresh = scope.hold();
    scope.run('y', () => undefined);
    stale(); // from before close(): must not release the new invocation's hold
    await nextMacrotask();
    expect(scope.enabled).toBe(true);
    fresh();
    await nextMacrotask();
    expect(scope.enabled).toBe(false);
  });
});
