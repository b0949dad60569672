// TwiML documents into a small tree. Malformed XML, or a root other than <Response>, is a
// document parse failure (Twilio error 12100).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
  /** The element's own text, trimmed. */
  text: string;
}

export type ParsedTwiml = { ok: true; verbs: TwimlNode[] } | { ok: false; error: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(raw: RawNode): TwimlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#comment') return undefined;
  const content = (raw[name] ?? []) as RawNode[];
  const children: TwimlNode[] = [];
  let text = '';
  for (const c of content) {
    if ('#text' in c) text += String(c['#text']);
    else {
      const child = toNode(c);
      if (child) children.push(child);
    }
  }
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw[':@'] ?? {})) attrs[k] = String(v);
  return { name, attrs, children, text: text.trim() };
}

export function parseTwiml(xml: string): ParsedTwiml {
  const check = XMLValidator.validate(xml);
  if (check !== true) return { ok: false, error: `malformed XML: ${check.err.msg} (line ${check.err.line})` };
  const nodes = (parser.parse(xml) as RawNode[]).map(toNode).filter((n): n is TwimlNode => !!n);
  const root = nodes[0];
  if (nodes.length !== 1 || !root || root.name !== 'Response') {
    return { ok: false, error: `the root element must be <Response>, got ${root ? `<${root.name}>` : 'nothing'}` };
  }
  return { ok: true, verbs: root.children };
}

export function attrInt(node: TwimlNode, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = node.attrs[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : fallback;
}

export function attrBool(node: TwimlNode, name: string, fallback: boolean): boolean {
  const raw = node.attrs[name];
  if (raw === undefined) return fallback;
  return raw.toLowerCase() === 'true';
}
