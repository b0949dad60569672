// The rooms in progress (hp-* home-phone calls, bz-* buzzes) and who is in each, read from Twilio.
import type { TwilioClient } from '../twilio/client.js';
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';

export type RoomKind = 'home' | 'buzzer';

export interface RoomParticipant {
  callSid: string;
  /** The far end's address: a number or a SIP URI. */
  address: string;
  name: string;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  since: string;
}

export interface Room {
  name: string;
  sid: string;
  kind: RoomKind;
  status: string;
  since: string;
  participants: RoomParticipant[];
}

const ROOM = /^(hp|bz)-/;

/** Who an address is, for people: the whitelist, the tenants, the household's own numbers. */
export function nameResolver(config: HomephoneConfig, whitelist: Contact[]): (address: string) => string {
  const names = new Map<string, string>();
  for (const c of whitelist) names.set(c.Number, c.Person);
  for (const t of config.buzzer?.tenants ?? []) names.set(t.number, `${t.name} (tenant)`);
  const h = config.household ?? {};
  if (h.ownerCell) names.set(h.ownerCell, 'Owner');
  if (h.homeNumber) names.set(h.homeNumber, 'Home number');
  if (config.buzzer?.enterphoneNumber) names.set(config.buzzer.enterphoneNumber, 'Enterphone');
  const sipUser = h.sipUsername && h.sipDomain ? `sip:${h.sipUsername}@${h.sipDomain}` : undefined;
  return (address) => {
    if (sipUser && address.toLowerCase().startsWith(sipUser.toLowerCase())) return 'Home phone';
    return names.get(address) ?? 'Unknown';
  };
}

/** The far end of a participant's call: whoever is not the household's Twilio number. */
function farEnd(call: { from: string; to: string; direction: string }): string {
  return call.direction === 'inbound' ? call.from : call.to;
}

export async function listRooms(client: TwilioClient, nameOf: (address: string) => string): Promise<Room[]> {
  const live = [
    ...(await client.conferences.list({ status: 'in-progress' })),
    ...(await client.conferences.list({ status: 'init' })),
  ].filter((c) => ROOM.test(c.friendlyName));
  const rooms = await Promise.all(
    live.map(async (c): Promise<Room> => {
      const participants = await client.conferences(c.sid).participants.list();
      const people = await Promise.all(
        participants.map(async (p): Promise<RoomParticipant> => {
          const call = await client.calls(p.callSid).fetch();
          const address = farEnd(call);
          return {
            callSid: p.callSid,
            address,
            name: nameOf(address),
            muted: p.muted,
            hold: p.hold,
            coaching: p.coaching,
            since: p.dateCreated.toISOString(),
          };
        }),
      );
      return {
        name: c.friendlyName,
        sid: c.sid,
        kind: c.friendlyName.startsWith('hp-') ? 'home' : 'buzzer',
        status: c.status,
        since: c.dateCreated.toISOString(),
        participants: people.sort((a, b) => a.since.localeCompare(b.since)),
      };
    }),
  );
  // Most recent first: the one monitoring most likely wants.
  return rooms.sort((a, b) => b.since.localeCompare(a.since));
}

export interface ListenOptions {
  room: Room;
  /** Who to call into the room (the owner's cell by default). */
  to: string;
  /** A Twilio number of the account, shown as the caller. */
  from: string;
  /** Join as a coach who can whisper to the household's side, instead of muted. */
  whisper: boolean;
}

/** The household's side of a room: the home phone in hp-*, a tenant in bz-*; the one a coach talks to. */
export function householdSide(room: Room): RoomParticipant | undefined {
  return room.participants.find((p) => p.name === 'Home phone' || p.name.endsWith('(tenant)')) ?? room.participants[0];
}

/** Calls `to` into the room: muted (silent monitoring) or as a coach. Returns the new call's SID. */
export async function listenIn(client: TwilioClient, options: ListenOptions): Promise<string> {
  const coached = options.whisper ? householdSide(options.room) : undefined;
  const participant = await client.conferences(options.room.sid).participants.create({
    from: options.from,
    to: options.to,
    label: `monitor-${Date.now().toString(36)}`,
    beep: 'false',
    startConferenceOnEnter: false,
    endConferenceOnExit: false,
    ...(coached ? { coaching: true, callSidToCoach: coached.callSid } : { muted: true }),
  });
  return participant.callSid;
}
