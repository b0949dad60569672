// The voice side of the admin API: /_twin/phones scripts far ends, /_twin/calls places an inbound
// call and answers with its transcript once the scenario has settled, /_twin/transcript reads all.
// /_twin/advance moves virtual time by a given step (a tool polling REST records between steps, as
// it would sleep between polls on Twilio); /_twin/fetch GETs a URL the way the twin fetches media
// for a <Play> (signed, host mappings, the deployed Serverless domains in-process).
import type { AdminResponse } from '../admin.js';
import { InvalidCallerIdError } from '../model/caller-id.js';
import type { VoiceEngine } from './engine.js';
import { checkScript, parsePress, type PhoneScript } from './phones.js';
import { UnknownNumberError } from './inbound-sms.js';

function error(status: number, message: string): AdminResponse {
  return { status, body: { error: message } };
}

function scriptFrom(body: Record<string, unknown>): PhoneScript {
  const raw = (body.script ?? {}) as Record<string, unknown>;
  const script = checkScript(raw);
  // Shorthand: "press": ["1@3s", "9@10s"] at the top level.
  if (Array.isArray(body.press)) script.press = [...(script.press ?? []), ...body.press.map((p) => parsePress(String(p)))];
  if (body.hangupAfter !== undefined) script.hangupAfter = checkScript({ hangupAfter: body.hangupAfter }).hangupAfter;
  if (body.onHear !== undefined) script.onHear = checkScript({ onHear: body.onHear }).onHear;
  return script;
}

export const VOICE_ADMIN_PATHS = ['/_twin/phones', '/_twin/calls', '/_twin/transcript', '/_twin/settle', '/_twin/messages', '/_twin/advance', '/_twin/fetch'];

/** At most this much virtual time per POST /_twin/advance (a day). */
const MAX_ADVANCE_SECONDS = 86_400;

export async function handleVoiceAdmin(engine: VoiceEngine, method: string, path: string, body: unknown): Promise<AdminResponse | undefined> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  const b = (body ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'GET /_twin/phones':
      return { status: 200, body: { phones: engine.phones.all() } };
    case 'DELETE /_twin/phones':
      engine.phones.clear();
      return { status: 204 };
    case 'POST /_twin/phones': {
      try {
        const entries: Array<[string, unknown]> =
          b.phones && typeof b.phones === 'object'
            ? Object.entries(b.phones as Record<string, unknown>)
            : [[String(b.address ?? b.number ?? ''), b.script ?? {}]];
        if (!entries.length || entries.some(([a]) => !a)) throw new Error('give {"address":"+15551234567","script":{…}} or {"phones":{"+1555…":{…}}}');
        for (const [address, script] of entries) engine.phones.set(address, checkScript(script));
        return { status: 201, body: { phones: engine.phones.all() } };
      } catch (e) {
        return error(400, (e as Error).message);
      }
    }
    case 'POST /_twin/calls': {
      const from = typeof b.from === 'string' ? b.from : '';
      const to = typeof b.to === 'string' ? b.to : '';
      if (!from || !to) return error(400, 'give {"from":"+15550001111","to":"+15551230001"} (and optionally "script" or "press")');
      let script: PhoneScript;
      try {
        script = scriptFrom(b);
      } catch (e) {
        return error(400, (e as Error).message);
      }
      try {
        const result = await engine.placeCall({ from, to, script });
        return {
          status: 200,
          body: { call_sid: result.callSid, status: result.status, calls: result.calls, events: result.events, transcript: result.text },
        };
      } catch (e) {
        return error(e instanceof InvalidCallerIdError ? 400 : 404, (e as Error).message);
      }
    }
    case 'GET /_twin/transcript': {
      const events = engine.transcript.events;
      return { status: 200, body: { events, transcript: engine.result('', [...events]).text } };
    }
    case 'POST /_twin/messages': {
      const from = typeof b.from === 'string' ? b.from : '';
      const to = typeof b.to === 'string' ? b.to : '';
      const text = typeof b.body === 'string' ? b.body : '';
      if (!from || !to || !text) return error(400, 'give {"from":"+15550001111","to":"+15551230001","body":"status"}');
      try {
        const r = await engine.receiveSms({ from, to, body: text });
        return { status: 200, body: { message: r.message, webhook_status: r.webhookStatus, replies: r.replies, error: r.error, fallback_status: r.fallbackStatus } };
      } catch (e) {
        if (e instanceof UnknownNumberError) return error(404, e.message);
        throw e;
      }
    }
    case 'POST /_twin/settle': {
      const mark = engine.transcript.events.length;
      await engine.settle();
      const events = engine.transcript.since(mark);
      return { status: 200, body: { now: engine.scheduler.clock.now().toISOString(), events, transcript: engine.result('', events).text } };
    }
    case 'POST /_twin/advance': {
      const seconds = Number(b.seconds);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_ADVANCE_SECONDS) return error(400, `give {"seconds": N} with 0 < N <= ${MAX_ADVANCE_SECONDS}`);
      const mark = engine.transcript.events.length;
      await engine.advance(seconds);
      return { status: 200, body: { now: engine.scheduler.clock.now().toISOString(), events: engine.transcript.since(mark) } };
    }
    case 'POST /_twin/fetch': {
      const url = typeof b.url === 'string' ? b.url : '';
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) return error(400, 'give {"url":"https://…"}: an absolute http(s) URL');
      const res = await engine.webhooks.send({ url, method: 'GET', params: {}, callSid: null });
      const raw = res.raw ?? Buffer.from(res.body, 'utf8');
      return {
        status: 200,
        body: { status: res.status, content_type: res.contentType, body_base64: raw.toString('base64'), network_error: res.networkError ?? null },
      };
    }
    case 'DELETE /_twin/transcript':
      engine.transcript.clear();
      return { status: 204 };
    default:
      return undefined;
  }
}
