// <Say>, <Play> and <Pause>: they take virtual call time. Inside a <Gather> a key press cuts them
// short (stopOnDigits). <Play> fetches its audio first; audio that cannot be fetched or is not
// audio ends the call with the application error, as Twilio does (TWIN-FIDELITY.md).
import { sayDuration, type VoiceEngine } from '../engine.js';
import type { Leg, WakeReason } from '../leg.js';
import { fetchAudio, FETCHED_ATTR, recordAudioFailure, type PlayContext } from '../media-fetch.js';
import { attrInt, type TwimlNode } from '../twiml-parse.js';

/** Virtual seconds one play of an audio file takes (the twin does not decode audio). */
export const PLAY_SECONDS = 5;
/** loop="0" means "until something else happens"; Twilio caps it at 1000. */
const LOOP_FOREVER = 1000;

type Stop = readonly WakeReason[];

function loops(node: TwimlNode): number {
  const n = attrInt(node, 'loop', 1, 0, LOOP_FOREVER);
  return n === 0 ? LOOP_FOREVER : n;
}

export async function say(engine: VoiceEngine, leg: Leg, node: TwimlNode, stopOn: Stop = []): Promise<'done' | WakeReason> {
  const n = loops(node);
  const voice = node.attrs.voice ? ` [${node.attrs.voice}]` : '';
  engine.transcript.add(leg.sid, 'say', `"${node.text}"${n > 1 ? ` ×${n === LOOP_FOREVER ? '∞' : n}` : ''}${voice}`, {
    text: node.text,
    loop: n,
    ...(node.attrs.voice ? { voice: node.attrs.voice } : {}),
    ...(node.attrs.language ? { language: node.attrs.language } : {}),
  });
  engine.sound.speak(leg, { say: node.text });
  return leg.spend(engine.scheduler, sayDuration(node.text) * n, stopOn);
}

export async function play(engine: VoiceEngine, leg: Leg, node: TwimlNode, stopOn: Stop = []): Promise<'done' | WakeReason> {
  const digits = node.attrs.digits;
  if (digits) return engine.playDigits(leg, digits, stopOn);
  const n = loops(node);
  let fetched: Record<string, unknown> = {};
  if (!node.attrs[FETCHED_ATTR]) {
    const context: PlayContext = stopOn.includes('digits') ? 'gather' : 'play';
    const audio = await fetchAudio(engine, leg, node.text, context);
    if (leg.interrupted) return leg.ended ? 'ended' : 'update';
    if (!audio.ok) {
      recordAudioFailure(engine, leg, node.text, audio, 'the caller hears the application error');
      await engine.appError(leg, audio.code, undefined);
      return 'ended';
    }
    fetched = { status: audio.status, contentType: audio.contentType };
  }
  engine.transcript.add(leg.sid, 'play', `${node.text}${n > 1 ? ` ×${n === LOOP_FOREVER ? '∞' : n}` : ''}`, { url: node.text, loop: n, ...fetched });
  engine.sound.speak(leg, { play: node.text });
  return leg.spend(engine.scheduler, PLAY_SECONDS * n, stopOn);
}

export async function pause(engine: VoiceEngine, leg: Leg, node: TwimlNode, stopOn: Stop = []): Promise<'done' | WakeReason> {
  const length = attrInt(node, 'length', 1, 0, 600);
  engine.transcript.add(leg.sid, 'pause', `${length}s`, { length });
  return leg.spend(engine.scheduler, length, stopOn);
}
