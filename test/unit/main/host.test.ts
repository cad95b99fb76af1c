import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/main/services/host/http-host';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../../src/main/services/host/security-headers';
import type { ArchiveStore } from '../../../src/main/services/store/archive-store';
import { storeOperations } from '../../../src/main/services/store/store-operations';
import type { AppEvent } from '../../../src/shared/ipc-contract';
import { StoreFixture } from './store-fixture';

// The browser host over real HTTP: token, Host and Origin checks, the contract's result objects,
// the event stream, and the static files with their security headers.

const fx = new StoreFixture();
let host: RunningHost;
let store: ArchiveStore;
let rendererDir: string;
const TOKEN = 'test-token-0123456789';

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 5 });
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'alog-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>inspector</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(rendererDir, '.secret.js'), 'no');
  store = fx.store(fx.base);
  host = await startHost({ handlers: storeOperations(() => store), subscribe: (l) => store.onEvent(l), rendererDir, token: TOKEN });
});
afterAll(async () => {
  await host?.close();
  await fx.teardown();
  await rm(rendererDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, so the Host header can be forged as a rebinding page would. */
function send(method: string, urlPath: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path: urlPath, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const authed = (extra: Record<string, string> = {}) => ({ 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, ...extra });

function api(op: string, body: unknown = {}, headers: Record<string, string> = authed()): Promise<Reply> {
  return send('POST', `/api/${op}`, { headers, body: JSON.stringify(body) });
}

describe('the API', () => {
  it('answers with the contract result objects', async () => {
    const r = await api('getArchiveInfo');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { path: fx.base, name: 'base' } });
    const o = JSON.parse((await api('getOverview')).body);
    expect(o.value.files).toHaveLength(2);
  });

  it('refuses requests without the token, or with a wrong one (401)', async () => {
    for (const headers of [
      { 'Content-Type': 'application/json' },
      authed({ Authorization: 'Bearer wrong' }),
      authed({ Authorization: `Bearer ${TOKEN}x` }),
      authed({ Authorization: TOKEN }),
    ]) {
      const r = await api('getOverview', {}, headers);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/token/) } });
    }
    // The token in the query string is for the event stream only.
    expect((await send('POST', `/api/getOverview?token=${TOKEN}`, { headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
  });

  it('refuses a foreign Origin or Host (403) even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, 'null']) {
      const r = await api('getOverview', {}, authed({ Origin: origin }));
      expect(r.status, origin).toBe(403);
    }
    for (const hostHeader of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const r = await api('getOverview', {}, authed({ Host: hostHeader }));
      expect(r.status, hostHeader).toBe(403);
    }
    expect((await send('GET', '/', { headers: { Host: 'rebound.example' } })).status).toBe(403);
    expect((await api('getOverview', {}, authed({ 'Sec-Fetch-Site': 'cross-site' }))).status).toBe(403);
  });

  it('accepts its own origin under either local name', async () => {
    expect((await api('getOverview', {}, authed({ Origin: `http://127.0.0.1:${host.port}` }))).status).toBe(200);
    expect((await api('getOverview', {}, authed({ Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` }))).status).toBe(200);
  });

  it('rejects malformed payloads with a clear error (400)', async () => {
    const r = await api('getRecordAt', { file: '../../etc/passwd', line: -1 });
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/Invalid input for getRecordAt: .*expected a day file name/s);

    const notJson = await send('POST', '/api/getOverview', { headers: authed(), body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/Invalid input for getOverview: not JSON/);
  });

  it('needs POST, JSON and a known operation', async () => {
    expect((await send('GET', '/api/getOverview', { headers: authed() })).status).toBe(405);
    expect((await send('POST', '/api/getOverview', { headers: authed({ 'Content-Type': 'text/plain' }), body: '{}' })).status).toBe(415);
    expect((await api('deleteEverything')).status).toBe(404);
    expect((await api('__proto__')).status).toBe(404);
    expect((await send('POST', '/api/getOverview', { headers: authed({ 'Content-Length': String(2 * 1024 * 1024) }) })).status).toBe(413);
  });

  it('turns a failing operation into a result object', async () => {
    const r = await api('getRecordAt', { file: 'activations-1999-01-01.jsonl', line: 1 });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});

describe('the event stream', () => {
  it('needs the token', async () => {
    expect((await send('GET', '/api/events')).status).toBe(401);
    expect((await send('GET', '/api/events?token=wrong')).status).toBe(401);
    expect((await send('GET', `/api/events?token=${TOKEN}`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('delivers connected, then the verification events as SSE', async () => {
    const events: AppEvent[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${TOKEN}` }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const event = JSON.parse(data.slice(6)) as AppEvent;
            events.push(event);
            if (event.type === 'connected') void api('startVerification');
            if (event.type === 'verificationFinished') {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (e) => (events.at(-1)?.type === 'verificationFinished' ? resolve() : reject(e)));
      req.end();
    });
    await finished;
    expect(events[0]).toEqual({ type: 'connected' });
    // The first verification is the index pass: the index announces itself, then the verification.
    expect(events.filter((e) => e.type.startsWith('verification'))[0]).toMatchObject({ type: 'verificationStarted' });
    expect(events.some((e) => e.type === 'verificationProgress')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'verificationFinished', status: 'done' });
  });
});

describe('the page', () => {
  it('is served with a strict CSP that forbids framing, without needing the token', async () => {
    const r = await send('GET', '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>inspector</title>');
    // The page's policy differs from the others only by a fresh style nonce, which the page is told.
    const nonce = /<meta name="alog-style-nonce" content="([A-Za-z0-9+/=]{24})">/.exec(r.body)?.[1];
    expect(nonce).toBeDefined();
    expect(r.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce));
    expect(r.headers['content-security-policy']).toContain(`style-src 'self' 'nonce-${nonce}'`);
    const again = await send('GET', '/');
    expect(again.headers['content-security-policy']).not.toBe(r.headers['content-security-policy']);
    expect(r.headers['content-security-policy']).not.toContain('unsafe');
    expect((await send('GET', '/assets/app.js')).headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await send('GET', '/assets/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('serves nothing outside the built renderer', async () => {
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../x.js', '/.secret.js', '/nope.html', '/%E0%A4%A']) {
      expect((await send('GET', p)).status, p).toBe(404);
    }
    expect((await send('DELETE', '/')).status).toBe(405);
  });
});
