// The SIP desk phone's settings (a Grandstream DP750 registered to the Twilio SIP domain), as one
// list that both the provisioning file and the web-UI checklist are made from, so they never differ.
// P-values: FusionPBX's DP750 template for firmware 1.0.2.16 (see reference/hue-and-sip-phone.md §4).

export const TWILIO_EDGES = ['ashburn', 'umatilla', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo'] as const;
export type TwilioEdge = (typeof TWILIO_EDGES)[number];
export type SipTransport = 'tls' | 'tcp';

export interface PhoneAccount {
  sipDomain: string;
  sipUsername: string;
  sipPassword: string;
  displayName: string;
}

export interface PhoneSetting {
  /** Where it is in the DP750 web UI. */
  page: string;
  label: string;
  /** The provisioning key, e.g. P47. */
  p: string;
  value: string;
  /** How the web UI shows the value, when that is not the raw value. */
  display?: string;
  secret?: boolean;
  why?: string;
}

/** `home.sip.twilio.com` + `ashburn` → `home.sip.ashburn.twilio.com`: phones register to an edge. */
export function edgeHost(sipDomain: string, edge: TwilioEdge): string {
  const label = sipDomain.replace(/\.sip\.twilio\.com$/, '');
  return `${label}.sip.${edge}.twilio.com`;
}

export function isTwilioEdge(value: string): value is TwilioEdge {
  return (TWILIO_EDGES as readonly string[]).includes(value);
}

/** "00:0B:82:AA:BB:CC" → "000b82aabbcc", or null when it is not a MAC address. */
export function normaliseMac(input: string): string | null {
  const hex = input.trim().toLowerCase().replace(/[:\-.\s]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? hex : null;
}

export function phoneSettings(account: PhoneAccount, edge: TwilioEdge, transport: SipTransport): PhoneSetting[] {
  const profile = 'Profiles > Profile 1';
  const sipAccount = 'SIP Accounts > Account 1';
  return [
    { page: profile, label: 'Profile Active', p: 'P271', value: '1', display: 'Yes' },
    {
      page: profile,
      label: 'Primary SIP Server',
      p: 'P47',
      value: edgeHost(account.sipDomain, edge),
      why: 'register to an edge host; Twilio still rings the phone at the global URI',
    },
    { page: profile, label: 'Outbound Proxy', p: 'P48', value: '', why: 'none needed with an edge host' },
    {
      page: profile,
      label: 'SIP Transport',
      p: 'P130',
      value: transport === 'tls' ? '2' : '1',
      display: transport.toUpperCase(),
      why: 'TLS or TCP: large authenticated INVITEs over UDP fragment and get dropped',
    },
    { page: profile, label: 'SIP Registration', p: 'P31', value: '1', display: 'Yes' },
    { page: profile, label: 'Register Expiration (minutes)', p: 'P32', value: '60', why: 'at least 10; Twilio asks for no more than one refresh per 600 s' },
    { page: profile, label: 'NAT Traversal', p: 'P52', value: '2', display: 'Keep-Alive', why: 'keep-alives hold the NAT pinhole open between registrations' },
    { page: profile, label: 'DTMF (1st)', p: 'P850', value: '101', display: 'RFC2833', why: 'RFC 2833: the only kind <Gather> detects' },
    { page: profile, label: 'DTMF Payload Type', p: 'P79', value: '101' },
    { page: profile, label: 'Preferred Vocoder 1', p: 'P57', value: '0', display: 'PCMU', why: 'PCMU (G.711 µ-law), what Twilio speaks' },
    { page: profile, label: 'Preferred Vocoder 2', p: 'P58', value: '8', display: 'PCMA', why: 'PCMA' },
    { page: sipAccount, label: 'Account Active', p: 'P4595', value: '1', display: 'Yes' },
    { page: sipAccount, label: 'SIP User ID', p: 'P4060', value: account.sipUsername },
    { page: sipAccount, label: 'Authenticate ID', p: 'P4090', value: account.sipUsername, why: 'the same as the user ID' },
    { page: sipAccount, label: 'Password', p: 'P4120', value: account.sipPassword, secret: true },
    { page: sipAccount, label: 'Name (display)', p: 'P4180', value: account.displayName },
    { page: sipAccount, label: 'Profile', p: 'P4150', value: '0', display: 'Profile 1' },
    { page: 'Handsets > Line mapping', label: 'Handset 1, line 1', p: 'P4300', value: '1', display: 'Account 1' },
  ];
}

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The provisioning file the DP750 fetches as cfg<mac>.xml. */
export function dp750Xml(settings: PhoneSetting[], mac: string | null): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- homephone: Grandstream DP750 provisioning. It holds the SIP password: keep it private and',
    '     delete it once the phone has fetched it. P-values from the DP750 template for firmware',
    '     1.0.2.16; check them against Grandstream\'s template for your firmware. -->',
    '<gs_provision version="1">',
    ...(mac ? [`  <mac>${mac}</mac>`] : []),
    '  <config version="1">',
    ...settings.map((s) => `    <${s.p}>${xmlEscape(s.value)}</${s.p}>  <!-- ${s.page}: ${s.label} -->`),
    '  </config>',
    '</gs_provision>',
    '',
  ];
  return lines.join('\n');
}

/** The same settings as a web-UI checklist, secrets masked unless shown. */
export function phoneChecklist(settings: PhoneSetting[], account: PhoneAccount, showSecrets: boolean): string {
  const out: string[] = ['Grandstream DP750 web UI (log in as admin), then Save and Apply on each page:'];
  let page = '';
  for (const s of settings) {
    if (s.page !== page) {
      page = s.page;
      out.push('', page);
    }
    const value = s.secret && !showSecrets ? '******** (add --show-secrets)' : s.value === '' ? '(empty)' : (s.display ?? s.value);
    out.push(`  [ ] ${s.label}: ${value}${s.why ? `  — ${s.why}` : ''}`);
  }
  out.push(
    '',
    'Then check:',
    `  [ ] Status > Account Status shows Account 1 registered`,
    `  [ ] Twilio calls the phone at the global URI sip:${account.sipUsername}@${account.sipDomain} (never an edge URI: error 32220)`,
    '  [ ] A call to the home number rings the handset; a test call out (e.g. your cell) connects',
  );
  return out.join('\n');
}
