// sip credentials: read from the configuration only (Twilio never shows a SIP password back).
import type { Action } from '../define.js';
import { ConfigStore } from '../../config/store.js';
import { MASK } from '../../config/secrets.js';
import { InputError } from '../../errors.js';
import { edgeHost } from '../../household/sip-phone.js';

export const credentials: Action = async (ctx, _args, opts) => {
  const household = ConfigStore.open(ctx.env).read().household ?? {};
  if (!household.sipDomain || !household.sipUsername) {
    throw new InputError('no SIP domain or user name is configured', { hint: 'run homephone init' });
  }
  const password = household.sipPassword;
  const shown = password === undefined ? null : opts.showSecrets ? password : MASK;
  const data = {
    domain: household.sipDomain,
    username: household.sipUsername,
    password: shown,
    sipServer: edgeHost(household.sipDomain, 'ashburn'),
    uri: `sip:${household.sipUsername}@${household.sipDomain}`,
  };
  ctx.result(
    () =>
      [
        `SIP server              ${data.sipServer}  (or the edge nearest you: ${data.domain.replace('.sip.', '.sip.<edge>.')})`,
        `User name               ${data.username}`,
        `Password                ${shown ?? '(none yet: homephone deploy generates one and keeps it in the configuration)'}`,
        `The phone's address     ${data.uri}`,
        'Everything else the phone needs: homephone sip phone-config',
        ...(shown === MASK ? ['', 'The password is masked: add --show-secrets to see it.'] : []),
      ].join('\n'),
    data,
  );
};
