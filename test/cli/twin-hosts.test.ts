// The standalone twin reaches a local server: `homephone twin start` (the built binary), a real
// `homephone agent` process configured with the public URL https://buzz.example.org/, `homephone
// deploy` into the twin (the buzzer number's voice URL becomes that public URL), the host mapped
// with POST /_twin/hosts, and a buzz
// placed with `homephone twin call`. The agent checks every webhook's signature against its public
// URL, so the buzz going through proves the twin signs for the public URL while calling the local one.
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/twilio/client.js';
import { bin, homephone, initFlags, tempDir } from '../helpers/cli.js';

const HOME = '+15551230000'; // initFlags' home number: deploy configures it too
const BUZZER = '+15551239999';
const ENTERPHONE = '+15551238888';
const ALEX = '+15551110000';
const SAM = '+15551110001';
const TESTER = '+15551230003'; // a verified caller ID of the twin's account: homephone check calls from it

function firstJsonDocument(stream: NodeJS.ReadableStream): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      try {
        resolve(JSON.parse(text) as Record<string, any>);
      } catch {
        // not complete yet
      }
    });
    stream.on('end', () => reject(new Error(`stdout ended without a JSON document: ${text}`)));
  });
}

/** Resolves with the agent's `agent.started` log record (JSON lines on stderr). */
function agentStarted(child: ResultPromise): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let rest = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      rest += chunk.toString('utf8');
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record.event === 'agent.started') resolve(record);
      }
    });
    void child.then((r) => reject(new Error(`the agent exited ${r.exitCode}: ${String(r.stderr)}`)));
  });
}

const clean = { CI: '1', NO_COLOR: '1', TWILIO_API_KEY: undefined, TWILIO_API_SECRET: undefined };

let twin: ResultPromise;
let agent: ResultPromise | undefined;
let info: Record<string, any>;
let agentUrl: string;
let dir: string;
let twinEnv: Record<string, string>;

beforeAll(async () => {
  dir = tempDir();
  const init = await homephone(
    ['init', ...initFlags, '--buzzer-number', BUZZER, '--enterphone-number', ENTERPHONE, '--tenant', `Alex=${ALEX}`, '--tenant', `Sam=${SAM}`, '--public-url', 'https://buzz.example.org/'],
    { dir },
  );
  expect(init.exitCode, init.stderr).toBe(0);

  // --quiet-ms: the agent is another process; virtual time waits that long (wall clock) with
  // nothing in flight before it moves on, so the REST calls the agent makes after answering a
  // webhook are waited for, as twin start documents for servers in other processes (only instants
  // that follow a request pay it, so a generous window for a loaded machine costs little).
  twin = execa('node', [bin, 'twin', 'start', '--json', '--number', BUZZER, HOME, '--caller-id', TESTER, '--quiet-ms', '500'], { env: clean, reject: false });
  info = await firstJsonDocument(twin.stdout!);

  twinEnv = { HOMEPHONE_TWIN_URL: info.url, TWILIO_ACCOUNT_SID: info.account_sid, TWILIO_AUTH_TOKEN: info.auth_token };
  agent = execa('node', [bin, 'agent', '--port', '0', '--host', '127.0.0.1', '--log-format', 'json'], {
    env: { ...clean, HOMEPHONE_CONFIG_DIR: dir, ...twinEnv },
    reject: false,
  });
  const started = await agentStarted(agent);
  agentUrl = `http://127.0.0.1:${String(started.listen).split(':').at(-1)}`;

  // `homephone deploy` into the twin: among the rest, the buzzer number's voice URL becomes the agent's public URL.
  const deployed = await homephone(['deploy', '--yes'], { dir, env: twinEnv });
  expect(deployed.exitCode, deployed.stderr).toBe(0);
  const client = createTwilioClient({ accountSid: info.account_sid, authToken: info.auth_token, twinUrl: info.url }, {});
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
  expect(number!.voiceUrl).toBe('https://buzz.example.org/');
}, 60_000);

afterAll(async () => {
  agent?.kill('SIGTERM');
  twin?.kill('SIGINT');
  await Promise.all([agent, twin]);
});

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${info.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
};

interface Event {
  callSid: string | null;
  type: string;
  text: string;
  data: Record<string, unknown>;
}

