// <Gather>: nested Say/Play/Pause run first (a key press cuts them short), then the far end has
// `timeout` seconds per key. Digits go to the action URL; no digits fall through to the next verb
// (unless actionOnEmptyResult).
import type { VoiceEngine } from '../engine.js';
import type { Leg } from '../leg.js';
import { attrBool, attrInt, type TwimlNode } from '../twiml-parse.js';
import { goto, NEXT, STOP, type Outcome } from './index.js';
import { pause, play, say } from './media.js';

export async function gather(engine: VoiceEngine, leg: Leg, node: TwimlNode, docUrl: string): Promise<Outcome> {
  const timeout = attrInt(node, 'timeout', 5, 0, 600);
  const numDigits = attrInt(node, 'numDigits', 0, 0, 1000);
  const finishOnKey = node.attrs.finishOnKey ?? '#';
  const g = { digits: '', numDigits, finishOnKey, complete: false };
  leg.gather = g;
  engine.transcript.add(leg.sid, 'gather', `listening for keys${numDigits ? ` (${numDigits} digits)` : ''}, timeout ${timeout}s`, {
    timeout,
    numDigits,
    finishOnKey,
    action: node.attrs.action ?? null,
  });
  try {
    for (const child of node.children) {
      if (g.digits || g.complete) break;
      const stopOn = ['digits'] as const;
      const r =
        child.name === 'Say'
          ? await say(engine, leg, child, stopOn)
          : child.name === 'Play'
            ? await play(engine, leg, child, stopOn)
            : child.name === 'Pause'
              ? await pause(engine, leg, child, stopOn)
              : 'done';
      if (leg.interrupted) return STOP;
      if (r === 'digits') break;
    }
    // Each key restarts the timeout; the gather ends on numDigits, finishOnKey or the timeout.
    while (!g.complete) {
      const r = await leg.wait(engine.scheduler, timeout);
      if (leg.interrupted) return STOP;
      if (r === 'timeout') break;
    }
  } finally {
    leg.gather = undefined;
  }
  if (!g.digits && !(g.complete && attrBool(node, 'actionOnEmptyResult', false))) {
    engine.transcript.add(leg.sid, 'gather', 'no keys: falling through', { digits: '' });
    return NEXT;
  }
  engine.transcript.add(leg.sid, 'gather', `got ${g.digits || '(nothing)'}`, { digits: g.digits });
  return goto(engine, node.attrs.action ?? docUrl, docUrl, node.attrs.method, { Digits: g.digits, FinishedOnKey: g.complete && g.digits.length !== numDigits ? finishOnKey : '' });
}
