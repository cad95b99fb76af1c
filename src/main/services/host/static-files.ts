import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from './security-headers';

/** Where the page finds its style nonce (the data grid gives it to the style elements it inserts). */
export const STYLE_NONCE_META = 'alog-style-nonce';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves the built renderer. Only files below `root` with a known type are answered; anything
 * else, including `..` tricks and dot-files, is a plain 404.
 */
export async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const notFound = () => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return notFound();
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
  const inside = file.startsWith(root + path.sep);
  if (!inside || type === undefined || relative.split(/[\\/]/).some((part) => part.startsWith('.') || part === '')) return notFound();

  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return notFound();
  }
  if (relative === 'index.html') {
    // A fresh nonce per page: only style elements our own scripts insert carry it.
    const nonce = randomBytes(18).toString('base64');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    body = Buffer.from(withNonceMeta(body.toString('utf8'), nonce), 'utf8');
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    // Hashed asset names may be cached; the page itself is read fresh each time.
    'Cache-Control': relative.startsWith('assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function withNonceMeta(html: string, nonce: string): string {
  const meta = `<meta name="${STYLE_NONCE_META}" content="${nonce}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^<!doctype html>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}
