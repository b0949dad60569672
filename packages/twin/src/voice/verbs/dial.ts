// <Dial>: <Conference> joins a room; <Number>/<Sip>/<Client> ring in parallel, the first to answer
// (and, with a `url`, to finish its screening TwiML without hanging up) is bridged, the others are
// cancelled. The action URL gets DialCallStatus; without one the document goes on.
import { E164 } from '../../model/voice.js';
import type { VoiceEngine } from '../engine.js';
import { Leg } from '../leg.js';
import type { Params } from '../signature.js';
import { attrBool, attrInt, type TwimlNode } from '../twiml-parse.js';
import { goto, NEXT, STOP, type Outcome } from './index.js';

interface Target {
  noun: 'Number' | 'Sip' | 'Client';
  to: string;
  node: TwimlNode;
  /** Why this target cannot be dialled at all (Twilio error). */
  error?: { code: number; message: string };
}

type RingResult = 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** Emergency numbers Twilio connects from <Number> as dialled (with Emergency Calling set up). */
const EMERGENCY_NUMBERS = new Set(['911', '933', '112', '999', '000', '110', '119', '118', '100', '101', '102', '108', '15', '17', '18']);

/** 13223: <Number> must be E.164; unformatted US numbers and emergency numbers are accepted. */
export function dialNumber(raw: string): string | undefined {
  const s = raw.replace(/[\s().-]/g, '');
  if (E164.test(s) || EMERGENCY_NUMBERS.has(s)) return s;
  if (/^\d{10}$/.test(s)) return `+1${s}`;
  if (/^1\d{10}$/.test(s)) return `+${s}`;
  return undefined;
}

function targetsOf(node: TwimlNode, from: string): Target[] {
  const nouns = node.children.filter((c) => c.name === 'Number' || c.name === 'Sip' || c.name === 'Client');
  const list: Target[] = nouns.length
    ? nouns.map((c) => ({ noun: c.name as Target['noun'], to: c.text, node: c }))
    : node.text
      ? [{ noun: 'Number', to: node.text, node }]
      : [];
  for (const t of list) {
    if (t.noun === 'Number') {
      const n = dialNumber(t.to);
      if (!n) t.error = { code: 13223, message: `<Number>${t.to}</Number> is not a valid phone number (E.164)` };
      else {
        t.to = n;
        // A SIP device's own URI is no caller ID for the phone network.
        if (from.startsWith('sip:')) t.error = { code: 32204, message: `caller ID ${from} is not a verified number: set callerId to a Twilio number` };
      }
    } else if (t.noun === 'Client') t.to = `client:${t.to}`;
  }
  return list;
}

