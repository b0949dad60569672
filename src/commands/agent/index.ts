// `homephone agent …`: the buzzer agent, run in the foreground or installed as a service.
import type { Command } from 'commander';
import type { RegisterGroup } from '../define.js';

export const registerAgent: RegisterGroup = (program, lazy) => {
  const agent = program
    .command('agent')
    .description('run the buzzer agent: the HTTP(S) server the buzzer number calls (Ctrl-C stops it)')
    .option('--port <n>', 'port to listen on (default: buzzer.port, else 8080)')
    .option('--host <address>', 'address to listen on (default 0.0.0.0; 127.0.0.1 behind a proxy on this machine)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM, e.g. fullchain.pem); default buzzer.tlsCert')
    .option('--tls-key <file>', 'the certificate\'s private key (PEM); default buzzer.tlsKey')
    .option('--log-format <format>', 'text or json: one line per event', 'text')
    .option('--no-startup-sms', 'do not text the first tenant that the agent is up')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone agent --host 127.0.0.1 --port 8080            # behind a TLS proxy\n' +
        '  homephone agent --port 8443 --tls-cert fullchain.pem --tls-key privkey.pem\n' +
        '  homephone agent install --user                          # keep it running with systemd',
    )
    .action(lazy(async () => (await import('./run.js')).runAgent));

  const install = lazy(async () => (await import('./install.js')).installAgent);
  agent
    .command('install')
    .description('write a systemd unit that keeps the agent running (restarts, logs to journald)')
    .option('--print', 'print the unit instead of writing it')
    .option('--user', 'a user unit (systemctl --user) in ~/.config/systemd/user, no root needed')
    .option('--port <n>', 'pass --port to the agent (1-65535)')
    .option('--host <address>', 'pass --host to the agent')
    .option('--run-as <user>', 'the account a system unit runs as (default: you, or the account that ran sudo; never root unless named)')
    .addHelpText(
      'after',
      '\nExamples:\n  homephone agent install --print\n  sudo homephone agent install            # runs as you, with your config folder\n  homephone agent install --user',
    )
    .action((opts: Record<string, unknown>, cmd: Command) => {
      // Commander gives `agent install --port N` to the parent `agent`, which has a --port of its
      // own: take --port and --host from there when install did not get them.
      const parent = cmd.parent?.opts() ?? {};
      return install({ ...opts, port: opts.port ?? parent.port, host: opts.host ?? parent.host }, cmd);
    });
};
