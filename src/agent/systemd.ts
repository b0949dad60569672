// `homephone agent install`: a systemd unit that keeps the agent running (restart on failure,
// logs to journald). It names the config folder, never a secret: the auth token stays in the
// config file (mode 0600) or in an EnvironmentFile the admin creates.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    // The agent ends the buzzes still ringing and exits well within this (it gives its last REST
    // work 10 s); after it systemd would SIGKILL, and the journal would still carry the buzzes over.
    'TimeoutStopSec=20',
    'KillSignal=SIGTERM',
    // Each connection is a file descriptor; the agent holds at most 1,024 and sheds idle ones.
    'LimitNOFILE=4096',
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

/** An account's home folder, from the system's user database (getent, else /etc/passwd). */
export function accountHome(name: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(name)) return undefined;
  let line: string | undefined;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    try {
      line = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.split(':')[0] === name);
    } catch {
      return undefined;
    }
  }
  const fields = line?.split(':');
  return fields && fields[0] === name && fields[5] ? fields[5] : undefined;
}
