// A tiny router whose patterns are written exactly like the paths in Twilio's OpenAPI files
// ('/v1/Services/{ServiceSid}/Functions/{Sid}'), so each route names the operation it implements.
import type { Params } from './params.js';

export type Product = 'api' | 'serverless' | 'serverless-upload' | 'studio' | 'sync' | 'monitor';
export const PRODUCTS: readonly Product[] = ['api', 'serverless', 'serverless-upload', 'studio', 'sync', 'monitor'];

export interface UploadedFile {
  filename: string;
  type: string;
  content: Buffer;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE';
  product: Product;
  /** The path as on Twilio (without the twin's product prefix), e.g. /v1/Services. */
  path: string;
  query: Params;
  form: Params;
  files: Map<string, UploadedFile>;
  /** Path parameters by the names used in the pattern. */
  params: Record<string, string>;
  /** Request headers, lower-case names (e.g. if-match for Sync's conditional updates). */
  headers: Record<string, string | undefined>;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: RestRequest) => RestResponse;

export interface Route {
  product: Product;
  method: RestRequest['method'];
  pattern: string;
  handler: Handler;
}

interface Compiled extends Route {
  regex: RegExp;
  names: string[];
  literalLength: number;
}

export class Router {
  private readonly routes: Compiled[] = [];

  add(product: Product, method: Route['method'], pattern: string, handler: Handler): this {
    const names: string[] = [];
    const source = pattern
      .split(/(\{[A-Za-z]+\})/)
      .map((part) => {
        const m = /^\{([A-Za-z]+)\}$/.exec(part);
        if (m) {
          names.push(m[1]!);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    this.routes.push({
      product,
      method,
      pattern,
      handler,
      regex: new RegExp(`^${source}$`),
      names,
      literalLength: pattern.replace(/\{[A-Za-z]+\}/g, '').length,
    });
    // Most literal first, so /v2/Flows/Validate wins over /v2/Flows/{Sid}.
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
    return this;
  }

  match(
    product: Product,
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      if (r.product !== product) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { route: r, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }

  list(): Array<Pick<Route, 'product' | 'method' | 'pattern'>> {
    return this.routes.map(({ product, method, pattern }) => ({ product, method, pattern }));
  }
}
