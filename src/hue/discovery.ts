// Where the bridge is: an address the user gives, or an mDNS browse for `_hue._tcp.local`.
// node-hue-api's UPnP search is dead (Signify turned SSDP off in 2022) and its N-UPnP search needs
// the internet, so neither is used.
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import { HueError } from './bridge.js';

/** A parsed bridge address. `text` is the canonical form stored in hue.bridgeAddress. */
export interface BridgeAddress {
  /** https for real bridges; http only when asked for explicitly (emulators, tests). */
  protocol: 'http' | 'https';
  host: string;
  port: number;
  text: string;
}

const defaultPort = { http: 80, https: 443 } as const;

/**
 * Accepts `192.168.1.20`, `hue-bridge.local`, `host:port` (HTTPS), `https://host[:port]` and
 * `http://host:port` (plain HTTP, for emulators and tests). Anything else is an InputError.
 */
export function parseBridgeAddress(input: string): BridgeAddress {
  const raw = input.trim();
  const bad = (reason: string) =>
    new InputError(`"${input}" is not a bridge address: ${reason}`, {
      hint: 'give the bridge IP address, e.g. 192.168.1.20 (or http://host:port for an emulator)',
    });
  if (!raw) throw bad('it is empty');
  if (/\s/.test(raw)) throw bad('it contains spaces');
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') throw bad(`${scheme}: is not http or https`);
  let url: URL;
  try {
    url = new URL(scheme ? raw : `https://${raw}`);
  } catch {
    throw bad('it is not a host name or IP address');
  }
  if (url.username || url.password) throw bad('it must not contain a user name or password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw bad('it must not contain a path');
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  // URL keeps IPv6 literals in brackets; the libraries want the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw bad('it has no host');
  const port = url.port ? Number(url.port) : defaultPort[protocol];
  const hostInUrl = isIP(host) === 6 ? `[${host}]` : host;
  const text = protocol === 'https' && port === 443 ? host : `${protocol}://${hostInUrl}:${port}`;
  return { protocol, host, port, text };
}

export interface DiscoveredBridge {
  /** Ready for parseBridgeAddress and hue.bridgeAddress. */
  address: string;
  name: string;
  /** From the TXT record (lower-case), when the bridge advertises it. */
  bridgeId?: string;
  modelId?: string;
}

/** The parts of a resolved mDNS service this module reads (as bonjour-service reports them). */
export interface MdnsService {
  name: string;
  host: string;
  port: number;
  addresses?: string[];
  referer?: { address: string };
  txt?: Record<string, unknown>;
}

export function bridgeFromService(service: MdnsService): DiscoveredBridge {
  const addresses = service.addresses ?? [];
  // IPv4 first: link-local IPv6 addresses need a zone id the libraries cannot take.
  const ip = addresses.find((a) => isIP(a) === 4) ?? service.referer?.address ?? addresses[0] ?? service.host;
  const hostInUrl = isIP(ip) === 6 ? `[${ip}]` : ip;
  const txt = service.txt ?? {};
  const text = (key: string) => (typeof txt[key] === 'string' ? (txt[key] as string) : undefined);
  const bridgeId = text('bridgeid')?.toLowerCase();
  const modelId = text('modelid');
  return {
    address: service.port === 443 || !service.port ? ip : `${hostInUrl}:${service.port}`,
    name: service.name,
    ...(bridgeId ? { bridgeId } : {}),
    ...(modelId ? { modelId } : {}),
  };
}

export interface DiscoverOptions {
  /** How long to listen for answers. A bridge answers within a second on a healthy network. */
  timeoutMs?: number;
}

/** Browses `_hue._tcp.local` for `timeoutMs` and returns every bridge that answered (none is not an error). */
export async function discoverBridges(options: DiscoverOptions = {}): Promise<DiscoveredBridge[]> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const { Bonjour } = await import('bonjour-service');
  let failure: Error | undefined;
  // Without an error callback bonjour-service throws from a socket event, crashing the process.
  const bonjour = new Bonjour({}, (err: Error) => void (failure ??= err));
  const found = new Map<string, DiscoveredBridge>();
  const browser = bonjour.find({ type: 'hue', protocol: 'tcp' }, (service) => {
    const bridge = bridgeFromService(service);
    found.set(bridge.bridgeId ?? bridge.address, bridge);
  });
  await new Promise((resolve) => setTimeout(resolve, timeoutMs));
  browser.stop();
  await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  if (failure && found.size === 0) {
    throw new HueError('discovery', `mDNS discovery failed: ${failure.message}`, {
      cause: failure,
      hint: 'give the bridge address instead (the Hue app shows it under Settings > My Hue system > Bridge)',
    });
  }
  return [...found.values()].sort((a, b) => a.address.localeCompare(b.address));
}
