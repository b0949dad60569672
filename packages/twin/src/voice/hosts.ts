// Host mappings: requests the twin makes to a public host (the agent's https://buzz.example.org,
// the placeholder host of a console export) go to a local address instead. The request is still
// signed for the URL as the application configured it, as Twilio would sign it, so a server that
// checks signatures against its public URL accepts it — the twin plays a reverse proxy.

export interface HostMapping {
  /** A host name, lower case (no scheme, port or path): buzz.example.org. */
  host: string;
  /** A base URL (http://127.0.0.1:8080, optionally with a path prefix) or another host name (no port). */
  target: string;
}

export class HostMappingError extends Error {}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Accepts `buzz.example.org` or `https://buzz.example.org/`; gives the bare host name. */
function normaliseHost(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  let host = text.toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) {
    let u: URL;
    try {
      u = new URL(host);
    } catch {
      throw new HostMappingError(`host ${JSON.stringify(text)} is not a host name`);
    }
    if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.port || u.username) {
      throw new HostMappingError(`host ${JSON.stringify(text)}: give the host name only (mappings apply to every path and port of a host)`);
    }
    host = u.hostname;
  }
  if (!HOST_NAME.test(host)) throw new HostMappingError(`host ${JSON.stringify(text)} is not a host name (e.g. buzz.example.org)`);
  return host;
}

/** Accepts http(s)://address[:port][/prefix] or a bare host name. */
function normaliseTarget(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) throw new HostMappingError('target is missing (e.g. http://127.0.0.1:8080)');
  if (text.includes('://')) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new HostMappingError(`target ${JSON.stringify(text)} is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HostMappingError(`target ${JSON.stringify(text)}: only http and https are served`);
    if (u.search || u.hash || u.username) throw new HostMappingError(`target ${JSON.stringify(text)}: give a base URL without query, fragment or credentials`);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  }
  // A bare host keeps the request's own scheme and port: meant for another public or deployed
  // domain (x-1234-production.twil.io). A local server needs its scheme and port: a base URL.
  const name = text.toLowerCase();
  if (!HOST_NAME.test(name)) {
    throw new HostMappingError(`target ${JSON.stringify(text)} is neither a base URL (http://127.0.0.1:8080) nor a host name`);
  }
  return name;
}

/** Checks and normalises one mapping; throws HostMappingError with a message fit for a user. */
export function checkHostMapping(host: unknown, target: unknown): HostMapping {
  return { host: normaliseHost(host), target: normaliseTarget(target) };
}

/** Parses `HOST=URL` (the CLI's --host-map form). */
export function parseHostMapping(text: string): HostMapping {
  const i = text.indexOf('=');
  if (i <= 0) throw new HostMappingError(`${JSON.stringify(text)} is not HOST=URL (e.g. buzz.example.org=http://127.0.0.1:8080)`);
  return checkHostMapping(text.slice(0, i), text.slice(i + 1));
}

export class HostMap {
  private readonly entries = new Map<string, string>();

  /** Maps `host` to `target` (replacing an earlier mapping of the host). */
  map(host: string, target: string): HostMapping {
    const m = checkHostMapping(host, target);
    this.entries.set(m.host, m.target);
    return m;
  }

  /** Removes a mapping; false when the host was not mapped. */
  unmap(host: string): boolean {
    let name: string;
    try {
      name = normaliseHost(host);
    } catch {
      return false;
    }
    return this.entries.delete(name);
  }

  list(): HostMapping[] {
    return [...this.entries].map(([host, target]) => ({ host, target }));
  }

  clear(): void {
    this.entries.clear();
  }

  /** Where a request to `url` really goes (the URL itself when its host is not mapped). */
  route(url: URL): URL {
    const target = this.entries.get(url.hostname.toLowerCase());
    if (!target) return url;
    if (target.includes('://')) {
      const base = new URL(target);
      return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`);
    }
    const routed = new URL(url.toString());
    routed.host = target;
    return routed;
  }
}
