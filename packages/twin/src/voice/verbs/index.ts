// Runs the verbs of one TwiML document on a leg, in order.
import type { VoiceEngine } from '../engine.js';
import type { Leg } from '../leg.js';
import type { Params } from '../signature.js';
import type { TwimlNode } from '../twiml-parse.js';
import { dial } from './dial.js';
import { gather } from './gather.js';
import { pause, play, say } from './media.js';
import { record } from './record.js';

export type Outcome =
  /** The verb finished: go on with the next one. */
  | { kind: 'next' }
  /** Fetch another document (Redirect, an action URL). */
  | { kind: 'goto'; url: string; method: string; params?: Params }
  /** The call ended or new REST instructions took over. */
  | { kind: 'stop' };

export const NEXT: Outcome = { kind: 'next' };
export const STOP: Outcome = { kind: 'stop' };

export function goto(engine: VoiceEngine, raw: string, base: string, method: string | undefined, params?: Params): Outcome {
  return { kind: 'goto', url: engine.resolveUrl(raw, base), method: (method ?? 'POST').toUpperCase(), ...(params ? { params } : {}) };
}

/** What a <Number url> screening document may contain (Twilio's <Number> page: no other verb). */
const SCREENING_VERBS = new Set(['Say', 'Play', 'Gather', 'Hangup']);

export async function runVerbs(engine: VoiceEngine, leg: Leg, verbs: TwimlNode[], docUrl: string): Promise<Outcome> {
  for (const node of verbs) {
    if (leg.interrupted) return STOP;
    if (leg.screening && !SCREENING_VERBS.has(node.name)) {
      // Stricter than a skip: the screened leg fails, so it can never be connected by accident.
      // 13201 is Twilio's own error for a <Dial> there ("Cannot Dial out from a Dial Call Segment").
      const code = node.name === 'Dial' ? 13201 : 12200;
      await engine.appError(leg, code, `<${node.name}> is not allowed in a <Number url> screening document (only Say, Play, Gather, Hangup)`);
      return STOP;
    }
    let outcome: Outcome = NEXT;
    switch (node.name) {
      case 'Say':
        engine.answer(leg);
        outcome = (await say(engine, leg, node)) === 'done' ? NEXT : STOP;
        break;
      case 'Play':
        engine.answer(leg);
        outcome = (await play(engine, leg, node)) === 'done' ? NEXT : STOP;
        break;
      case 'Pause':
        engine.answer(leg);
        outcome = (await pause(engine, leg, node)) === 'done' ? NEXT : STOP;
        break;
      case 'Gather':
        engine.answer(leg);
        outcome = await gather(engine, leg, node, docUrl);
        break;
      case 'Dial':
        outcome = await dial(engine, leg, node, docUrl);
        break;
      case 'Record':
        engine.answer(leg);
        outcome = await record(engine, leg, node, docUrl);
        break;
      case 'Hangup':
        engine.endCall(leg, 'completed', '<Hangup>');
        return STOP;
      case 'Reject': {
        const reason = node.attrs.reason === 'busy' ? 'busy' : 'rejected';
        const unanswered = leg.call.json.status === 'ringing';
        engine.endCall(leg, unanswered ? (reason === 'busy' ? 'busy' : 'no-answer') : 'completed', `<Reject reason="${reason}">`);
        return STOP;
      }
      case 'Redirect': {
        if (!node.text) {
          engine.transcript.add(leg.sid, 'error', '<Redirect> without a URL', {});
          break;
        }
        engine.transcript.add(leg.sid, 'redirect', engine.resolveUrl(node.text, docUrl), { url: engine.resolveUrl(node.text, docUrl) });
        return goto(engine, node.text, docUrl, node.attrs.method);
      }
      case 'Leave':
        break;
      default:
        // Twilio logs a schema warning and skips what it does not know.
        engine.transcript.add(leg.sid, 'error', `12200 <${node.name}> is not a voice verb the twin runs; skipped`, { code: 12200, verb: node.name });
    }
    if (outcome.kind !== 'next') return outcome;
  }
  return leg.interrupted ? STOP : NEXT;
}
