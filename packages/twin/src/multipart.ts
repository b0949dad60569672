// multipart/form-data bodies (RFC 7578), as the Serverless upload host takes them. Parsed on the
// Buffer (binary-safe) instead of through `new Request(…).formData()`, whose streams and Blobs cost
// far more CPU than the parse itself. At least as strict as Node's fetch parser: anything it
// refuses is refused here, and a few things it lets through are refused too (a boundary that is
// not RFC 2046's, data after the closing delimiter, a header line that is not a header).

export interface MultipartPart {
  name: string;
  /** Present for a file part (its Content-Disposition has a filename). */
  filename?: string;
  /** The part's Content-Type, lower-cased; a file part without one is text/plain (RFC 7578 §4.4). */
  type?: string;
  content: Buffer;
}

/** The body cannot be read as multipart/form-data; `message` says why. */
export class MultipartError extends Error {}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
// RFC 2046 §5.1.1: 1 to 70 of these, not ending in a space.
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const DISPOSITION = /^form-data; name="([^"]*)"(?:; filename="([^"]*)")?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const utf8 = new TextDecoder(); // drops a BOM and replaces broken sequences, as FormData does

/** The boundary named by a `multipart/form-data; boundary=…` Content-Type. */
export function multipartBoundary(contentType: string): string {
  const [essence, ...params] = contentType.split(';');
  if (essence!.trim().toLowerCase() !== 'multipart/form-data') throw new MultipartError(`the type is ${essence!.trim()}`);
  const boundaries = params
    .map((p) => /^\s*boundary\s*=\s*(?:"([^"]*)"|([^\s"]*))\s*$/i.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1] ?? m[2]!);
  if (boundaries.length !== 1) throw new MultipartError(boundaries.length ? 'the Content-Type names two boundaries' : 'the Content-Type names no boundary');
  const boundary = boundaries[0]!;
  if (!BCHARS.test(boundary)) throw new MultipartError('the boundary is not 1 to 70 of the characters RFC 2046 allows');
  return boundary;
}

/** Percent-decodes what FormData encodes in names and filenames: quotes and line breaks. */
const unescapeName = (s: string) => s.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"');

const isCrlf = (b: Buffer, at: number) => b[at] === CR && b[at + 1] === LF;

function parseHeaders(lines: string): { name: string; filename?: string; type?: string } {
  let disposition: RegExpExecArray | undefined;
  let type: string | undefined;
  for (const line of lines === '' ? [] : lines.split('\r\n')) {
    const colon = line.indexOf(':');
    const field = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!TOKEN.test(field)) throw new MultipartError(`a part has a header line that is not a header: ${JSON.stringify(line.slice(0, 80))}`);
    const value = line.slice(colon + 1).trim();
    if (/[\r\n]/.test(value)) throw new MultipartError('a part header holds a bare line break');
    switch (field.toLowerCase()) {
      case 'content-disposition': {
        if (disposition) throw new MultipartError('a part has two Content-Disposition headers');
        const m = DISPOSITION.exec(value);
        if (!m) throw new MultipartError(`a part's Content-Disposition is not form-data with a quoted name: ${JSON.stringify(value.slice(0, 80))}`);
        disposition = m;
        break;
      }
      case 'content-type':
        if (type !== undefined) throw new MultipartError('a part has two Content-Type headers');
        if (!PRINTABLE_ASCII.test(value)) throw new MultipartError('a part has a Content-Type that is not printable ASCII');
        type = value.toLowerCase();
        break;
      case 'content-transfer-encoding':
        // RFC 7578 §4.7: senders must not use it; only the identity encodings are taken.
        if (!/^(7bit|8bit|binary)$/i.test(value)) throw new MultipartError(`a part has Content-Transfer-Encoding ${value}`);
        break;
      default:
      // Other headers carry nothing form-data needs.
    }
  }
  if (!disposition) throw new MultipartError('a part has no Content-Disposition, so no name');
  const filename = disposition[2] === undefined ? undefined : unescapeName(disposition[2]);
  return {
    name: unescapeName(disposition[1]!),
    ...(filename === undefined ? {} : { filename, type: type ?? 'text/plain' }),
    ...(filename === undefined && type !== undefined ? { type } : {}),
  };
}

/** The parts of `body`, in order; throws MultipartError when it is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: MultipartPart[] = [];
  if (!body.subarray(0, delimiter.length).equals(delimiter)) throw new MultipartError('the body does not start with the boundary');
  let pos = delimiter.length;
  for (;;) {
    // After a delimiter: "--" closes the body (then at most a CRLF), a CRLF opens a part.
    if (body[pos] === DASH && body[pos + 1] === DASH) {
      const rest = body.length - (pos + 2);
      if (rest === 0 || (rest === 2 && isCrlf(body, pos + 2))) return parts;
      throw new MultipartError('the body goes on after its closing boundary');
    }
    if (!isCrlf(body, pos)) throw new MultipartError(pos >= body.length ? 'the body ends without its closing boundary' : 'a boundary is not followed by a line break');
    pos += 2;
    const headersEnd = isCrlf(body, pos) ? pos : body.indexOf('\r\n\r\n', pos, 'latin1');
    if (headersEnd < 0) throw new MultipartError('a part has no blank line after its headers');
    const headers = parseHeaders(utf8.decode(body.subarray(pos, headersEnd)));
    const start = headersEnd === pos ? pos + 2 : headersEnd + 4;
    // The boundary may not occur inside a part (RFC 2046 §5.1.1): its first occurrence must be
    // the next delimiter, CRLF "--" boundary.
    const at = body.indexOf(delimiter.subarray(2), start);
    if (at < 0) throw new MultipartError('the body ends without its closing boundary');
    if (at < start + 4 || !isCrlf(body, at - 4) || body[at - 2] !== DASH || body[at - 1] !== DASH) {
      throw new MultipartError('the boundary occurs inside a part, not as a delimiter on a line of its own');
    }
    const content = Buffer.from(body.subarray(start, at - 4));
    parts.push({ ...headers, content });
    pos = at + delimiter.length - 2;
  }
}

/** A part's content as a form value: UTF-8 (without a BOM), as FormData decodes it. */
export const partText = (part: MultipartPart): string => utf8.decode(part.content);
