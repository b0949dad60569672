// `homephone sip phone-config`: the DP750's provisioning file or its web-UI checklist.
import type { Action } from '../define.js';
import { ConfigStore } from '../../config/store.js';
import { MASK } from '../../config/secrets.js';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../util/files.js';
import {
  TWILIO_EDGES,
  dp750Xml,
  isTwilioEdge,
  normaliseMac,
  phoneChecklist,
  phoneSettings,
  type SipTransport,
} from '../../household/sip-phone.js';

export const phoneConfig: Action = async (ctx, _args, opts) => {
  const household = ConfigStore.open(ctx.env).read().household ?? {};
  if (!household.sipDomain || !household.sipUsername) {
    throw new InputError('no SIP domain or user name is configured', { hint: 'run homephone init' });
  }
  if (!household.sipPassword) {
    throw new InputError('the SIP phone has no password yet', {
      hint: 'homephone deploy creates the credential and keeps its password in the configuration',
    });
  }
  const edge = String(opts.edge);
  if (!isTwilioEdge(edge)) throw new InputError(`unknown Twilio edge "${edge}"`, { hint: `use one of ${TWILIO_EDGES.join(', ')}` });
  const mac = opts.mac === undefined ? null : normaliseMac(String(opts.mac));
  if (opts.mac !== undefined && !mac) {
    throw new InputError(`"${String(opts.mac)}" is not a MAC address`, { hint: 'twelve hex digits, e.g. 00:0B:82:AA:BB:CC (on the base station\'s label)' });
  }
  const account = {
    sipDomain: household.sipDomain,
    sipUsername: household.sipUsername,
    sipPassword: household.sipPassword,
    displayName: String(opts.displayName),
  };
  const settings = phoneSettings(account, edge, opts.transport as SipTransport);
  const shownSettings = settings.map((s) => (s.secret && !opts.showSecrets ? { ...s, value: MASK } : s));
  const format = String(opts.format);

  if (format === 'checklist') {
    const text = phoneChecklist(settings, account, Boolean(opts.showSecrets));
    if (opts.out) {
      const file = ctx.resolvePath(String(opts.out));
      writeFileAtomic(file, `${text}\n`);
      ctx.result(`Wrote the checklist to ${file}`, { format, file, settings: shownSettings });
    } else {
      ctx.result(text, { format, settings: shownSettings });
    }
    return;
  }
  // The file holds the password in clear: written with mode 0600, never printed.
  const file = ctx.resolvePath(opts.out === undefined ? `cfg${mac ?? ''}.xml` : String(opts.out));
  writeFileAtomic(file, dp750Xml(settings, mac), 0o600);
  ctx.result(
    [
      `Wrote ${file} (mode 0600: it holds the SIP password).`,
      mac ? '' : 'No --mac given: the file has no <mac> element, so any DP750 accepts it.',
      'Upload it in the DP750 web UI (Maintenance > Upgrade and Provisioning), or serve it to the phone',
      'from your provisioning server; then delete it.',
    ]
      .filter(Boolean)
      .join('\n'),
    { format, file, mac, edge, settings: shownSettings },
  );
};
