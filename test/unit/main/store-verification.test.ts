import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openArchiveIndex } from '../../../src/main/services/index/archive-index';
import { applyVerification, indexDuplicates, verifyIndex } from '../../../src/main/services/index/index-verification';
import { QueryEngine } from '../../../src/main/services/query/query-engine';
import { ArchiveStore } from '../../../src/main/services/store/archive-store';
import type { WorkerTask } from '../../../src/main/services/workers/protocol';
import { editLines, readLines, withoutTime } from './archive-fixture';
import { StoreFixture } from './store-fixture';

// The archive's one verification state across opens: a reopen with a valid cache reads no day
// file, a changed file is verified again (and only it), "verify again" reads everything and
// catches what the cache could not see, and nothing is green before a result exists.
// Three sealed days of 80 records (the newest plain, ~200 KB: more than the 2 x 64 KiB a file's
// identity fingerprints).

const fx = new StoreFixture();
let newest: string;

beforeAll(async () => {
  await fx.setup({ perDay: 80 });
  newest = fx.days[2]!;
});
afterAll(() => fx.teardown());

function trustedStore(root: string, userData: string): ArchiveStore {
  return new ArchiveStore({ root, userDataDir: userData, pool: fx.pool, sessionKeys: [fx.trusted] });
}

/** Runs `body` and returns the worker tasks it started. */
async function tasksOf(body: () => Promise<void>): Promise<WorkerTask[]> {
  const run = vi.spyOn(fx.pool, 'run');
  try {
    await body();
    return run.mock.calls.map((c) => c[0] as WorkerTask);
  } finally {
    run.mockRestore();
  }
}

async function openAndVerify(store: ArchiveStore): Promise<void> {
  store.openIndex();
  await store.verificationSettled();
}

describe('reopening an archive', () => {
  it('with a valid cache, shows the stored result at once: no day file is read, the report is the same', async () => {
    const userData = path.join(fx.userData, 'reopen');
    const first = trustedStore(fx.base, userData);
    await openAndVerify(first);
    const before = first.verificationState();
    expect(before).toMatchObject({ status: 'done', verdict: 'verified', reportSource: { phase: 'index', filesRead: 3, filesFromCache: 0 } });
    await first.close();

    const second = trustedStore(fx.base, userData);
    const tasks = await tasksOf(() => openAndVerify(second));
    expect(tasks).toEqual([]);
    const after = second.verificationState();
    expect(after).toMatchObject({ status: 'done', verdict: 'verified', reportSource: { phase: 'index', filesRead: 0, filesFromCache: 3 } });
    // The same report, but that the second open is checked against the history the first recorded.
    expect(after.report!.completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 0 });
    const noCheckpoint = (r: typeof before.report) => withoutTime({ ...r!, completeness: { ...r!.completeness, checkpoint: null } });
    expect(noCheckpoint(after.report)).toEqual(noCheckpoint(before.report));
    expect(second.recordIntegrity(newest, 5)).toBe('verified');
    await second.close();
  });

  it('the duplicate check across files is kept with the segments and reused while no file changed', async () => {
    const cacheRoot = path.join(fx.userData, 'dups');
    const { index } = await openArchiveIndex(fx.base, { pool: fx.pool, cacheRoot });
    expect((await indexDuplicates(index)).fromCache).toBe(false);
    expect(await indexDuplicates(index)).toEqual({ findings: [], fromCache: true });
  });

  it('re-verifies only the day file that changed, and its findings show', async () => {
    const dir = await fx.copy();
    const userData = path.join(fx.userData, 'changed');
    await openAndVerify(trustedStore(dir, userData));
    await editLines(dir, newest, (lines) => {
      lines[9] = lines[9]!.replace('"body":"', '"body":"X');
    });
    const store = trustedStore(dir, userData);
    const tasks = await tasksOf(() => openAndVerify(store));
    expect(tasks.map((t) => [t.kind, 'file' in t ? t.file : ''])).toEqual([['indexFile', newest]]);
    const state = store.verificationState();
    expect(state).toMatchObject({ verdict: 'invalid', reportSource: { phase: 'index', filesRead: 1, filesFromCache: 2 } });
    const file = state.report!.files.find((f) => f.file === newest)!;
    expect(file.findings.map((f) => f.kind)).toEqual(['record_hash_mismatch', 'content_hash_mismatch', 'merkle_root_mismatch']);
    // The altered record and, with it, its whole day; the other days stay verified.
    expect(store.recordIntegrity(newest, 10)).toBe('invalid');
    expect(store.recordIntegrity(newest, 11)).toBe('invalid');
    expect(store.recordIntegrity(fx.days[0]!, 11)).toBe('verified');
  });

  it('"verify again" reads every file, and catches a change the cache could not see', async () => {
    const dir = await fx.copy();
    const file = path.join(dir, newest);
    const when = new Date('2026-01-02T03:04:05Z');
    await utimes(file, when, when);
    const userData = path.join(fx.userData, 'hidden');
    await openAndVerify(trustedStore(dir, userData));

    // One byte in the middle of the file: same size, same ends, the modification time put back.
    const bytes = await readFile(file);
    const middle = bytes.indexOf('"body":"', bytes.length / 2) + '"body":"'.length + 3;
    bytes[middle] = bytes[middle] === 0x51 ? 0x5a : 0x51;
    await writeFile(file, bytes);
    await utimes(file, when, when);
    const line = bytes.subarray(0, middle).toString('latin1').split('\n').length;

    const store = trustedStore(dir, userData);
    await openAndVerify(store);
    // The cache could not tell: its result is what the index holds, and says so.
    expect(store.verificationState()).toMatchObject({ verdict: 'verified', reportSource: { filesRead: 0, filesFromCache: 3 } });

    const tasks = await tasksOf(async () => {
      store.startVerification();
      await store.verificationSettled();
    });
    expect(tasks.filter((t) => t.kind === 'verifyFile')).toHaveLength(3);
    // The reread found the file's bytes differ from its segment: the index built that file again.
    expect(tasks.filter((t) => t.kind === 'indexFile').map((t) => ('file' in t ? t.file : ''))).toEqual([newest]);
    const state = store.verificationState();
    expect(state.verdict).toBe('invalid');
    const findings = state.report!.files.find((f) => f.file === newest)!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'record_hash_mismatch', line }));
    expect(store.indexState()).toMatchObject({ status: 'ready', filesIndexed: 1, filesReused: 2 });
    expect(store.recordIntegrity(newest, line)).toBe('invalid');
  });
});

