// `homephone agent`: start the agent from the configuration and run it until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import type { CommandContext } from '../context.js';
import { HomephoneError, InputError } from '../../errors.js';
import { waitForStop } from '../signals.js';

/** --port: 1-65535, or 0 (a free port) where `free` allows it. */
export function parsePort(raw: unknown, free = false): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < (free ? 0 : 1) || port > 65535) {
    throw new InputError(`--port ${text} is not a port number`, { hint: free ? 'use 1-65535 (0: any free port)' : 'use 1-65535' });
  }
  return port;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'check the path and that this user may read it (e.g. /etc/letsencrypt/live/<domain>/)',
    });
  }
}

export async function runAgent(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const format = String(opts.logFormat ?? 'text');
  if (format !== 'text' && format !== 'json') {
    throw new InputError(`--log-format ${format} is not a format`, { hint: 'use text or json' });
  }
  const { ConfigStore } = await import('../../config/store.js');
  const { configDir } = await import('../../config/paths.js');
  const { twilioCredentials } = await import('../../config/secrets.js');
  const { agentSettings, createLogger, restOverTwilio, startAgent } = await import('../../agent/index.js');
  const { configModes } = await import('../../agent/modes.js');
  const store = ConfigStore.open(ctx.env);
  const config = store.read();
  const settings = agentSettings(config, ctx.env, {
    port: parsePort(opts.port, true),
    host: typeof opts.host === 'string' ? opts.host : undefined,
    tlsCert: typeof opts.tlsCert === 'string' ? opts.tlsCert : undefined,
    tlsKey: typeof opts.tlsKey === 'string' ? opts.tlsKey : undefined,
  });
  const tls = settings.tls ? { cert: readPem(ctx.resolvePath(settings.tls.cert), 'certificate'), key: readPem(ctx.resolvePath(settings.tls.key), 'key') } : undefined;
  const logger = createLogger({ format, write: (line) => void ctx.io.stderr.write(line) });

  // The SDK loads here, once, before the first webhook can arrive.
  const { createTwilioClient } = await import('../../twilio/client.js');
  const client = createTwilioClient(twilioCredentials(config, ctx.env), ctx.env);
  const hueConfig = config.hue;
  const hue =
    hueConfig?.bridgeAddress && hueConfig.username
      ? (await import('../../hue/index.js')).createNodeHueBridge({ address: hueConfig.bridgeAddress, username: hueConfig.username })
      : undefined;

  // The modes are re-read from config.json on each buzz; the owner's texts write the window there.
  const { modes, window } = configModes(store, config, logger);
  const agent = await startAgent({
    settings,
    rest: restOverTwilio(client),
    hue,
    logger,
    tls,
    modes,
    window,
    startupSms: opts.startupSms !== false,
    // Buzzes in progress are journalled beside the configuration: a restart loses none.
    stateDir: configDir(ctx.env),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') {
      throw new HomephoneError(`port ${settings.port} on ${settings.host} is already in use`, {
        hint: 'stop what uses it (another agent?) or pick another --port',
      });
    }
    if (e.code === 'EACCES') {
      throw new HomephoneError(`not allowed to listen on port ${settings.port}`, { hint: 'use a port above 1023, behind a proxy or a port forward' });
    }
    throw new HomephoneError(`the agent could not start: ${e.message}`, { cause: e });
  });
  const signal = await waitForStop();
  logger.info('agent.stopping', { signal });
  await agent.close();
  // The agent has stopped (every timer, every connection). A REST request that never answered may
  // still hold a socket open: it must not keep the process past systemd's TimeoutStopSec.
  setTimeout(() => process.exit(), 1000).unref();
}
