import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveSession, resolveArchivePath } from '../../../src/main/services/store/archive-session';
import type { ArchiveStore } from '../../../src/main/services/store/archive-store';
import { RecentArchives } from '../../../src/main/services/store/recent-archives';
import { appOperations } from '../../../src/main/services/store/session-operations';
import { runOperation, type AppEvent, type OperationHandlers } from '../../../src/shared/ipc-contract';
import { StoreFixture } from './store-fixture';

// Opening another archive through the contract (`openArchive`, as the header's path field, a
// dropped folder and the browser host use it) and the recent list (`listRecentArchives`).

const fx = new StoreFixture();
let second = '';
let notArchive = '';
let aFile = '';

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 5 });
  second = await fx.copy();
  notArchive = path.join(fx.userData, '..', 'empty-folder');
  await mkdir(notArchive, { recursive: true });
  aFile = path.join(fx.base, fx.days[0]!);
});
afterAll(() => fx.teardown());

function newSession(): { session: ArchiveSession; handlers: OperationHandlers; events: AppEvent[]; opened: string[] } {
  const opened: string[] = [];
  const session = new ArchiveSession({
    openStore: (root) => {
      opened.push(root);
      return fx.store(root);
    },
    initialArchive: fx.base,
    recents: new RecentArchives(path.join(fx.userData, `recents-${Math.random().toString(36).slice(2)}`), { warn: () => undefined }),
  });
  const events: AppEvent[] = [];
  session.onEvent((event) => events.push(event));
  return { session, handlers: appOperations(session), events, opened };
}

/** Events about switching archives, without those of the pass that verifies each opened archive. */
function switchEvents(events: AppEvent[]): AppEvent[] {
  return events.filter((e) => !e.type.startsWith('index') && !e.type.startsWith('verification'));
}

describe('opening an archive verifies it', () => {
  it('the first archive and the one switched to: the index pass runs and the report follows, unasked', async () => {
    const { session, handlers } = newSession();
    expect(session.store.verificationState().status).toBe('running');
    await session.store.verificationSettled();
    const first = session.store.verificationState();
    expect(first).toMatchObject({ status: 'done', phase: 'index', verdict: 'untrusted_key' });
    expect(first.report?.summary.records).toBe(10);
    await runOperation(handlers, 'openArchive', { path: second });
    expect(session.store.verificationState().status).toBe('running');
    await session.store.verificationSettled();
    expect(session.store.verificationState()).toMatchObject({ status: 'done', phase: 'index', verdict: 'untrusted_key' });
    await session.close();
  });
});

