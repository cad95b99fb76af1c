import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  isOperationName,
  runOperation,
  type AppEvent,
  type EventListener,
  type IpcResult,
  type OperationHandlers,
  type Unsubscribe,
} from '../../../shared/ipc-contract';
import { setSecurityHeaders } from './security-headers';
import { serveStatic } from './static-files';

/** Largest request body; the biggest input (a pasted PEM key) is a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface HostOptions {
  handlers: OperationHandlers;
  subscribe: (listener: EventListener) => Unsubscribe;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** Per-run secret; random unless given (tests). */
  token?: string;
}

export interface RunningHost {
  port: number;
  token: string;
  /** The page's address, with the token. */
  url: string;
  close(): Promise<void>;
}

/**
 * The browser host: the renderer and the contract over HTTP on 127.0.0.1 only. Every API request
 * needs the per-run token, and the Host and Origin headers must name this server, so neither
 * another local user's page nor a DNS-rebinding site can drive it. POST /api/<operation> takes and
 * answers the same JSON objects as the Electron IPC; GET /api/events streams events (SSE).
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const rendererDir = path.resolve(opts.rendererDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      console.error('host: request failed:', error);
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own name as Host.
    if (!hosts.includes(req.headers.host ?? '')) return refuse(res, 403, 'forbidden: unexpected Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) {
      return refuse(res, 403, 'forbidden: cross-origin request');
    }
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') return refuse(res, 403, 'forbidden: cross-site request');

    const url = new URL(req.url ?? '/', `http://${hosts[0]}`);
    if (url.pathname === '/api/events') {
      if (!tokenMatches(url.searchParams.get('token'))) return refuse(res, 401, 'unauthorized: missing or wrong token');
      if (req.method !== 'GET') return refuse(res, 405, 'use GET', { Allow: 'GET' });
      return openEventStream(req, res);
    }
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(bearerToken(req))) return refuse(res, 401, 'unauthorized: missing or wrong token');
      const name = url.pathname.slice('/api/'.length);
      if (!isOperationName(name)) return refuse(res, 404, `no such operation: ${name.slice(0, 80)}`);
      if (req.method !== 'POST') return refuse(res, 405, 'use POST', { Allow: 'POST' });
      // application/json is not a CORS "simple" type, so no page elsewhere can send it unasked.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return refuse(res, 415, 'send the input as Content-Type: application/json');
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
        res.setHeader('Connection', 'close');
        return refuse(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === undefined) return refuse(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (e) {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: `Invalid input for ${name}: not JSON (${(e as Error).message})` } });
      }
      const result = await runOperation(opts.handlers, name, input);
      return sendJson(res, !result.ok && result.error.code === 'invalid_input' ? 400 : 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'use GET', { Allow: 'GET, HEAD' });
    return serveStatic(rendererDir, url.pathname, req, res);
  }

  function tokenMatches(given: string | null | undefined): boolean {
    if (!given) return false;
    // Hashing first makes the comparison constant-time whatever the lengths.
    const a = createHash('sha256').update(given).digest();
    const b = createHash('sha256').update(token).digest();
    return timingSafeEqual(a, b);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const send = (event: AppEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    res.write('retry: 2000\n\n');
    send({ type: 'connected' });
    const unsubscribe = opts.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    streams.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function sendJson(res: ServerResponse, status: number, body: IpcResult<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Transport-level refusals answer in the result shape too, so the client shows one kind of error. */
function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status, { ok: false, error: { code: 'refused', message } });
}

/** The request body, or undefined when it is over `limit` (the rest is drained, not kept). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) parts.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(parts, size);
}
