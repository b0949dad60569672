// Twilio.Response as the Functions runtime provides it, and how a callback's answer becomes HTTP.
export class TwilioResponse {
  statusCode = 200;
  body: unknown = undefined;
  headers: Record<string, string> = {};

  setStatusCode(code: number): this {
    this.statusCode = code;
    return this;
  }

  setBody(body: unknown): this {
    this.body = body;
    return this;
  }

  appendHeader(key: string, value: string): this {
    this.headers[key] = value;
    return this;
  }

  setHeaders(headers: Record<string, string>): this {
    this.headers = { ...headers };
    return this;
  }

  setCookie(key: string, value: string, attributes: string[] = []): this {
    this.headers['Set-Cookie'] = [`${key}=${value}`, ...attributes].join(';');
    return this;
  }

  removeCookie(key: string): this {
    this.headers['Set-Cookie'] = `${key}=;Max-Age=0`;
    return this;
  }
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** TwiML builders (VoiceResponse, MessagingResponse) serialise to XML. */
function isTwiml(value: unknown): value is { toString(): string } {
  return typeof value === 'object' && value !== null && 'response' in value && typeof (value as { toString?: unknown }).toString === 'function';
}

/** What Twilio's runtime sends for callback(null, result). */
export function toHttp(result: unknown): HttpAnswer {
  if (result instanceof TwilioResponse) {
    const b = result.body;
    const body = b === undefined || b === null ? '' : typeof b === 'string' ? b : Buffer.isBuffer(b) ? b.toString('utf8') : JSON.stringify(b);
    const contentType = header(result.headers, 'content-type') ?? (typeof b === 'object' && b !== null ? 'application/json' : 'text/html; charset=utf-8');
    return { status: result.statusCode, contentType, body, headers: result.headers };
  }
  if (result === undefined || result === null) return { status: 200, contentType: 'text/html; charset=utf-8', body: '', headers: {} };
  if (isTwiml(result)) return { status: 200, contentType: 'text/xml', body: result.toString(), headers: {} };
  if (typeof result === 'string') return { status: 200, contentType: 'text/html; charset=utf-8', body: result, headers: {} };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(result), headers: {} };
}
