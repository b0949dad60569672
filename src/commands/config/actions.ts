// config path | show | get | set | unset.
import type { Action } from '../define.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import { configPath, whitelistPath } from '../../config/paths.js';
import { configSchema, type HomephoneConfig } from '../../config/schema.js';
import { checksByKey } from '../../config/validate.js';
import { maskDeployHashes, maskSecrets, maskValue } from '../../config/secrets.js';
import { extrasAfterCountryChange } from '../../household/emergency.js';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
}

/** The schema node for a dotted key, or an InputError listing what exists at that level. */
function schemaAt(dotted: string): SchemaNode {
  let node: SchemaNode = { type: 'object', properties: configSchema as unknown as Record<string, SchemaNode> };
  const walked: string[] = [];
  for (const part of dotted.split('.')) {
    const next = node.properties?.[part];
    if (!next) {
      const known = Object.keys(node.properties ?? {});
      const at = walked.length ? walked.join('.') : 'the top level';
      throw new InputError(`unknown config key "${dotted}"`, {
        hint: known.length ? `keys at ${at}: ${known.join(', ')}` : `${at} has no sub-keys`,
      });
    }
    walked.push(part);
    node = next;
  }
  return node;
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}

export const path: Action = async (ctx) => {
  const paths = { config: configPath(ctx.env), whitelist: whitelistPath(ctx.env) };
  ctx.result(`${paths.config}\n${paths.whitelist}`, paths);
};

export const show: Action = async (ctx, _args, opts) => {
  const { deploy, ...settings } = ConfigStore.open(ctx.env).read();
  // The user's settings; what deploy records for itself only with --all (homephone status reads it).
  const chosen: HomephoneConfig = opts.all && deploy !== undefined ? { ...settings, deploy } : settings;
  const shown = opts.showSecrets ? chosen : maskSecrets(chosen);
  if (shown.deploy !== undefined) shown.deploy = maskDeployHashes(shown.deploy) as HomephoneConfig['deploy'];
  ctx.result(() => {
    const lines = flatten(shown).map(([k, v]) => `${k} = ${v}`);
    return lines.length ? lines.join('\n') : 'The configuration is empty. Run homephone init.';
  }, shown);
  if (deploy !== undefined && !opts.all) ctx.info("(deploy's own records are left out: homephone status, or config show --all)");
};

export const get: Action = async (ctx, [key], opts) => {
  const dotted = String(key);
  schemaAt(dotted);
  const value = ConfigStore.open(ctx.env).get(dotted);
  if (value === undefined) throw new InputError(`${dotted} is not set`, { hint: `set it: homephone config set ${dotted} <value>` });
  // Hashes of secrets in deploy's records are never printed (the schema has no keys below deploy).
  const shown = dotted === 'deploy' ? maskDeployHashes(value) : opts.showSecrets ? value : maskValue(dotted, value);
  ctx.result(typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2), { key: dotted, value: shown });
};

function parseValue(dotted: string, raw: string, config: HomephoneConfig): unknown {
  const node = schemaAt(dotted);
  const check = checksByKey[dotted];
  if (check) {
    const checked = check(raw, { defaultCountry: config.household?.defaultCountry });
    if (!checked.ok) throw new InputError(`invalid ${dotted}: ${checked.reason}`);
    return checked.value;
  }
  if (node.type === 'string' || (node.type === undefined && !node.properties)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new InputError(`invalid ${dotted}: expected ${node.type ?? 'a JSON value'} written as JSON, got ${raw}`);
  }
}

export const set: Action = async (ctx, [key, raw]) => {
  const dotted = String(key);
  if (dotted === 'deploy' || dotted.startsWith('deploy.')) {
    throw new InputError('deploy.* is written by homephone deploy only');
  }
  const store = ConfigStore.open(ctx.env);
  const value = parseValue(dotted, String(raw), store.read());
  if (dotted === 'household.defaultCountry') {
    // A new country brings its own emergency numbers: the old country's go from the extra ones.
    await store.update((c) => {
      const household = { ...c.household, defaultCountry: value as string };
      const extras = extrasAfterCountryChange(c.household?.emergencyNumbers, c.household?.defaultCountry, value as string);
      if (extras.length) household.emergencyNumbers = extras;
      else delete household.emergencyNumbers;
      return { ...c, household };
    });
  } else await store.set(dotted, value);
  const shown = maskValue(dotted, value);
  ctx.result(`${dotted} = ${typeof shown === 'string' ? shown : JSON.stringify(shown)}`, { key: dotted, value: shown });
};

export const unset: Action = async (ctx, [key]) => {
  const dotted = String(key);
  schemaAt(dotted);
  const store = ConfigStore.open(ctx.env);
  const existed = store.get(dotted) !== undefined;
  if (existed) await store.unset(dotted);
  ctx.result(existed ? `Removed ${dotted}` : `${dotted} was not set`, { key: dotted, removed: existed });
};
