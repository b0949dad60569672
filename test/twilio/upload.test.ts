// The Serverless uploader against the twin: the multipart body it builds (binary-safe, with a
// boundary the content cannot hold), Twilio's errors as TwilioUploadError, a lost connection and a
// host that never answers as connection errors with a code.
import { Agent } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeMultipart } from '../../src/twilio/multipart.js';
import { createServerlessUploader, TwilioUploadError, type VersionUpload } from '../../src/twilio/upload.js';
import { cleanEnv, startHarness, type Harness } from '../helpers/twin.js';

let h: Harness;
let functionVersion: (extra?: Partial<VersionUpload>) => VersionUpload;
let assetVersion: (extra?: Partial<VersionUpload>) => VersionUpload;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(async () => {
  h.twin.admin.reset();
  const svc = await h.client.serverless.v1.services.create({ uniqueName: 'up', friendlyName: 'up' });
  const fn = await h.client.serverless.v1.services(svc.sid).functions.create({ friendlyName: 'f' });
  const asset = await h.client.serverless.v1.services(svc.sid).assets.create({ friendlyName: 'a' });
  functionVersion = (extra = {}) => ({
    serviceSid: svc.sid, kind: 'functions', resourceSid: fn.sid, path: 'f', visibility: 'protected',
    content: 'exports.handler = (c, e, cb) => cb(null, "ok");', contentType: 'application/javascript', filename: 'f.js', ...extra,
  });
  assetVersion = (extra = {}) => ({
    serviceSid: svc.sid, kind: 'assets', resourceSid: asset.sid, path: '/a.mp3', visibility: 'public',
    content: new Uint8Array([0]), contentType: 'audio/mpeg', filename: 'a.mp3', ...extra,
  });
});

function storedVersion(sid: string) {
  const all = [...h.twin.state.services.values()].flatMap((s) => [...s.functions.values(), ...s.assets.values()]).flatMap((c) => [...c.versions.values()]);
  return all.find((v) => v.json.sid === sid);
}

describe('the Serverless uploader', () => {
  it('uploads a Function version: path, visibility, file name, type and content as given', async () => {
    const uploader = createServerlessUploader(h.settings, cleanEnv());
    const v = await uploader.upload(functionVersion({ content: 'exports.handler = () => "héllo ✓";' }));
    expect(v).toMatchObject({ sid: expect.stringMatching(/^ZN/), path: '/f', visibility: 'protected' });
    expect(storedVersion(v.sid)).toMatchObject({ filename: 'f.js', contentType: 'application/javascript' });
    expect(storedVersion(v.sid)!.content.toString('utf8')).toBe('exports.handler = () => "héllo ✓";');
  });

  it('keeps binary content byte for byte, line breaks and dashes included', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--homephone-\r\n--\r\n\r\n')]);
    // A view into a larger buffer: only its own bytes are sent.
    const whole = Buffer.concat([Buffer.from('before'), bytes, Buffer.from('after')]);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 6, bytes.length);
    const uploader = createServerlessUploader(h.settings, cleanEnv());
    const v = await uploader.upload(assetVersion({ content: view }));
    expect(Buffer.compare(storedVersion(v.sid)!.content, bytes)).toBe(0);
    expect(storedVersion(v.sid)).toMatchObject({ contentType: 'audio/mpeg', filename: 'a.mp3' });
  });

  it('makes several uploads through one agent, over kept-alive connections', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const uploader = createServerlessUploader(h.settings, cleanEnv(), { agent });
    const versions = await Promise.all([1, 2, 3].map((i) => uploader.upload(assetVersion({ path: `/a${i}.mp3` }))));
    expect(versions.map((v) => v.path)).toEqual(['/a1.mp3', '/a2.mp3', '/a3.mp3']);
    // One socket (maxSockets 1) served all three, and is kept for the next upload.
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    agent.destroy();
  });

  it("throws Twilio's error as a TwilioUploadError: status, code, message and more-info link", async () => {
    const uploader = createServerlessUploader(h.settings, cleanEnv());
    const error = await uploader.upload(functionVersion({ resourceSid: `ZH${'0'.repeat(32)}` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioUploadError);
    expect(error).toMatchObject({ status: 404, code: 20404, moreInfo: 'https://www.twilio.com/docs/errors/20404' });
    const refused = createServerlessUploader({ ...h.settings, authToken: '0'.repeat(32) }, cleanEnv());
    await expect(refused.upload(functionVersion())).rejects.toMatchObject({ name: 'TwilioUploadError', status: 401, code: 20003 });
  });

  it('fails with ECONNRESET when the connection drops after the upload was taken', async () => {
    h.twin.admin.addFault({ path: '/serverless-upload/*', fault: 'after-drop' });
    const uploader = createServerlessUploader(h.settings, cleanEnv());
    const error = (await uploader.upload(functionVersion()).catch((e: unknown) => e)) as Error & { cause: { code: string } };
    expect(error.message).toMatch(/^upload to http:\/\/127\.0\.0\.1:\d+\/serverless-upload\/v1\/Services\/ZS\w+\/Functions\/ZH\w+\/Versions failed: /);
    expect(error.cause.code).toBe('ECONNRESET');
    // The version was made (the answer was lost): the next upload works on the same uploader.
    expect((await uploader.upload(functionVersion())).sid).toMatch(/^ZN/);
  });

  it('gives up with ETIMEDOUT when the upload host never answers', async () => {
    h.twin.admin.addFault({ path: '/serverless-upload/*', fault: 'hang' });
    // The fault never answers, so any timeout ends it: a short one keeps the test short.
    const uploader = createServerlessUploader(h.settings, cleanEnv(), { timeoutMs: 50 });
    const error = (await uploader.upload(functionVersion()).catch((e: unknown) => e)) as Error & { cause: { code: string } };
    expect(error.message).toMatch(/failed: no answer for 0\.05 s$/);
    expect(error.cause.code).toBe('ETIMEDOUT');
  });
});

describe('the multipart body', () => {
  const content = Buffer.from('a body that holds --homephone-aaa and "quotes"');
  const picks = (...boundaries: string[]) => () => boundaries.shift() ?? 'exhausted';

  it('picks another boundary while the content holds the one drawn', () => {
    const { contentType, body } = encodeMultipart([['Path', '/x']], [{ name: 'Content', filename: 'x "1".txt', contentType: 'text/plain', content }], picks('homephone-aaa', 'homephone-bbb'));
    expect(contentType).toBe('multipart/form-data; boundary=homephone-bbb');
    expect(body.toString('utf8')).toBe(
      '--homephone-bbb\r\nContent-Disposition: form-data; name="Path"\r\n\r\n/x\r\n' +
        '--homephone-bbb\r\nContent-Disposition: form-data; name="Content"; filename="x %221%22.txt"\r\nContent-Type: text/plain\r\n\r\n' +
        `${content.toString('utf8')}\r\n--homephone-bbb--\r\n`,
    );
  });

  it('refuses when no boundary drawn is free, and a content type with a line break', () => {
    const file = { name: 'Content', filename: 'x.txt', contentType: 'text/plain', content };
    expect(() => encodeMultipart([], [file], () => 'homephone-aaa')).toThrow(/no multipart boundary/);
    expect(() => encodeMultipart([], [{ ...file, contentType: 'text/plain\r\nX-Evil: 1' }])).toThrow(/line break/);
  });
});
