// Key presses travel as sound. A key tone made on a call reaches whoever that call is connected to
// by audio, and no webhook fires for it:
// - what Twilio plays on a leg (<Play digits>, sendDigits) is heard by that leg's far end;
// - keys a far end presses while its leg is in a started room are heard by the other participants
//   (not when the presser is muted, nor by or from a participant on hold, and a coach's only by the
//   participant it coaches; before the room starts everyone hears the wait music instead);
// - keys pressed across a <Dial> bridge are heard by the other side.
// - a call placed to one of the account's own numbers and the inbound call it became there are
//   each other's far end: keys Twilio plays on one arrive on the other as if its caller pressed them
//   (a <Gather> there takes them), and what one says or plays is heard by the other.
// A scripted phone whose script has `onHear` reacts to the key sequences it hears: the enterphone
// that opens the door when it hears 9. Only such listening phones get `heard` events.
import type { VoiceEngine } from './engine.js';
import type { Leg } from './leg.js';

export type SoundPath = 'play' | 'conference' | 'bridge' | 'loopback';

export interface Spread {
  /** The calls whose far ends hear the keys. */
  heardBy: Leg[];
  /** For the presser's transcript line: where the tones went, or why nobody heard them. */
  note: string;
}

export class Sound {
  constructor(private readonly engine: VoiceEngine) {}

  /** Who hears keys that the far end of `leg` presses (when no <Gather>/<Record> takes them). */
  spread(leg: Leg): Spread {
    const rooms = this.engine.rooms;
    const confSid = rooms.roomOf(leg.sid);
    if (confSid) {
      const room = this.engine.state.conferences.get(confSid);
      const name = room?.json.friendly_name ?? confSid;
      const me = room?.participants.get(leg.sid);
      if (!room || room.json.status !== 'in-progress') return { heardBy: [], note: `not delivered: in a conference (room ${name} has not started)` };
      if (me?.json.muted) return { heardBy: [], note: `not delivered: in a conference (muted in room ${name})` };
      if (me?.json.hold) return { heardBy: [], note: `not delivered: in a conference (on hold in room ${name})` };
      // A coach is heard only by the participant it coaches.
      const coached = me?.json.coaching ? me.json.call_sid_to_coach : undefined;
      const heardBy = rooms
        .membersOf(confSid)
        .filter((sid) => sid !== leg.sid && !room.participants.get(sid)?.json.hold && (!coached || sid === coached))
        .map((sid) => this.engine.legs.get(sid))
        .filter((l): l is Leg => !!l && !l.ended);
      if (!heardBy.length) return { heardBy, note: `not delivered: in a conference (nobody else listening in room ${name})` };
      return { heardBy, note: `no webhook: heard as tones in room ${name} by ${heardBy.length} other participant${heardBy.length > 1 ? 's' : ''}` };
    }
    if (leg.bridge && !leg.bridge.ended) return { heardBy: [leg.bridge], note: 'no webhook: heard as tones across the <Dial> bridge' };
    return { heardBy: [], note: 'not delivered: nothing listening' };
  }

  /** How deep key tones are passed on from leg to leg (a guard against a loop of calls). */
  private relayDepth = 0;

  /** The far end of `listener` hears `keys`; a listening phone records them and may react. */
  hear(listener: Leg, keys: string, path: SoundPath, from: Leg | null): void {
    if (listener.ended) return;
    if (listener.peer) return this.relay(listener, listener.peer, keys);
    const onHear = this.onHearOf(listener);
    if (!onHear) return;
    const t = this.engine.transcript;
    const source = path === 'play' ? 'played by Twilio on this call' : path === 'conference' ? 'pressed in the room' : 'pressed across the bridge';
    t.add(listener.sid, 'heard', `far end heard ${keys} (${source})`, { keys, path, fromCallSid: from?.sid ?? null });
    for (const key of keys) {
      listener.heardKeys = (listener.heardKeys + key).slice(-32);
      const match = Object.keys(onHear)
        .sort((a, b) => b.length - a.length)
        .find((seq) => listener.heardKeys.endsWith(seq));
      if (!match) continue;
      listener.heardKeys = '';
      const reaction = onHear[match]!;
      t.add(listener.sid, 'reaction', `far end ${listener.call.json.direction === 'inbound' ? listener.call.json.from : listener.call.json.to} reacts to ${match}: ${reaction}`, {
        reaction,
        keys: match,
        path,
        fromCallSid: from?.sid ?? null,
      });
    }
  }

  /**
   * Keys heard on `leg`'s line reach its peer (the other leg of a call to one of the account's
   * own numbers) as if the peer's caller pressed them: a <Gather> there takes them, or they travel
   * on, into a room or across a bridge.
   */
  private relay(leg: Leg, peer: Leg, keys: string): void {
    if (peer.ended || this.relayDepth > 8) return;
    this.engine.transcript.add(peer.sid, 'heard', `heard ${keys} from ${leg.call.json.direction === 'inbound' ? 'the number it called' : 'its caller'}`, {
      keys,
      path: 'loopback',
      fromCallSid: leg.sid,
    });
    this.relayDepth++;
    try {
      this.engine.pressDigits(peer, keys, leg);
    } finally {
      this.relayDepth--;
    }
  }

  /**
   * What `leg` says or plays is heard at its far end. Only a peer leg records it (a `heard` event
   * with `say` or `play`): scripted phones react to key tones only.
   */
  speak(leg: Leg, sound: { say: string } | { play: string }): void {
    const peer = leg.peer;
    if (!peer || peer.ended) return;
    const what = 'say' in sound ? `"${sound.say}"` : sound.play;
    this.engine.transcript.add(peer.sid, 'heard', `heard ${what}`, { ...sound, path: 'loopback', fromCallSid: leg.sid });
  }

  /**
   * The listening script: the leg's own, or (for a caller, whose script came with the call) the
   * one filed for its number in the phone directory, so an enterphone scripted once reacts on
   * every call it places.
   */
  private onHearOf(leg: Leg): Record<string, string> | undefined {
    if (leg.script.onHear) return leg.script.onHear;
    const c = leg.call.json;
    return c.direction === 'inbound' ? this.engine.phones.get(c.from)?.onHear : undefined;
  }
}
