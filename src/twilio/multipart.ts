// A multipart/form-data body (RFC 7578) built as one Buffer: the Serverless upload host's only
// format. Built by hand rather than through FormData + Blob + fetch, whose streams cost the
// suite several seconds of CPU for a body that is a few kilobytes written once.
import { randomBytes } from 'node:crypto';

export interface FilePart {
  name: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MultipartBody {
  /** `multipart/form-data; boundary=…`, for the request's Content-Type. */
  contentType: string;
  body: Buffer;
}

const CRLF = '\r\n';

/** A name or filename as WHATWG FormData writes it: quotes and line breaks percent-encoded. */
function quoted(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

const randomBoundary = (): string => `homephone-${randomBytes(16).toString('hex')}`;

/**
 * The body of `fields` then `files`. The boundary is random and picked again while it occurs in
 * any part (RFC 2046: it must not), so no content can end a part early. `boundary` is for tests.
 */
export function encodeMultipart(
  fields: ReadonlyArray<readonly [string, string]>,
  files: readonly FilePart[],
  boundary: () => string = randomBoundary,
): MultipartBody {
  for (const f of files) {
    if (/[\r\n]/.test(f.contentType)) throw new Error(`the content type of ${f.filename} holds a line break`);
  }
  const texts = [...fields.flat(), ...files.flatMap((f) => [f.name, f.filename, f.contentType])];
  for (let tries = 0; tries < 10; tries++) {
    const b = boundary();
    if (texts.some((t) => t.includes(b)) || files.some((f) => Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength).includes(b))) {
      continue;
    }
    const chunks: Buffer[] = [];
    for (const [name, value] of fields) {
      chunks.push(Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name=${quoted(name)}${CRLF}${CRLF}${value}${CRLF}`));
    }
    for (const f of files) {
      chunks.push(
        Buffer.from(
          `--${b}${CRLF}Content-Disposition: form-data; name=${quoted(f.name)}; filename=${quoted(f.filename)}${CRLF}` +
            `Content-Type: ${f.contentType}${CRLF}${CRLF}`,
        ),
        Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength),
        Buffer.from(CRLF),
      );
    }
    chunks.push(Buffer.from(`--${b}--${CRLF}`));
    return { contentType: `multipart/form-data; boundary=${b}`, body: Buffer.concat(chunks) };
  }
  throw new Error('no multipart boundary could be found that the content does not hold');
}
