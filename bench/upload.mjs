#!/usr/bin/env node
// CPU per Serverless version upload against an in-process twin: the product's uploader (client)
// and the twin's upload host (server) in one process, so the figure is both sides together.
// Medians over RUNS rounds of N uploads (a 3 KB Function and a 40 KB binary asset, alternately),
// after a warm-up round. Run after `npm run build`: node bench/upload.mjs
import { startTwin } from '../packages/twin/dist/index.js';
import { createServerlessUploader } from '../dist/twilio/upload.js';
import { twinClient } from '../packages/twin/dist/index.js';

const runs = Number(process.env.RUNS ?? 7);
const n = Number(process.env.N ?? 100);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const twin = await startTwin();
const settings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
const client = twinClient(settings);
const svc = await client.serverless.v1.services.create({ uniqueName: 'bench', friendlyName: 'bench' });
const fn = await client.serverless.v1.services(svc.sid).functions.create({ friendlyName: 'f' });
const asset = await client.serverless.v1.services(svc.sid).assets.create({ friendlyName: 'a' });
const code = 'exports.handler = (context, event, callback) => callback(null, "ok");\n'.repeat(45);
const audio = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 256));
const uploader = createServerlessUploader(settings, {});
const upload = (i) =>
  uploader.upload(
    i % 2
      ? { serviceSid: svc.sid, kind: 'assets', resourceSid: asset.sid, path: '/a.wav', visibility: 'public', content: audio, contentType: 'audio/wav', filename: 'a.wav' }
      : { serviceSid: svc.sid, kind: 'functions', resourceSid: fn.sid, path: '/f', visibility: 'protected', content: code, contentType: 'application/javascript', filename: 'f.js' },
  );

const perUpload = [];
for (let r = 0; r <= runs; r++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await upload(i);
  const c = process.cpuUsage(c0);
  if (r > 0) perUpload.push((c.user + c.system) / 1000 / n);
}
await twin.close();
console.log(`upload CPU (client + twin), median of ${runs} rounds of ${n} (node ${process.version}): ${median(perUpload).toFixed(3)} ms per upload`);
