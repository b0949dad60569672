// whitelist sync (and --deploy on add/remove/import): write the contacts the owner texted (allow,
// block) into the whitelist file, then push the whitelist asset alone, as one asset version, one
// build and one deployment.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { progressFor } from '../deploy/progress.js';
import { whitelistPath } from '../../config/paths.js';
import { visible } from '../../util/visible.js';

export interface SyncOutcome {
  changed: boolean;
  writes: number;
  breakdown: Record<string, number>;
  /** Changes the owner texted (allow/block), written into the whitelist file by this sync. */
  texted: Array<{ number: string; action: string; person: string | null; at: string; effect: string }>;
  text: string;
}

const EFFECTS: Record<string, string> = {
  added: 'added',
  renamed: 'renamed',
  removed: 'removed',
  already: 'already so',
  superseded: 'not written: this command changed that number since',
};

export async function pushWhitelist(ctx: CommandContext, opts: Record<string, unknown>, changedLocally: string[] = []): Promise<SyncOutcome> {
  const { openSession, syncWhitelistWithTexts } = await import('../../deploy/index.js');
  const session = await openSession(ctx.env, {
    ...(typeof opts.twin === 'string' && opts.twin ? { twinUrl: opts.twin } : {}),
    progress: await progressFor(ctx),
  });
  const { sync: result, folded } = await syncWhitelistWithTexts(session, whitelistPath(ctx.env), { changedLocally });
  const lines = folded.length
    ? [
        `Wrote ${folded.length} change(s) texted to the home number into the whitelist:`,
        ...folded.map((f) => `  ${f.action} ${f.person ? `${visible(f.person)} ` : ''}${f.number} (texted ${f.at}): ${EFFECTS[f.effect] ?? f.effect}`),
      ]
    : [];
  lines.push(
    result.changed
      ? `Pushed the whitelist (${session.whitelist.length} contact(s)) to ${session.target}: ${result.applied.writes} write requests.`
      : `The whitelist on ${session.target} is already up to date.`,
  );
  return { changed: result.changed, writes: result.applied.writes, breakdown: result.applied.breakdown, texted: folded, text: lines.join('\n') };
}

export const sync: Action = async (ctx, _args, opts) => {
  const outcome = await pushWhitelist(ctx, opts);
  ctx.result(outcome.text, { changed: outcome.changed, writes: outcome.writes, breakdown: outcome.breakdown, texted: outcome.texted });
};