describe('twin start + agent + twin call, through a host mapping', () => {
  it('without a mapping the buzz cannot reach the agent: 11205', async () => {
    const res = await execa('node', [bin, 'twin', 'call', '--twin', info.url, '--from', ENTERPHONE, '--to', BUZZER, '--json'], { env: clean, reject: false });
    expect(res.exitCode, res.stderr).toBe(0);
    const events = (JSON.parse(res.stdout) as { events: Event[] }).events;
    expect(events.find((e) => e.type === 'error')).toMatchObject({ data: { code: 11205 } });
    // stdout stays one JSON document; the way out is on stderr.
    expect(res.stderr).toContain('buzz.example.org is not a local address');
    expect(res.stderr).toContain('--host-map buzz.example.org=http://127.0.0.1:PORT');
    // As on Twilio, the number's fallback URL (the deployed buzzer-fallback Function) takes over.
    expect(events.some((e) => e.type === 'webhook' && /\/buzzer-fallback$/.test(e.text))).toBe(true);
  });

  it('with buzz.example.org mapped to the agent, the agent answers the buzz and rings the tenants', async () => {
    expect((await admin('POST', '/_twin/hosts', { host: 'buzz.example.org', target: agentUrl })).status).toBe(201);
    expect((await admin('GET', '/_twin/hosts')).body).toEqual({ hosts: [{ host: 'buzz.example.org', target: agentUrl }] });
    await admin('POST', '/_twin/phones', { phones: { [ALEX]: { answerAfter: 2, press: [{ digits: '9', at: 4 }] }, [SAM]: { behaviour: 'no-answer' } } });
    await admin('DELETE', '/_twin/transcript');

    const res = await execa('node', [bin, 'twin', 'call', '--twin', info.url, '--from', ENTERPHONE, '--to', BUZZER, '--hangup-after', '60', '--json'], {
      env: clean,
      reject: false,
    });
    expect(res.exitCode, res.stderr).toBe(0);
    const answer = JSON.parse(res.stdout) as { call_sid: string; events: Event[]; transcript: string };
    const visitor = answer.events.filter((e) => e.callSid === answer.call_sid);
    // The agent checked the signature against https://buzz.example.org/ and answered with one
    // <Dial> that rings both tenants at once.
    expect(visitor.find((e) => e.type === 'webhook')).toMatchObject({ text: 'POST https://buzz.example.org/', data: { status: 200 } });
    expect(visitor.some((e) => e.type === 'error')).toBe(false);
    expect(visitor.find((e) => e.type === 'dial')?.data.targets).toEqual(expect.arrayContaining([ALEX, SAM]));

    // Alex presses 9 in the screening menu and the agent plays the door digits on the visitor's
    // (enterphone's) call.
    // Whatever of it the twin had not played when `twin call` answered, /_twin/settle plays.
    let events: Event[] = answer.events;
    const opened = (list: Event[]) => list.some((e) => e.callSid === answer.call_sid && e.type === 'play' && /9$/.test(String(e.data.digits)));
    await expect
      .poll(
        async () => {
          if (!opened(events)) {
            events = [...events, ...((await admin('POST', '/_twin/settle')).body!.events as Event[])];
          }
          return events.filter((e) => e.type === 'ringing').map((e) => e.data.to);
        },
        { timeout: 20_000 },
      )
      .toEqual(expect.arrayContaining([BUZZER, ALEX, SAM]));
    expect(opened(events)).toBe(true);
  });
});

describe('homephone check against twin start, the agent reached through the host mapping', () => {
  it('passes every path it can try, from the records the twin keeps as Twilio does', async () => {
    expect((await admin('POST', '/_twin/hosts', { host: 'buzz.example.org', target: agentUrl })).status).toBe(201);
    const r = await homephone(['check', '--twin', info.url, '--tester', TESTER, '--yes', '--json'], { dir, env: twinEnv });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; rows: Array<{ id: string; verdict: string; seen: string }> };
    expect(doc.ok).toBe(true);
    const verdicts = Object.fromEntries(doc.rows.map((row) => [row.id, row.verdict]));
    // The owner's cell is not a verified caller ID of this twin: that row alone is skipped.
    expect(verdicts).toEqual({ numbers: 'pass', 'unknown-caller': 'pass', 'whitelisted-caller': 'pass', 'owner-menu': 'skip', 'buzzer-agent': 'pass', audio: 'pass' });
  });
});

describe('twin start --host-map', () => {
  it('maps hosts at start and lists them in its JSON', async () => {
    const child = execa('node', [bin, 'twin', 'start', '--json', '--host-map', 'buzz.example.org=http://127.0.0.1:8080', '--host-map', 'URL=demo-1234-production.twil.io'], {
      env: clean,
      reject: false,
    });
    const out = await firstJsonDocument(child.stdout!);
    expect(out.hosts).toEqual([
      { host: 'buzz.example.org', target: 'http://127.0.0.1:8080' },
      { host: 'url', target: 'demo-1234-production.twil.io' },
    ]);
    const listed = await fetch(`${out.url}/_twin/hosts`).then((r) => r.json());
    expect(listed).toEqual({ hosts: out.hosts });
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(0);
  });

  it('refuses a mapping that is not HOST=URL with exit code 2', async () => {
    for (const bad of ['buzz.example.org', 'buzz.example.org=ftp://x', 'buzz.example.org/x=http://127.0.0.1:1']) {
      const res = await execa('node', [bin, 'twin', 'start', '--host-map', bad], { env: clean, reject: false });
      expect(res.exitCode, bad).toBe(2);
      expect(res.stderr).toContain('--host-map');
    }
  });
});