describe('openArchive', () => {
  it('switches the archive every operation answers for, records it and announces it', async () => {
    const { session, handlers, events } = newSession();
    const first = session.store;
    const result = await runOperation(handlers, 'openArchive', { path: second });
    expect(result).toEqual({ ok: true, value: { path: second, name: path.basename(second) } });
    expect(session.store).not.toBe(first);
    expect(await runOperation(handlers, 'getArchiveInfo', {})).toEqual({ ok: true, value: { path: second, name: path.basename(second) } });
    expect(events).toContainEqual({ type: 'archiveOpened', archive: { path: second, name: path.basename(second) } });
    const recent = await runOperation(handlers, 'listRecentArchives', {});
    expect(recent.ok && recent.value.archives.map((a) => [a.path, a.missing])).toEqual([[second, false]]);
    await session.close();
  });

  it('refuses to switch while an export runs, which closing the archive would cancel', async () => {
    const { session, handlers, events } = newSession();
    const first = session.store;
    vi.spyOn(first.exports, 'running', 'get').mockReturnValue(true);
    const result = await runOperation(handlers, 'openArchive', { path: second });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/export .* is running: cancel it or wait/);
    expect(session.store).toBe(first);
    expect(events.some((e) => e.type === 'archiveOpened')).toBe(false);
    vi.restoreAllMocks();
    await session.close();
  });

  it('keeps forwarding the current store\'s events after a switch, and none of the old one\'s', async () => {
    const { session, handlers, events } = newSession();
    const old = session.store;
    await runOperation(handlers, 'openArchive', { path: second });
    events.length = 0;
    old.startVerification();
    await old.verificationSettled();
    expect(events.filter((e) => e.type.startsWith('verification'))).toEqual([]);
    await runOperation(handlers, 'startVerification', {});
    await session.store.verificationSettled();
    expect(events.map((e) => e.type)).toContain('verificationFinished');
    await session.close();
  });

  it('opening the archive already open changes nothing but the recent list', async () => {
    const { session, handlers, events, opened } = newSession();
    const store: ArchiveStore = session.store;
    const result = await runOperation(handlers, 'openArchive', { path: `${fx.base}/` });
    expect(result).toMatchObject({ ok: true, value: { path: fx.base } });
    expect(session.store).toBe(store);
    expect(opened).toEqual([fx.base]);
    expect(switchEvents(events)).toEqual([]);
    const recent = await runOperation(handlers, 'listRecentArchives', {});
    expect(recent.ok && recent.value.archives.map((a) => a.path)).toEqual([fx.base]);
    await session.close();
  });

  const refusals: [string, () => string, RegExp][] = [
    ['a missing folder', () => path.join(fx.base, 'no-such-folder'), /There is no folder at .*no-such-folder/],
    ['a file', () => aFile, /is a file, not a folder/],
    ['a folder without day files', () => notArchive, /holds no day files .* not an ActivationLog archive/],
    ['a path through a file', () => path.join(aFile, 'x'), /There is no folder at/],
  ];
  it.each(refusals)('refuses %s as a value, and the current archive stays open', async (_label, target, message) => {
    const { session, handlers, events } = newSession();
    const store = session.store;
    const result = await runOperation(handlers, 'openArchive', { path: target() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('failed');
    expect(result.error.message).toMatch(message);
    expect(session.store).toBe(store);
    expect(switchEvents(events)).toEqual([]);
    const recent = await runOperation(handlers, 'listRecentArchives', {});
    expect(recent).toEqual({ ok: true, value: { archives: [] } });
    await session.close();
  });

  it('refuses a user-data folder inside the new archive (trust settings must live outside it)', async () => {
    const inside = await fx.copy();
    const session = new ArchiveSession({
      openStore: (root) => fx.store(root, path.join(inside, 'settings')),
      initialArchive: fx.base,
      recents: new RecentArchives(path.join(fx.userData, 'recents-inside')),
    });
    const result = await runOperation(appOperations(session), 'openArchive', { path: inside });
    expect(result).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/inside the archive/) } });
    await session.close();
  });

  it('runs two opens one after the other, the last one winning', async () => {
    const { session, handlers } = newSession();
    const [a, b] = await Promise.all([runOperation(handlers, 'openArchive', { path: second }), runOperation(handlers, 'openArchive', { path: fx.base })]);
    expect(a.ok && b.ok).toBe(true);
    expect(session.store.root).toBe(fx.base);
    await session.close();
  });
});

describe('resolveArchivePath', () => {
  it('expands ~ to the home folder and normalises', () => {
    expect(resolveArchivePath('~', '/home/ann')).toBe('/home/ann');
    expect(resolveArchivePath('~/audits/../q3/', '/home/ann')).toBe('/home/ann/q3');
    expect(resolveArchivePath('  /srv/q3  ', '/home/ann')).toBe('/srv/q3');
  });
  it('refuses a relative path (the server has no current folder the user knows)', () => {
    expect(() => resolveArchivePath('q3', os.homedir())).toThrow(/not a full path/);
    expect(() => resolveArchivePath('~ann/q3', os.homedir())).toThrow(/not a full path/);
  });
});

describe('a file where an archive was', () => {
  it('is flagged missing in the recent list', async () => {
    const { session, handlers } = newSession();
    const moved = await fx.copy();
    await runOperation(handlers, 'openArchive', { path: moved });
    await runOperation(handlers, 'openArchive', { path: fx.base });
    await rm(moved, { recursive: true });
    await writeFile(moved, 'now a file');
    const recent = await runOperation(handlers, 'listRecentArchives', {});
    expect(recent.ok && recent.value.archives.map((a) => [a.path, a.missing])).toEqual([
      [fx.base, false],
      [moved, true],
    ]);
    await session.close();
  });
});
