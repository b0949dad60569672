// Twilio signs the URL it requested, as configured, not what this server sees behind a proxy: so
// every check is made against the configured public URL, never the Host header or the scheme the
// request arrived with. The SDK's own validation (only its webhooks module, not the whole SDK).
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

export class PublicUrl {
  /** https://host[:port] in lower case, as Twilio signs it. */
  readonly origin: string;
  /** The public path prefix without a trailing slash ('' for https://host/). */
  readonly prefix: string;

  constructor(readonly configured: string) {
    const u = new URL(configured);
    this.origin = `${u.protocol}//${u.host}`.toLowerCase();
    this.prefix = u.pathname.replace(/\/+$/, '');
  }

  /** The absolute public URL of an agent path ('/tenant?buzz=…'). */
  to(path: string): string {
    return `${this.origin}${this.prefix}${path}`;
  }

  /**
   * The path below the public prefix. A proxy may pass the prefix through (/buzzer/tenant) or strip
   * it (/tenant): both are accepted.
   */
  relative(pathname: string): string {
    if (this.prefix && (pathname === this.prefix || pathname.startsWith(`${this.prefix}/`))) {
      return pathname.slice(this.prefix.length) || '/';
    }
    return pathname || '/';
  }
}

export class SignatureChecker {
  constructor(
    private readonly authToken: string,
    private readonly url: PublicUrl,
  ) {}

  /**
   * Whether `signature` is Twilio's over the public URL of `relative` + `search` and the form
   * parameters. The voice webhook is also checked against the public URL exactly as configured
   * (with or without its trailing slash, as the number's voice URL names it).
   */
  valid(signature: string | undefined, relative: string, search: string, params: Record<string, string>): boolean {
    if (!signature) return false;
    if (validateRequest(this.authToken, signature, this.url.to(relative) + search, params)) return true;
    return relative === '/' && validateRequest(this.authToken, signature, this.url.configured + search, params);
  }
}