describe('record classes', () => {
  it('nothing is verified before a result is applied: every record unknown, verified:true matches none', async () => {
    const { index } = await openArchiveIndex(fx.base, { pool: fx.pool, cacheRoot: path.join(fx.userData, 'unknown') });
    const engine = new QueryEngine(index, fx.pool);
    const page = await engine.query({ query: '', offset: 0, limit: 5 });
    expect(page.rows.map((r) => [r.integrity, r.verified])).toEqual(Array(5).fill(['unknown', false]));
    expect((await engine.query({ query: 'verified:true', offset: 0, limit: 1 })).total).toBe(0);
    expect((await engine.stats({ query: '' })).notYetVerified).toBe(240);

    const { report } = await verifyIndex(index, [fx.trusted]);
    engine.forgetSelections();
    expect((await engine.query({ query: 'verified:true', offset: 0, limit: 1 })).total).toBe(240);
    applyVerification(index, null);
    engine.forgetSelections();
    expect((await engine.query({ query: 'verified:true', offset: 0, limit: 1 })).total).toBe(0);
    applyVerification(index, report);
  });

  it('a malformed line in a sealed day marks every record of that day: verified:false and stats count them', async () => {
    const dir = await fx.copy();
    await editLines(dir, newest, (lines) => {
      lines.splice(40, 0, '{"activation_id":"act_0123", "this line": "stops here');
    });
    const { index } = await openArchiveIndex(dir, { pool: fx.pool, cacheRoot: path.join(fx.userData, 'malformed') });
    const { report } = await verifyIndex(index, [fx.trusted]);
    expect(report.files.find((f) => f.file === newest)!.findings.map((f) => f.kind)).toEqual(['malformed_line', 'content_hash_mismatch', 'record_count_mismatch']);
    const engine = new QueryEngine(index, fx.pool);
    const bad = await engine.query({ query: 'verified:false', offset: 0, limit: 100 });
    expect(bad.total).toBe(80);
    expect(bad.rows.every((r) => r.file === newest && r.integrity === 'invalid')).toBe(true);
    const stats = await engine.stats({ query: '' });
    expect(stats).toMatchObject({ total: 240, verified: 160, withFindings: 80, untrustedKey: 0, unsealed: 0, notYetVerified: 0 });
    expect((await readLines(dir, newest)).length).toBe(81);
  });

  it('an unsealed archive: records are unsealed, never verified, never invalid unless a finding names them', async () => {
    const unsealed = new StoreFixture();
    await unsealed.setup({ days: 1, perDay: 10, sealed: false });
    try {
      const { index } = await openArchiveIndex(unsealed.base, { pool: unsealed.pool, cacheRoot: path.join(fx.userData, 'unsealed') });
      const { report } = await verifyIndex(index, []);
      expect(report.summary.verdict).toBe('unsealed');
      const stats = await new QueryEngine(index, unsealed.pool).stats({ query: '' });
      expect(stats).toMatchObject({ total: 10, verified: 0, withFindings: 0, unsealed: 10 });
    } finally {
      await unsealed.teardown();
    }
  });
});
