// A real local HTTP server standing in for an application (the agent, a TwiML host): routes
// answer TwiML, every request is recorded with whether its X-Twilio-Signature validates under
// the SDK's own twilio.validateRequest.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface AppRequest {
  method: string;
  path: string;
  url: string;
  params: Record<string, string>;
  signature: string;
  valid: boolean;
}

export type Route = (req: AppRequest) => string | { status?: number; type?: string; body: string } | Promise<string | { status?: number; type?: string; body: string }>;

export interface App {
  url: string;
  requests: AppRequest[];
  routes: Map<string, Route>;
  route(path: string, r: Route | string): void;
  close(): Promise<void>;
}

export const twiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

export async function startApp(authToken: () => string): Promise<App> {
  const routes = new Map<string, Route>();
  const requests: AppRequest[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', base);
      const body = Buffer.concat(chunks).toString('utf8');
      const params = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : Object.fromEntries(u.searchParams);
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      const url = `${base}${req.url}`;
      const valid = twilio.validateRequest(authToken(), signature, url, req.method === 'POST' ? params : {});
      const r: AppRequest = { method: req.method ?? 'GET', path: u.pathname, url, params, signature, valid };
      requests.push(r);
      const handler = routes.get(u.pathname);
      if (!handler) return void res.writeHead(404).end('not found');
      const out = await handler(r);
      const o = typeof out === 'string' ? { body: out } : out;
      res.writeHead(o.status ?? 200, { 'Content-Type': o.type ?? 'text/xml' }).end(o.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    routes,
    route: (path, r) => routes.set(path, typeof r === 'string' ? () => r : r),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
