// How command groups plug into the program: each group registers its commands and options (cheap),
// and names its handler through `lazy`, so a handler's imports load only when it runs.
import type { Command } from 'commander';
import type { CommandContext } from './context.js';

/** A command handler: positional arguments in order, then the command's own options. */
export type Action = (ctx: CommandContext, args: unknown[], opts: Record<string, unknown>) => Promise<void>;

/** Wraps a loader into a commander action that builds the context and runs the handler. */
export type Lazy = (load: () => Promise<Action>) => (...commanderArgs: unknown[]) => Promise<void>;

export type RegisterGroup = (program: Command, lazy: Lazy) => void;

/** Commander hands repeatable options to a reducer; this one collects them into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
