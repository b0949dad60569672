// monitor: a refreshing view of the rooms in progress, or --listen to join one.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { HomephoneError, InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import { whitelistPath } from '../../config/paths.js';
import { readWhitelist } from '../../config/whitelist-file.js';
import type { HomephoneConfig } from '../../config/schema.js';
import { normalisePhoneNumber } from '../../household/phone.js';
import { listenIn, listRooms, nameResolver, type Room } from '../../monitor/rooms.js';

function clock(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

function elapsed(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export function renderRooms(rooms: Room[], timeZone: string | undefined, now = Date.now()): string {
  if (rooms.length === 0) return 'No calls in progress.';
  return rooms
    .map((room) => {
      const head = `${room.name}  ${room.kind === 'home' ? 'home phone' : 'buzzer'}  since ${clock(room.since, timeZone)} (${elapsed(room.since, now)})`;
      const width = Math.max(...room.participants.map((p) => p.name.length), 4);
      const people = room.participants.map((p) => {
        const flags = [p.muted ? 'muted' : '', p.coaching ? 'coaching' : '', p.hold ? 'on hold' : ''].filter(Boolean).join(', ');
        return `  ${p.name.padEnd(width)}  ${p.address.padEnd(16)}  since ${clock(p.since, timeZone)}${flags ? `  ${flags}` : ''}`;
      });
      return [head, ...(people.length ? people : ['  (nobody yet)'])].join('\n');
    })
    .join('\n\n');
}

async function connect(ctx: CommandContext) {
  const config = ConfigStore.open(ctx.env).read();
  const nameOf = nameResolver(config, readWhitelist(whitelistPath(ctx.env)));
  const { createTwilioClient } = await import('../../twilio/client.js');
  return { config, nameOf, client: createTwilioClient(config.twilio ?? {}, ctx.env) };
}

function pickRoom(rooms: Room[], wanted: unknown): Room {
  if (typeof wanted === 'string') {
    const room = rooms.find((r) => r.name === wanted || r.sid === wanted);
    if (!room) {
      throw new InputError(`no room "${wanted}" is in progress`, {
        hint: rooms.length ? `rooms now: ${rooms.map((r) => r.name).join(', ')}` : 'no call is in progress',
      });
    }
    return room;
  }
  const room = rooms.find((r) => r.kind === 'home') ?? rooms[0];
  if (!room) throw new HomephoneError('no call is in progress, so there is nothing to listen to', { hint: 'run homephone monitor to watch for one' });
  return room;
}

async function listen(ctx: CommandContext, opts: Record<string, unknown>): Promise<void> {
  const { config, nameOf, client } = await connect(ctx);
  const household = config.household ?? {};
  const from = household.homeNumber;
  if (!from) throw new InputError('no home number is configured', { hint: 'run homephone init' });
  let to = household.ownerCell;
  if (opts.to !== undefined) {
    const parsed = normalisePhoneNumber(String(opts.to), household.defaultCountry);
    if (!parsed.ok) throw new InputError(`--to "${String(opts.to)}" is not a valid phone number: ${parsed.reason}`);
    to = parsed.e164;
  }
  if (!to) throw new InputError("no owner's cell is configured", { hint: 'pass --to NUMBER, or run homephone init' });
  const room = pickRoom(await listRooms(client, nameOf), opts.listen);
  const whisper = Boolean(opts.whisper);
  const callSid = await listenIn(client, { room, to, from, whisper });
  ctx.result(
    `Calling ${to} into ${room.name} ${whisper ? 'as a coach (the household side hears you)' : 'muted'}: answer to listen.`,
    { room: room.name, roomSid: room.sid, to, callSid, mode: whisper ? 'whisper' : 'muted' },
  );
}

async function watch(ctx: CommandContext, config: HomephoneConfig, load: () => Promise<Room[]>, intervalMs: number): Promise<void> {
  const zone = config.household?.timeZone;
  await new Promise<void>((resolve, reject) => {
    const draw = async () => {
      const rooms = await load();
      // Clear the screen and redraw: a live view, like top.
      ctx.io.stdout.write(`\u001b[2J\u001b[H${renderRooms(rooms, zone)}\n\n${ctx.outStyle.dim('Ctrl-C to stop')}\n`);
    };
    const timer = setInterval(() => void draw().catch(stop), intervalMs);
    const stop = (err?: unknown) => {
      clearInterval(timer);
      process.off('SIGINT', onSignal);
      if (err) reject(err);
      else resolve();
    };
    const onSignal = () => stop();
    process.on('SIGINT', onSignal);
    draw().catch(stop);
  });
}

export const monitor: Action = async (ctx, _args, opts) => {
  if (opts.listen !== undefined) return listen(ctx, opts);
  if (opts.to !== undefined || opts.whisper) throw new InputError('--to and --whisper go with --listen');
  const seconds = Number(opts.interval);
  if (!Number.isFinite(seconds) || seconds < 0.5 || seconds > 3600) throw new InputError('--interval must be a number of seconds from 0.5 to 3600');
  const { config, nameOf, client } = await connect(ctx);
  const load = () => listRooms(client, nameOf);
  const live = !opts.once && !ctx.json && Boolean((ctx.io.stdout as { isTTY?: boolean }).isTTY);
  if (live) return watch(ctx, config, load, seconds * 1000);
  const rooms = await load();
  ctx.result(() => renderRooms(rooms, config.household?.timeZone), { rooms });
};
