// Twilio's official OpenAPI files (vendored in test/openapi/, Apache-2.0, from twilio-oai) turned into
// strict response validators: every declared property must be present, nothing undeclared may
// appear, formats are checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

export const SPEC_FILES = {
  api: 'twilio_api_v2010.json',
  serverless: 'twilio_serverless_v1.json',
  studio: 'twilio_studio_v2.json',
  sync: 'twilio_sync_v1.json',
  monitor: 'twilio_monitor_v1.json',
} as const;
export type SpecKey = keyof typeof SPEC_FILES;

const specDir = fileURLToPath(new URL('./openapi/', import.meta.url));

const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function isUri(v: string): boolean {
  if (v === '' || v.startsWith('/')) return true; // '' = unset webhook; 2010 paging URIs are relative
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajv.addFormat('date-time-rfc-2822', RFC2822);
  ajv.addFormat('date-time', ISO);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('uri', { type: 'string', validate: isUri });
  ajv.addFormat('uri-map', true);
  ajv.addFormat('phone-number', /^(\+[1-9]\d{1,14}|sip:.+|client:.+)$/);
  ajv.addFormat('phone-number-capabilities', true);
  ajv.addFormat('http-method', /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/);
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  for (const f of ['iso-country-code', 'ice-server', 'int64', 'endpoint', 'twiml']) ajv.addFormat(f, true);
  return ajv;
}

/**
 * Make a schema strict: objects with declared properties require all of them and allow nothing
 * else. The one relaxation: a property that $refs one of the spec's *_enum_* schemas may be null
 * (Twilio sends null, e.g. a conference's reason_conference_ended while it is in progress, but
 * the files declare those refs without `nullable`).
 */
function strictify(node: unknown, specId: string, enums: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => strictify(n, specId, enums));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'examples' || k === 'example' || k === 'description') continue;
    out[k] = strictify(v, specId, enums);
  }
  if (typeof out.$ref === 'string' && out.$ref.startsWith('#/')) out.$ref = `${specId}${out.$ref}`;
  if (out.nullable === true && out.type === undefined) delete out.nullable; // e.g. a flow's definition: anything
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.properties && typeof out.properties === 'object') {
    const props = out.properties as Record<string, Json>;
    for (const [name, schema] of Object.entries(props)) {
      const ref = schema.$ref;
      if (typeof ref === 'string' && enums.has(ref.split('/').pop() ?? '')) {
        props[name] = { anyOf: [{ $ref: ref }, { type: 'null' }] };
      }
    }
    if (out.additionalProperties === undefined) out.additionalProperties = false;
    out.required = Object.keys(props);
  }
  return out;
}

interface Operation {
  spec: SpecKey;
  path: string;
  method: string;
  regex: RegExp;
  literal: number;
  responses: Record<string, Json>;
}

export class TwilioSpecs {
  private readonly ajv = newAjv();
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly enums = new Map<SpecKey, Set<string>>();

  constructor() {
    for (const [key, file] of Object.entries(SPEC_FILES) as Array<[SpecKey, string]>) {
      const doc = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as {
        paths: Record<string, Record<string, Json>>;
        components: { schemas: Record<string, Json> };
      };
      const enums = new Set(Object.keys(doc.components.schemas).filter((n) => n.includes('_enum_')));
      this.enums.set(key, enums);
      this.ajv.addSchema({ $id: `spec-${key}`, components: strictify(doc.components, `spec-${key}`, enums) });
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of ['get', 'post', 'delete']) {
          const op = item[method] as { responses?: Record<string, Json> } | undefined;
          if (!op?.responses) continue;
          const source = path
            .split(/(\{[A-Za-z]+\})/)
            .map((p) => (/^\{[A-Za-z]+\}$/.test(p) ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('');
          this.operations.push({
            spec: key,
            path,
            method: method.toUpperCase(),
            regex: new RegExp(`^${source}$`),
            literal: path.replace(/\{[A-Za-z]+\}/g, '').length,
            responses: op.responses,
          });
        }
      }
    }
    this.operations.sort((a, b) => b.literal - a.literal);
  }

  has(spec: SpecKey, method: string, path: string): boolean {
    return this.operations.some((o) => o.spec === spec && o.method === method && o.path === path);
  }

  /** The operation a concrete request hits (most literal path first, like Twilio's routing). */
  find(spec: SpecKey, method: string, concretePath: string): Operation | undefined {
    return this.operations.find((o) => o.spec === spec && o.method === method && o.regex.test(concretePath));
  }

  /** Problems with a response to `op`, or [] when it validates. */
  check(op: Operation, status: number, body: unknown): string[] {
    const declared = op.responses[String(status)];
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    const schema = (declared.content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema;
    if (!schema) return body === undefined || body === '' ? [] : ['a body was sent where none is declared'];
    const id = `${op.spec} ${op.method} ${op.path} ${status}`;
    let validate = this.validators.get(id);
    if (!validate) {
      validate = this.ajv.compile(strictify(schema, `spec-${op.spec}`, this.enums.get(op.spec)!) as Json);
      this.validators.set(id, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
