import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/main/services/host/http-host';
import { ArchiveSession } from '../../../src/main/services/store/archive-session';
import { RecentArchives } from '../../../src/main/services/store/recent-archives';
import { appOperations } from '../../../src/main/services/store/session-operations';
import type { AppEvent } from '../../../src/shared/ipc-contract';
import { StoreFixture } from './store-fixture';

// The browser host switching archives (as `alog serve` wires it): openArchive over HTTP, the
// event stream carrying on across the switch, and the recent list.

const fx = new StoreFixture();
let host: RunningHost;
let session: ArchiveSession;
let second = '';
let rendererDir = '';
const TOKEN = 'switch-token-0123456789';

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 5 });
  second = await fx.copy();
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'alog-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>inspector</title>');
  session = new ArchiveSession({ openStore: (root) => fx.store(root), initialArchive: fx.base, recents: new RecentArchives(fx.userData) });
  host = await startHost({ handlers: appOperations(session), subscribe: (l) => session.onEvent(l), rendererDir, token: TOKEN });
});
afterAll(async () => {
  await host?.close();
  await session?.close();
  await fx.teardown();
  await rm(rendererDir, { recursive: true, force: true });
});

function api(op: string, body: unknown = {}): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'POST', path: `/api/${op}`, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Collects the event stream's events until `stop` says enough. */
function events(stop: (events: AppEvent[]) => boolean, onConnected: () => void): Promise<AppEvent[]> {
  const seen: AppEvent[] = [];
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${TOKEN}` }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          seen.push(JSON.parse(data.slice(6)) as AppEvent);
          if (seen.at(-1)!.type === 'connected') onConnected();
          if (stop(seen)) {
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    req.on('error', (e) => (stop(seen) ? resolve(seen) : reject(e)));
    req.end();
  });
}

describe('the browser host switching archives', () => {
  it('opens another archive: the answer, every later operation and the open event stream follow it', async () => {
    const seen = await events(
      (list) => list.some((e) => e.type === 'verificationFinished'),
      () =>
        void api('openArchive', { path: second }).then(async (r) => {
          expect(r).toEqual({ status: 200, json: { ok: true, value: { path: second, name: path.basename(second) } } });
          // The stream opened before the switch hears the new archive's events.
          await api('startVerification');
        }),
    );
    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(['connected', 'archiveOpened', 'verificationStarted', 'verificationFinished']));
    expect(seen.find((e) => e.type === 'archiveOpened')).toEqual({ type: 'archiveOpened', archive: { path: second, name: path.basename(second) } });
    expect((await api('getArchiveInfo')).json).toEqual({ ok: true, value: { path: second, name: path.basename(second) } });
    const overview = (await api('getOverview')).json.value as { root: string };
    expect(overview.root).toBe(second);
    const recent = (await api('listRecentArchives')).json.value as { archives: { path: string; missing: boolean }[] };
    expect(recent.archives.map((a) => a.path)).toEqual([second]);
  });

  it('answers a malformed request with 400 and a refused folder with a failure value; the archive stays', async () => {
    const before = (await api('getArchiveInfo')).json;
    const malformed = await api('openArchive', { path: 'archives/q3' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/give the full path of the folder/) });
    const file = await api('openArchive', { path: path.join(second, fx.days[0]!) });
    expect(file.status).toBe(200);
    expect(file.json).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/is a file, not a folder/) } });
    expect((await api('getArchiveInfo')).json).toEqual(before);
  });
});
