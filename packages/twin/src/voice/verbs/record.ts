// <Record>: ends on a finish key, the far end hanging up, maxLength, or `timeout` seconds of
// silence (scripted far ends never speak, so silence comes at once). The action URL gets the
// recording; when the caller hung up, Twilio still requests it and ignores the answer.
import { newSid } from '../../sids.js';
import type { VoiceEngine } from '../engine.js';
import type { Leg } from '../leg.js';
import { attrInt, type TwimlNode } from '../twiml-parse.js';
import { goto, NEXT, STOP, type Outcome } from './index.js';

export async function record(engine: VoiceEngine, leg: Leg, node: TwimlNode, docUrl: string): Promise<Outcome> {
  const maxLength = attrInt(node, 'maxLength', 3600, 1, 14400);
  const timeout = attrInt(node, 'timeout', 5, 0, 3600);
  const finishOnKey = node.attrs.finishOnKey ?? '1234567890*#';
  const started = engine.scheduler.clock.nowMs();
  engine.transcript.add(leg.sid, 'record', `recording (max ${maxLength}s, ${timeout}s of silence ends it)`, { maxLength, timeout });
  if (node.attrs.playBeep !== 'false') engine.transcript.add(leg.sid, 'play', 'beep', { beep: true });
  leg.recordFinishKeys = finishOnKey;
  leg.recordFinishedBy = undefined;
  try {
    await leg.spend(engine.scheduler, Math.min(maxLength, timeout || maxLength), ['digits']);
  } finally {
    leg.recordFinishKeys = undefined;
  }
  if (leg.pendingUpdate) return STOP;
  const duration = Math.round((engine.scheduler.clock.nowMs() - started) / 1000);
  const recordingSid = newSid('RE');
  const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${engine.state.accountSid}/Recordings/${recordingSid}`;
  const digits = leg.ended ? 'hangup' : (leg.recordFinishedBy ?? '');
  engine.transcript.add(leg.sid, 'record', `recorded ${duration}s (${digits === 'hangup' ? 'caller hung up' : digits ? `ended by ${digits}` : 'silence'})`, {
    recordingSid,
    duration,
  });
  const recParams = { RecordingSid: recordingSid, RecordingUrl: recordingUrl, RecordingDuration: String(duration) };
  const cb = node.attrs.recordingStatusCallback;
  if (cb) {
    engine.postInOrder(`${leg.sid}:recording`, engine.resolveUrl(cb, docUrl), node.attrs.recordingStatusCallbackMethod ?? 'POST', {
      AccountSid: engine.state.accountSid,
      CallSid: leg.sid,
      ...recParams,
      RecordingStatus: 'completed',
      RecordingChannels: '1',
      RecordingSource: 'RecordVerb',
    }, 'recording status callback', leg.sid);
  }
  const action = node.attrs.action;
  if (leg.ended) {
    if (action) {
      const url = engine.resolveUrl(action, docUrl);
      engine.postInOrder(`${leg.sid}:action`, url, node.attrs.method ?? 'POST', { ...engine.callParams(leg), ...recParams, Digits: 'hangup' }, 'Record action', leg.sid);
    }
    return STOP;
  }
  if (!action) return NEXT;
  return goto(engine, action, docUrl, node.attrs.method, { ...recParams, Digits: digits });
}
