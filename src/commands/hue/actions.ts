// hue pair | lights | use | flash.
import { hostname } from 'node:os';
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { AuthError, HomephoneError, InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import type { HueSection } from '../../config/schema.js';
import { formatTable } from '../table.js';
import {
  createNodeHueBridge,
  DEFAULT_TIMEOUT_MS,
  discoverBridges,
  pairWithBridge,
  parseBridgeAddress,
  type HueBridge,
  type PairResult,
} from '../../hue/index.js';

const APP_NAME = 'homephone';
const MDNS_TIMEOUT_MS = 3000;

/** The bridge's device name for this pairing: this machine's name, as the bridge allows it (≤ 19). */
function deviceName(): string {
  return hostname().replace(/[^A-Za-z0-9._-]/g, '').slice(0, 19) || 'cli';
}

/** "1,3" or "1 3" → ["1","3"]; "all" → 'all'. */
export function parseLights(text: string, flag: string): string[] | 'all' {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'all') return 'all';
  const ids = trimmed.split(/[\s,]+/).filter(Boolean);
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (ids.length === 0 || bad !== undefined) {
    throw new InputError(`${flag} takes light ids like 1,3 (or all)${bad === undefined ? '' : `, not "${bad}"`}`, {
      hint: 'see the ids in homephone hue lights',
    });
  }
  return [...new Set(ids)];
}

function parseTimeout(value: unknown): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw new InputError(`--timeout must be a positive number of seconds, at most 600, not "${String(value)}"`);
  }
  return seconds;
}

function pairedBridge(ctx: CommandContext): { bridge: HueBridge; hue: HueSection } {
  const hue = ConfigStore.open(ctx.env).read().hue ?? {};
  if (!hue.bridgeAddress || !hue.username) {
    throw new AuthError('no Hue bridge is paired yet', {
      hint: 'pair one: homephone hue pair (or homephone hue pair --bridge ADDRESS)',
    });
  }
  return { bridge: createNodeHueBridge({ address: hue.bridgeAddress, username: hue.username }), hue };
}

/** The bridge to pair with: --bridge, or the only one that answers on mDNS. */
async function chooseAddress(ctx: CommandContext, given: unknown): Promise<string> {
  if (typeof given === 'string') return parseBridgeAddress(given).text;
  ctx.info('Looking for a Hue bridge on this network (mDNS)…');
  const found = await discoverBridges({ timeoutMs: MDNS_TIMEOUT_MS });
  const only = found[0];
  if (!only) {
    throw new HomephoneError('no Hue bridge answered on this network (mDNS _hue._tcp)', {
      hint: "pass --bridge ADDRESS: the bridge's IP address, shown in the Hue app under Settings > My Hue system",
    });
  }
  if (found.length > 1) {
    const list = found.map((b) => `${b.address} (${b.name})`).join(', ');
    throw new HomephoneError(`found ${found.length} Hue bridges: ${list}`, { hint: 'choose one with --bridge ADDRESS' });
  }
  ctx.info(`Found ${only.name} at ${only.address}`);
  return only.address;
}

/** A countdown on stderr: one line rewritten on a terminal, a line every 10 s otherwise. */
function countdown(ctx: CommandContext): { tick: (secondsLeft: number) => void; end: () => void } {
  const tty = Boolean((ctx.io.stderr as { isTTY?: boolean }).isTTY);
  let drawn = false;
  let lastLine = Number.POSITIVE_INFINITY;
  return {
    tick(secondsLeft) {
      if (tty) {
        ctx.io.stderr.write(`\rWaiting for the link button… ${String(secondsLeft).padStart(3)} s left `);
        drawn = true;
      } else if (lastLine - secondsLeft >= 10 || lastLine === Number.POSITIVE_INFINITY) {
        ctx.info(`Waiting for the link button… ${secondsLeft} s left`);
        lastLine = secondsLeft;
      }
    },
    end() {
      if (drawn) ctx.io.stderr.write('\n');
    },
  };
}