export async function dial(engine: VoiceEngine, leg: Leg, node: TwimlNode, docUrl: string): Promise<Outcome> {
  const action = node.attrs.action;
  const method = node.attrs.method;
  const afterDial = (params: Params): Outcome => {
    if (leg.ended || leg.pendingUpdate) {
      // Twilio still requests the action when the caller hung up, or when a REST update moved the
      // call to new TwiML (changelog 2021-05-24), and ignores the answer.
      if (action) {
        engine.postInOrder(`${leg.sid}:dial-action`, engine.resolveUrl(action, docUrl), method ?? 'POST', {
          ...engine.callParams(leg),
          ...params,
        }, '<Dial> action', leg.sid);
      }
      return STOP;
    }
    return action ? goto(engine, action, docUrl, method, params) : NEXT;
  };

  const conference = node.children.find((c) => c.name === 'Conference');
  if (conference) {
    engine.answer(leg);
    // hangupOnStar: the calling party's `*` ends the <Dial> (it leaves the room, the TwiML goes on).
    // timeLimit: the most seconds the <Dial> lasts, a room included.
    if (attrBool(node, 'hangupOnStar', false)) {
      leg.onStar = () => {
        if (engine.rooms.leave(leg)) engine.transcript.add(leg.sid, 'dial', 'left the room: * pressed (hangupOnStar)', { hangupOnStar: true });
      };
    }
    const roomLimit = node.attrs.timeLimit === undefined ? undefined : attrInt(node, 'timeLimit', 14_400, 1, 14_400);
    const limitTimer =
      roomLimit === undefined
        ? undefined
        : engine.scheduler.after(roomLimit, () => {
            if (engine.rooms.leave(leg)) engine.transcript.add(leg.sid, 'dial', `left the room: <Dial timeLimit> ${roomLimit}s`, { timeLimit: roomLimit });
          });
    const { result, conferenceSid } = await engine.rooms.joinByTwiml(leg, conference, docUrl).finally(() => {
      leg.onStar = undefined;
      limitTimer?.cancel();
    });
    if (result === 'stop' && !leg.ended && !leg.pendingUpdate) return STOP;
    return afterDial({ DialCallStatus: 'completed', ConferenceSid: conferenceSid });
  }

  const timeout = attrInt(node, 'timeout', 30, 5, 600);
  const timeLimit = attrInt(node, 'timeLimit', 14_400, 1, 14_400);
  const answerOnBridge = attrBool(node, 'answerOnBridge', false);
  const from = node.attrs.callerId || leg.call.json.from;
  const targets = targetsOf(node, from);
  if (!answerOnBridge) engine.answer(leg);
  engine.transcript.add(
    leg.sid,
    'dial',
    `dialling ${targets.map((t) => t.to).join(', ') || '(nobody)'} from ${from} (timeout ${timeout}s${answerOnBridge ? ', answerOnBridge' : ''})`,
    { targets: targets.map((t) => t.to), callerId: from, timeout, answerOnBridge },
  );

  const results = new Map<Leg, RingResult | 'screened-out'>();
  const children: Leg[] = [];
  let winner: Leg | undefined;
  let over = false;
  /** The winner took new REST instructions before the parent could bridge it. */
  let releasedEarly = false;
  let pickedUp = false;

  const runChild = async (child: Leg, target: Target) => {
    engine.postStatus(child.call, 'initiated');
    const rang = await engine.ring(child, timeout);
    if (rang !== 'answered') {
      results.set(child, rang);
      leg.wake('dial');
      return;
    }
    const screen = target.node.attrs.url;
    if (screen && !pickedUp && engine.readings.screenedDial === 'others-hung-up-on-pickup') {
      // The other reading of "the first call to pick up is connected… the rest are hung up".
      for (const other of children) {
        if (other === child || other.ended || results.has(other)) continue;
        if (other.call.json.status === 'queued' || other.call.json.status === 'ringing') {
          results.set(other, 'canceled');
          engine.endCall(other, 'canceled', 'another leg picked up');
        }
      }
    }
    pickedUp = true;
    const digits = target.node.attrs.sendDigits;
    if (digits) await engine.playDigits(child, digits);
    if (screen && !child.interrupted) {
      engine.transcript.add(child.sid, 'dial', `screening ${child.call.json.to} with ${screen}`, { screenUrl: screen });
      child.screening = true;
      const done = await engine.runTwiml(child, { kind: 'url', url: engine.resolveUrl(screen, docUrl), method: target.node.attrs.method ?? 'POST' });
      child.screening = false;
      if (done !== 'done' || child.ended) {
        results.set(child, 'screened-out');
        leg.wake('dial');
        return;
      }
    }
    if (winner || over || child.interrupted) {
      results.set(child, 'screened-out');
      engine.endCall(child, 'completed', 'another leg was connected');
      return;
    }
    winner = child;
    results.set(child, 'answered');
    leg.wake('dial');
    // Wait to be bridged by the parent, then for the bridge to end (or new REST instructions).
    let bridged = false;
    for (;;) {
      if (child.ended || child.pendingUpdate) break;
      if (child.bridge) bridged = true;
      else if (bridged) break;
      await child.wait(engine.scheduler, Infinity);
    }
    if (!bridged) releasedEarly = true;
    if (child.ended) return;
    if (!child.pendingUpdate) {
      engine.endCall(child, 'completed', 'the bridge ended');
      return;
    }
    unbridge(child);
    const done = await engine.runTwiml(child);
    if (done === 'done') engine.endCall(child, 'completed', 'end of TwiML');
  };
  const unbridge = (child: Leg) => {
    const other = child.bridge;
    child.bridge = undefined;
    if (other) {
      other.bridge = undefined;
      other.wake('bridge');
    }
  };

  for (const t of targets) {
    if (t.error) {
      engine.transcript.add(leg.sid, 'error', `${t.error.code} ${t.error.message}`, { code: t.error.code });
      continue;
    }
    const call = engine.createEngineCall({
      to: t.to,
      from,
      direction: 'outbound-dial',
      parentCallSid: leg.sid,
      instructions: {
        timeout,
        statusCallback: t.node.attrs.statusCallback ? engine.resolveUrl(t.node.attrs.statusCallback, docUrl) : undefined,
        statusCallbackMethod: t.node.attrs.statusCallbackMethod ?? 'POST',
        statusCallbackEvents: (t.node.attrs.statusCallbackEvent ?? 'completed').split(/[\s,]+/).filter(Boolean),
      },
    });
    const child = new Leg(call, {});
    child.loopDepth = leg.loopDepth;
    engine.legs.set(call.json.sid, child);
    children.push(child);
    engine.spawn(child, () => runChild(child, t));
  }

  // Wait for a winner, or for every leg to be out.
  while (!winner && children.some((c) => !results.has(c))) {
    await leg.wait(engine.scheduler, Infinity);
    if (leg.interrupted) break;
  }
  over = true;
  const hangUpOthers = (except?: Leg) => {
    for (const c of children) {
      if (c === except || c.ended) continue;
      const unanswered = c.call.json.status === 'queued' || c.call.json.status === 'ringing';
      engine.endCall(c, unanswered ? 'canceled' : 'completed', except ? 'another leg was connected' : 'the caller left');
    }
  };
  if (leg.interrupted || !winner) {
    hangUpOthers();
    const status = dialStatus(children.map((c) => results.get(c)), targets.length - children.length, leg.interrupted);
    engine.transcript.add(leg.sid, 'dial', `result: ${status}`, { DialCallStatus: status });
    return afterDial({ DialCallStatus: status, DialCallDuration: '0', DialBridged: 'false' });
  }

  const child: Leg = winner;
  hangUpOthers(child);
  if (releasedEarly || child.ended) {
    engine.transcript.add(leg.sid, 'dial', `result: completed (${child.call.json.to} left before the bridge)`, { DialCallStatus: 'completed' });
    return afterDial({ DialCallStatus: 'completed', DialCallSid: child.sid, DialCallDuration: '0', DialBridged: 'false' });
  }
  engine.answer(leg);
  leg.bridge = child;
  child.bridge = leg;
  child.wake('bridge');
  const bridgedAt = engine.scheduler.clock.nowMs();
  engine.transcript.add(leg.sid, 'dial', `connected to ${child.call.json.to}`, { DialCallSid: child.sid });
  for (;;) {
    if (child.ended || child.bridge !== leg) break;
    const left = timeLimit - (engine.scheduler.clock.nowMs() - bridgedAt) / 1000;
    if (left <= 0) {
      engine.endCall(child, 'completed', '<Dial timeLimit>');
      break;
    }
    await leg.wait(engine.scheduler, left);
    if (leg.ended) {
      engine.endCall(child, 'completed', 'the other party hung up');
      break;
    }
    if (leg.pendingUpdate) {
      engine.endCall(child, 'completed', 'the other party was redirected');
      break;
    }
  }
  leg.bridge = undefined;
  if (child.bridge === leg) child.bridge = undefined;
  const duration = Math.round((engine.scheduler.clock.nowMs() - bridgedAt) / 1000);
  engine.transcript.add(leg.sid, 'dial', `result: completed after ${duration}s`, { DialCallStatus: 'completed', DialCallDuration: duration });
  return afterDial({ DialCallStatus: 'completed', DialCallSid: child.sid, DialCallDuration: String(duration), DialBridged: 'true' });
}

/** What a Dial nobody accepted reports: no-answer beats busy beats failed. */
function dialStatus(results: Array<RingResult | 'screened-out' | undefined>, invalid: number, interrupted: boolean): string {
  if (interrupted) return 'canceled';
  if (results.some((r) => r === 'no-answer' || r === 'screened-out')) return 'no-answer';
  if (results.some((r) => r === 'busy')) return 'busy';
  if (results.length === 0 && invalid > 0) return 'failed';
  return results.some((r) => r === 'canceled') ? 'canceled' : 'failed';
}
