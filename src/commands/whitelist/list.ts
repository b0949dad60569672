// `whitelist list` stays light (no config store, no phone library): it is run often and must start fast.
import type { Action } from '../define.js';
import { whitelistPath } from '../../config/paths.js';
import { readWhitelist } from '../../config/whitelist-file.js';
import { formatTable } from '../table.js';
import { visible } from '../../util/visible.js';

export const list: Action = async (ctx) => {
  const contacts = readWhitelist(whitelistPath(ctx.env));
  ctx.result(() => {
    if (contacts.length === 0) return 'The whitelist is empty. Add someone: homephone whitelist add <number> --name <person>';
    return formatTable(
      ['Number', 'Person', 'Bedtime override', 'Primary contact'],
      // Names come from files anyone may have sent: shown with their control characters escaped.
      contacts.map((c) => [c.Number, visible(c.Person), c.OverrideBedtime ? 'yes' : 'no', visible(c.PrimaryContact ?? '')]),
    );
  }, contacts);
};