export const pair: Action = async (ctx, _args, opts) => {
  const seconds = parseTimeout(opts.timeout ?? 60);
  const address = await chooseAddress(ctx, opts.bridge);
  const bridge = createNodeHueBridge({ address });
  const info = await bridge.info();
  ctx.info(`Press the round link button on the Hue bridge "${info.name}" (${address}) now.`);
  const clock = countdown(ctx);
  let paired: PairResult;
  try {
    paired = await pairWithBridge(bridge, APP_NAME, deviceName(), { timeoutMs: seconds * 1000, onTick: clock.tick });
  } finally {
    clock.end();
  }
  let droppedLights = false;
  await ConfigStore.open(ctx.env).update((config) => {
    const previous = config.hue ?? {};
    // Light ids belong to a bridge: a different bridge makes the old choice meaningless.
    const sameBridge = previous.bridgeId === info.bridgeId;
    droppedLights = !sameBridge && previous.lights !== undefined;
    const hue: HueSection = {
      ...(sameBridge ? previous : {}),
      bridgeAddress: address,
      bridgeId: info.bridgeId,
      username: paired.username,
    };
    return { ...config, hue };
  });
  if (droppedLights) ctx.warn('this is a different bridge: the chosen buzzer lights were cleared (homephone hue use …)');
  ctx.result(
    [
      `Paired with the Hue bridge "${info.name}" (${info.bridgeId}) at ${address}.`,
      'Its user name is stored in the configuration as a secret.',
      'Next: homephone hue lights, then homephone hue use <ids> to choose the buzzer lights.',
    ].join('\n'),
    { paired: true, bridgeAddress: address, bridgeId: info.bridgeId, name: info.name },
  );
};

export const lights: Action = async (ctx) => {
  const { bridge, hue } = pairedBridge(ctx);
  const all = await bridge.listLights();
  const chosen = hue.lights && hue.lights.length > 0 ? hue.lights : undefined;
  const flashes = (id: string) => (chosen ? chosen.includes(id) : true);
  const missing = (chosen ?? []).filter((id) => !all.some((light) => light.id === id));
  if (missing.length > 0) ctx.warn(`chosen light(s) ${missing.join(', ')} are not on this bridge (homephone hue use …)`);
  ctx.result(
    () => {
      if (all.length === 0) return 'The bridge has no lights. Add them in the Hue app first.';
      const table = formatTable(
        ['Id', 'Name', 'Type', 'Reachable', 'Buzzer'],
        all.map((l) => [l.id, l.name, l.type, l.reachable ? 'yes' : 'no', flashes(l.id) ? '*' : '']),
      );
      const note = chosen
        ? '* flashes when the buzzer rings (change: homephone hue use <ids>, or all)'
        : '* every light flashes when the buzzer rings (choose some: homephone hue use 1,3)';
      return `${table}\n\n${note}`;
    },
    {
      bridge: { address: bridge.address, id: hue.bridgeId ?? null },
      buzzerLights: chosen ?? 'all',
      lights: all.map((l) => ({ ...l, buzzer: flashes(l.id) })),
    },
  );
};

export const use: Action = async (ctx, [text]) => {
  const choice = parseLights(String(text), 'hue use');
  const { bridge } = pairedBridge(ctx);
  const known = await bridge.listLights();
  if (choice !== 'all') {
    const unknown = choice.filter((id) => !known.some((light) => light.id === id));
    if (unknown.length > 0) {
      throw new InputError(`no light ${unknown.join(', ')} on this bridge`, {
        hint: `the bridge has lights ${known.map((l) => l.id).join(', ') || 'none'} (homephone hue lights)`,
      });
    }
  }
  await ConfigStore.open(ctx.env).update((config) => {
    const { lights: _old, ...rest } = config.hue ?? {};
    return { ...config, hue: choice === 'all' ? rest : { ...rest, lights: choice } };
  });
  const names = (ids: string[]) => ids.map((id) => `${id} (${known.find((l) => l.id === id)?.name ?? '?'})`).join(', ');
  ctx.result(
    choice === 'all' ? 'Every light will flash when the buzzer rings.' : `The buzzer will flash lights ${names(choice)}.`,
    { buzzerLights: choice },
  );
};

export const flash: Action = async (ctx, _args, opts) => {
  const given = typeof opts.lights === 'string' ? parseLights(opts.lights, '--lights') : undefined;
  const { bridge, hue } = pairedBridge(ctx);
  const chosen = given ?? (hue.lights && hue.lights.length > 0 ? hue.lights : 'all');
  const length = opts.short ? 'short' : 'long';
  const outcome = await bridge.flash(chosen, { length, timeoutMs: DEFAULT_TIMEOUT_MS });
  if (!outcome.ok) {
    if (outcome.flashed.length > 0) ctx.warn(`flashed ${outcome.flashed.join(', ')} only`);
    throw outcome.error;
  }
  const which = chosen === 'all' ? 'every light' : `light${chosen.length > 1 ? 's' : ''} ${chosen.join(', ')}`;
  ctx.result(`Flashed ${which}${length === 'long' ? ' (they breathe for about 15 s)' : ''}.`, { flashed: chosen, length });
};
