// `homephone agent install`: a systemd unit that keeps the agent running (restart on failure,
// logs to journald). It names the config folder, never a secret: the auth token stays in the
// config file (mode 0600) or in an EnvironmentFile the admin creates.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const UNIT_NAME = 'homephone-agent.service';

export interface UnitOptions {
  /** Absolute paths: the node binary and homephone's bin script. */
  node: string;
  bin: string;
  /** The installed package's page on the buzzer and its agent (shipped in the package's docs/). */
  docs: string;
  configDir: string;
  /** A user unit (systemctl --user) rather than a system one. */
  user: boolean;
  /** The account a system unit runs as. */
  runAs?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
}

/** systemd quoting for one ExecStart/Environment word. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}

export function unitText(o: UnitOptions): string {
  const args = [o.node, o.bin, 'agent', '--log-format', 'json'];
  if (o.port !== undefined) args.push('--port', String(o.port));
  if (o.host !== undefined) args.push('--host', o.host);
  const lines = [
    '[Unit]',
    'Description=homephone buzzer agent (answers the apartment buzzer number)',
    // homephone has no man page; the unit points at the installed package's buzzer page.
    `Documentation=${quote(pathToFileURL(o.docs).href)}`,
    'After=network-online.target',
    'Wants=network-online.target',
    // Keep retrying for ever: a box that lost its network must come back by itself.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    ...(o.user || !o.runAs ? [] : [`User=${o.runAs}`]),
    `Environment=${quote(`HOMEPHONE_CONFIG_DIR=${o.configDir}`)}`,
    'Environment=NODE_ENV=production',
    '# Secrets stay in the config file (mode 0600). To keep the auth token out of it instead, put',
    '# TWILIO_AUTH_TOKEN=... in a file only this user can read and name it here:',
    `# EnvironmentFile=${o.user ? '%h/.config/homephone/agent.env' : '/etc/homephone/agent.env'}`,
    `ExecStart=${args.map(quote).join(' ')}`,
    'Restart=always',
    'RestartSec=5',
    'TimeoutStopSec=20',
    'KillSignal=SIGTERM',
    'StandardOutput=journal',
    'StandardError=journal',
    'SyslogIdentifier=homephone-agent',
    'NoNewPrivileges=true',
    'PrivateTmp=true',
    '',
    '[Install]',
    `WantedBy=${o.user ? 'default.target' : 'multi-user.target'}`,
    '',
  ];
  return lines.join('\n');
}

/** Where the unit goes: /etc/systemd/system, or the user's systemd folder. */
export function unitPath(user: boolean, env: NodeJS.ProcessEnv): string {
  if (!user) return join('/etc/systemd/system', UNIT_NAME);
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'systemd', 'user', UNIT_NAME);
}

/** What to run after the unit is written. */
export function enableSteps(user: boolean): string[] {
  return user
    ? [
        'systemctl --user daemon-reload',
        `systemctl --user enable --now ${UNIT_NAME}`,
        'loginctl enable-linger "$USER"   # keep it running while you are logged out, and start it at boot',
        `journalctl --user -u ${UNIT_NAME} -f   # its log`,
      ]
    : ['sudo systemctl daemon-reload', `sudo systemctl enable --now ${UNIT_NAME}`, `journalctl -u ${UNIT_NAME} -f   # its log`];
}
