// whitelist sync (and --deploy on add/remove/import): push the whitelist asset alone, as one
// asset version, one build and one deployment.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { progressFor } from '../deploy/progress.js';

export interface SyncOutcome {
  changed: boolean;
  writes: number;
  breakdown: Record<string, number>;
  text: string;
}

export async function pushWhitelist(ctx: CommandContext, opts: Record<string, unknown>): Promise<SyncOutcome> {
  const { openSession, syncWhitelist } = await import('../../deploy/index.js');
  const session = await openSession(ctx.env, {
    ...(typeof opts.twin === 'string' && opts.twin ? { twinUrl: opts.twin } : {}),
    progress: await progressFor(ctx),
  });
  const result = await syncWhitelist(session);
  const text = result.changed
    ? `Pushed the whitelist (${session.whitelist.length} contact(s)) to ${session.target}: ${result.applied.writes} write requests.`
    : `The whitelist on ${session.target} is already up to date.`;
  return { changed: result.changed, writes: result.applied.writes, breakdown: result.applied.breakdown, text };
}

export const sync: Action = async (ctx, _args, opts) => {
  const outcome = await pushWhitelist(ctx, opts);
  ctx.result(outcome.text, { changed: outcome.changed, writes: outcome.writes, breakdown: outcome.breakdown });
};
