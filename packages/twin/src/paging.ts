// List pages in Twilio's two styles. URLs handed out are Twilio's own (as on Twilio); clients
// pointed at the twin rewrite them like every other Twilio URL.
import type { Params } from './params.js';
import type { Product, RestRequest } from './router.js';

export const TWILIO_HOSTS: Record<Product, string> = {
  api: 'https://api.twilio.com',
  serverless: 'https://serverless.twilio.com',
  'serverless-upload': 'https://serverless-upload.twilio.com',
  studio: 'https://studio.twilio.com',
  sync: 'https://sync.twilio.com',
  monitor: 'https://monitor.twilio.com',
};

const PAGING_KEYS = new Set(['Page', 'PageSize', 'PageToken']);

interface Window {
  page: number;
  pageSize: number;
  start: number;
}

function window(query: Params): Window {
  const pageSize = query.int('PageSize', 1, 1000) ?? 50;
  const page = query.int('Page', 0) ?? 0;
  // PageToken is opaque on Twilio; the twin's own tokens carry the offset ("PT<offset>").
  const token = query.get('PageToken');
  const fromToken = token && /^PT\d+$/.test(token) ? Number(token.slice(2)) : undefined;
  return { page, pageSize, start: fromToken ?? page * pageSize };
}

function pageQuery(query: Params, pageSize: number, page: number, start?: number): string {
  const sp = new URLSearchParams();
  for (const [k, v] of query.entries()) if (!PAGING_KEYS.has(k)) sp.append(k, v);
  sp.append('PageSize', String(pageSize));
  sp.append('Page', String(page));
  if (start !== undefined && start > 0) sp.append('PageToken', `PT${start}`);
  return sp.toString();
}

/** 2010 API: the array under `key` plus next_page_uri & co. (relative URIs). */
export function page2010<T>(req: RestRequest, key: string, items: T[]): Record<string, unknown> {
  const { page, pageSize, start } = window(req.query);
  const slice = items.slice(start, start + pageSize);
  const hasNext = start + pageSize < items.length;
  const at = (p: number, s?: number) => `${req.path}?${pageQuery(req.query, pageSize, p, s)}`;
  return {
    [key]: slice,
    end: slice.length ? start + slice.length - 1 : start,
    first_page_uri: at(0),
    next_page_uri: hasNext ? at(page + 1, start + pageSize) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? at(page - 1, Math.max(0, start - pageSize)) : null,
    start,
    uri: at(page, start),
  };
}

/** v1/v2 APIs: the array under `key` plus meta with absolute next_page_url & co. */
export function pageV1<T>(req: RestRequest, key: string, items: T[]): Record<string, unknown> {
  const { page, pageSize, start } = window(req.query);
  const slice = items.slice(start, start + pageSize);
  const hasNext = start + pageSize < items.length;
  const base = TWILIO_HOSTS[req.product] + req.path;
  const at = (p: number, s?: number) => `${base}?${pageQuery(req.query, pageSize, p, s)}`;
  return {
    [key]: slice,
    meta: {
      first_page_url: at(0),
      key,
      next_page_url: hasNext ? at(page + 1, start + pageSize) : null,
      page,
      page_size: pageSize,
      previous_page_url: page > 0 ? at(page - 1, Math.max(0, start - pageSize)) : null,
      url: at(page, start),
    },
  };
}
