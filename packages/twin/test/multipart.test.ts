// The upload host's multipart/form-data parsing: well-formed bodies keep every byte; malformed ones
// are refused with 400/20001 and create nothing. Raw bodies are posted over node:http so that each
// malformation reaches the twin exactly as written.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverlessUploadBase } from '../src/index.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let versionsUrl: string;
let listVersions: () => Promise<unknown[]>;

beforeAll(async () => {
  h = await startHarness();
  const svc = await h.client.serverless.v1.services.create({ uniqueName: 'multipart', friendlyName: 'multipart' });
  const asset = await h.client.serverless.v1.services(svc.sid).assets.create({ friendlyName: 'a' });
  versionsUrl = `${serverlessUploadBase(h.twin.url)}/v1/Services/${svc.sid}/Assets/${asset.sid}/Versions`;
  listVersions = () => h.client.serverless.v1.services(svc.sid).assets(asset.sid).assetVersions.list();
});
afterAll(async () => {
  await h.twin.close();
});

function post(contentType: string | undefined, body: Buffer | string): Promise<{ status: number; json: Record<string, unknown> }> {
  const auth = Buffer.from(`${h.twin.credentials.accountSid}:${h.twin.credentials.authToken}`).toString('base64');
  const headers: Record<string, string> = { Authorization: `Basic ${auth}` };
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return new Promise((resolve, reject) => {
    const req = request(versionsUrl, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const B = 'twin-test-boundary-0123456789abcdef';
const CT = `multipart/form-data; boundary=${B}`;
const field = (name: string, value: string) => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (content: string) =>
  `--${B}\r\nContent-Disposition: form-data; name="Content"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`;
const good = (content = 'hello') => field('Path', '/a.txt') + field('Visibility', 'public') + filePart(content) + `--${B}--\r\n`;

describe('multipart uploads', () => {
  it('takes a well-formed body, and keeps binary content byte for byte', async () => {
    expect((await post(CT, good())).status).toBe(201);
    // Every byte value, with line breaks and dashes that look like the start of a delimiter.
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--twin\r\n-\r\n\r\n')]);
    const head = field('Path', '/bin') + field('Visibility', 'protected');
    const body = Buffer.concat([
      Buffer.from(`${head}--${B}\r\nContent-Disposition: form-data; name="Content"; filename="b.bin"\r\nContent-Type: Application/Octet-Stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${B}--`), // the final CRLF is optional
    ]);
    const answer = await post(`multipart/form-data; boundary="${B}"`, body);
    expect(answer.status).toBe(201);
    const stored = [...h.twin.state.services.values()].flatMap((s) => [...s.assets.values()]).flatMap((a) => [...a.versions.values()]);
    const version = stored.find((v) => v.json.sid === answer.json.sid);
    expect(version).toMatchObject({ contentType: 'application/octet-stream', filename: 'b.bin' });
    expect(Buffer.compare(version!.content, bytes)).toBe(0);
  });

  const malformed: Array<[string, string | undefined, string, RegExp]> = [
    ['no Content-Type', undefined, good(), /Missing required parameter Content/],
    ['a Content-Type without a boundary', 'multipart/form-data', good(), /names no boundary/],
    ['an empty boundary', 'multipart/form-data; boundary=""', good(), /1 to 70/],
    ['a boundary longer than 70 characters', `multipart/form-data; boundary=${'b'.repeat(71)}`, good(), /1 to 70/],
    ['another multipart type', `multipart/mixed; boundary=${B}`, good(), /the type is multipart\/mixed/],
    ['a body that does not start with the boundary', CT, `preamble\r\n${good()}`, /does not start with the boundary/],
    ['no closing delimiter', CT, field('Path', '/a.txt') + field('Visibility', 'public') + filePart('hello'), /without its closing boundary/],
    ['a delimiter that is never closed', CT, good().replace(`--${B}--\r\n`, `--${B}\r\n`), /no blank line after its headers|closing boundary/],
    ['a truncated body', CT, good().slice(0, -30), /without its closing boundary/],
    ['data after the closing delimiter', CT, `${good()}epilogue`, /goes on after its closing boundary/],
    ['a part without a name', CT, good().replace('name="Visibility"', 'filename="v.txt"'), /not form-data with a quoted name/],
    ['a part without Content-Disposition', CT, good().replace('Content-Disposition: form-data; name="Visibility"', 'X-Note: none'), /no Content-Disposition/],
    ['a disposition other than form-data', CT, good().replace('form-data; name="Path"', 'attachment; name="Path"'), /not form-data/],
    ['an unquoted name', CT, good().replace('name="Path"', 'name=Path'), /not form-data with a quoted name/],
    ['a header line that is not a header', CT, good().replace('Content-Type: text/plain', 'Content-Type text/plain'), /not a header/],
    ['bare LF line breaks', CT, good().replace(/\r\n/g, '\n'), /not followed by a line break/],
    ['the boundary inside a part', CT, good(`hello ${B} world`), /boundary occurs inside a part/],
    ['base64 transfer encoding', CT, good().replace('Content-Type: text/plain', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: base64'), /Content-Transfer-Encoding base64/],
  ];
  it.each(malformed)('refuses %s with 400/20001 and creates nothing', async (_case, contentType, body, message) => {
    const before = (await listVersions()).length;
    const answer = await post(contentType, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 400, code: 20001 });
    expect(String(answer.json.message)).toMatch(message);
    expect(await listVersions()).toHaveLength(before);
  });
});
