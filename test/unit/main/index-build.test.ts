// The index build: every column value equals what the record holds, segments are reused while
// files are unchanged, a changed file is re-indexed alone, a damaged or foreign segment is rebuilt,
// and the cache never goes inside the archive.
import { appendFile, cp, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchiveIndex } from '../../../src/main/services/index/archive-index';
import { CacheLocationError } from '../../../src/main/services/index/cache';
import { ColumnCache, decodeSegment, FLAG_FINDING, loadSegmentFile, SEGMENT_FORMAT_VERSION, segmentFileIdentity, type LoadedColumn } from '../../../src/main/services/index/segment';
import { columnValue, QueryEngine } from '../../../src/main/services/query/query-engine';
import { TaskCancelledError, WorkerPool } from '../../../src/main/services/workers/worker-pool';
import { formatTimestampMicros, resolveField } from '../../../src/shared/query';
import { fieldValues } from '../../../src/shared/query-match';
import { INDEXED_FIELDS } from '../../../src/shared/record-schema';
import { editLines, WORKER_PATH } from './archive-fixture';
import { writeRandomArchive, type RandomArchive } from './query-fixture';

describe('index build', () => {
  const pool = new WorkerPool(WORKER_PATH, 2);
  let tmp = '';
  let archive: RandomArchive;
  let cacheRoot = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-index-'));
    archive = await writeRandomArchive(path.join(tmp, 'archive'), 5, 3, 60);
    cacheRoot = path.join(tmp, 'cache');
  });

  afterAll(async () => {
    await pool.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const copyArchive = async (name: string) => {
    const dir = path.join(tmp, name);
    await cp(archive.dir, dir, { recursive: true });
    return dir;
  };

  it('stores exactly the typed values each record holds, from the raw scanner and from JSON.parse', async () => {
    const { index, report } = await openArchiveIndex(archive.dir, { pool, cacheRoot });
    expect(report.files.every((f) => f.action === 'indexed')).toBe(true);
    let scanned = 0;
    let parsed = 0;
    let k = 0;
    for (const seg of index.segments) {
      scanned += seg.segment.header.stats.scanned;
      parsed += seg.segment.header.stats.parsed;
      for (let i = 0; i < seg.rows; i++, k++) {
        const r = archive.records[k]!;
        expect(seg.segment.rows.line[i]).toBe(r.line);
        const place = { file: r.file, line: r.line, verified: true };
        seg.segment.columns.forEach((col, c) => {
          const f = INDEXED_FIELDS[c]!;
          const values = fieldValues(r.record, resolveField(f.path)!, place);
          const got = columnValue(col, i);
          if (f.multi) expect(got, `${f.path} at ${r.file}:${r.line}`).toEqual([...new Set(values)]);
          else if (values.length === 0) expect(got, `${f.path} at ${r.file}:${r.line}`).toBeNull();
          else if (f.type === 'timestamp') expect(got).toBe(formatTimestampMicros(values[0] as number));
          else expect(got, `${f.path} at ${r.file}:${r.line}`).toBe(values[0]);
        });
      }
    }
    expect(k).toBe(archive.records.length);
    // Both extraction paths ran: canonical sealed lines and re-serialized ones.
    expect(scanned).toBeGreaterThan(0);
    expect(parsed).toBeGreaterThan(0);
  });

  it('reopening an unchanged archive reuses every segment without rescanning', async () => {
    const dir = await copyArchive('reuse');
    await openArchiveIndex(dir, { pool, cacheRoot });
    const { report } = await openArchiveIndex(dir, { pool, cacheRoot });
    expect(report.files.map((f) => f.action)).toEqual(archive.files.map(() => 'reused'));
    expect(report.records).toBe(archive.records.length);
  });

  it('re-indexes only a changed file, and the change shows in queries and verification state', async () => {
    const dir = await copyArchive('changed');
    await openArchiveIndex(dir, { pool, cacheRoot });
    const plain = archive.files[archive.files.length - 1]!;
    expect(plain.endsWith('.gz')).toBe(false);
    await editLines(dir, plain, (lines) => {
      lines[1] = lines[1]!.replace(/"platform_publishing":\{/, '"platform_publishing":{"tampered":"yes",');
    });
    const { index, report } = await openArchiveIndex(dir, { pool, cacheRoot });
    expect(report.files.filter((f) => f.action === 'indexed').map((f) => f.file)).toEqual([plain]);
    expect(report.files.find((f) => f.file === plain)!.reason).toMatch(/changed/);
    const seg = index.segments.find((s) => s.file.name === plain)!;
    expect(seg.segment.rows.flags[1]! & FLAG_FINDING).toBe(FLAG_FINDING);
    const engine = new QueryEngine(index, pool);
    const r = await engine.query({ query: 'verified:false AND file:' + plain });
    expect(r.rows.map((x) => x.line)).toContain(2);
    expect((await engine.query({ query: 'platform_publishing.tampered:yes' })).total).toBe(1);
  });

  it('notices a rewrite that keeps size and mtime (content fingerprint)', async () => {
    const dir = await copyArchive('same-size');
    await openArchiveIndex(dir, { pool, cacheRoot });
    const plain = archive.files[archive.files.length - 1]!;
    const p = path.join(dir, plain);
    const bytes = await readFile(p);
    const before = (await import('node:fs')).statSync(p);
    const i = bytes.indexOf('"status":"');
    bytes[i + 10] = bytes[i + 10] === 0x78 ? 0x79 : 0x78;
    await writeFile(p, bytes);
    await utimes(p, before.atime, before.mtime);
    const { report } = await openArchiveIndex(dir, { pool, cacheRoot });
    expect(report.files.find((f) => f.file === plain)!.action).toBe('indexed');
  });

  it('rebuilds a segment with a flipped byte, a foreign version or garbage, never trusting it', async () => {
    const dir = await copyArchive('damaged');
    const { index } = await openArchiveIndex(dir, { pool, cacheRoot });
    const segs = (await readdir(index.cacheDir)).filter((n) => n.endsWith('.seg')).sort();
    expect(segs).toHaveLength(3);
    const at = (n: number) => path.join(index.cacheDir, segs[n]!);
    const flipped = await readFile(at(0));
    const mid = Math.floor(flipped.length / 2);
    flipped[mid] = flipped[mid]! ^ 0x40;
    await writeFile(at(0), flipped);
    const versioned = await readFile(at(1));
    versioned.writeUInt32LE(SEGMENT_FORMAT_VERSION + 1, 8);
    await writeFile(at(1), versioned);
    await writeFile(at(2), 'not a segment at all');
    const { index: again, report } = await openArchiveIndex(dir, { pool, cacheRoot });
    expect(report.files.map((f) => f.action)).toEqual(['indexed', 'indexed', 'indexed']);
    expect(report.files[0]!.reason).toMatch(/checksum/);
    expect(report.files[1]!.reason).toMatch(/format/);
    expect(again.records).toBe(archive.records.length);
    const engine = new QueryEngine(again, pool);
    expect((await engine.query({ query: '' })).total).toBe(archive.records.length);
  });

  it('picks up a new day file and a file that grew', async () => {
    const dir = await copyArchive('grow');
    await openArchiveIndex(dir, { pool, cacheRoot });
    const plain = archive.files[archive.files.length - 1]!;
    const lines = (await readFile(path.join(dir, plain), 'utf8')).split('\n').filter(Boolean);
    await appendFile(path.join(dir, plain), lines[0] + '\n');
    await writeFile(path.join(dir, 'activations-2026-12-01.jsonl'), lines[1] + '\n');
    const { index, report } = await openArchiveIndex(dir, { pool, cacheRoot });
    expect(report.files.filter((f) => f.action === 'indexed').map((f) => f.file).sort()).toEqual(['activations-2026-12-01.jsonl', plain].sort());
    expect(index.records).toBe(archive.records.length + 2);
  });

  it('reads columns lazily through a bounded cache: evicted columns come back equal; a replaced segment is refused', async () => {
    const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot });
    const segDir = index.cacheDir;
    const name = (await readdir(segDir)).find((n) => n.endsWith('.seg'))!;
    const segPath = path.join(segDir, name);
    const bytes = await readFile(segPath);
    const eager = decodeSegment(bytes);
    // A budget of one byte keeps only the latest column: every other access reads the file again.
    const tiny = new ColumnCache(1);
    const identity = segmentFileIdentity(await stat(segPath, { bigint: true }));
    const lazy = loadSegmentFile(segPath, bytes, identity, tiny);
    expect(lazy.rows).toEqual(eager.rows);
    for (let round = 0; round < 2; round++) {
      INDEXED_FIELDS.forEach((_f, c) => {
        for (let i = 0; i < eager.header.rows; i++) expect(columnValue(lazy.columns[c]!, i)).toEqual(columnValue(eager.columns[c]!, i));
      });
    }
    // A row read alone (columns not in the cache) gives the same values as the whole columns.
    const fresh = loadSegmentFile(segPath, bytes, identity, new ColumnCache(1));
    for (let i = 0; i < eager.header.rows; i++) {
      expect(fresh.rowColumns(i).map(([col, at]) => columnValue(col, at))).toEqual(eager.columns.map((col) => columnValue(col, i)));
    }
    expect(() => fresh.rowColumns(eager.header.rows)).toThrow(RangeError);
    // A block of rows read together loads whole columns, with the same values.
    const block = loadSegmentFile(segPath, bytes, identity, new ColumnCache(64 * 1024 * 1024));
    for (let i = 0; i < eager.header.rows; i++) {
      expect(block.rowColumns(i, 16).map(([col, at]) => columnValue(col, at))).toEqual(eager.columns.map((col) => columnValue(col, i)));
    }
    const rowsIn = (col: LoadedColumn) => (col.type === 'multi' ? col.offsets.length - 1 : col.type === 'keyword' ? col.codes.length : col.values.length);
    expect(block.rowColumns(0, 16).map(([col]) => rowsIn(col))).toEqual(INDEXED_FIELDS.map(() => eager.header.rows));
    // Array methods and iteration see the same columns as indexing does.
    expect(lazy.columns.map((c) => c.field.path)).toEqual(INDEXED_FIELDS.map((f) => f.path));
    expect([...lazy.columns].length).toBe(INDEXED_FIELDS.length);
    expect(tiny.usedBytes).toBeLessThan(bytes.length);
    // The cache replaces segments by rename: a later read must not mix two versions.
    const copy = `${segPath}.copy`;
    await writeFile(copy, bytes);
    await rm(segPath);
    await writeFile(segPath, bytes);
    expect(() => lazy.columns[0]).toThrow(/replaced while the archive was open/);
    await rm(copy);
  });

  it('refuses a cache folder inside the archive', async () => {
    await expect(openArchiveIndex(archive.dir, { pool, cacheRoot: path.join(archive.dir, '.cache') })).rejects.toBeInstanceOf(CacheLocationError);
  });

  it('can be cancelled', async () => {
    const dir = await copyArchive('cancel');
    const controller = new AbortController();
    const opening = openArchiveIndex(dir, { pool, cacheRoot: path.join(tmp, 'cache-cancel'), signal: controller.signal });
    controller.abort();
    await expect(opening).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('reports progress', async () => {
    const dir = await copyArchive('progress');
    const seen: number[] = [];
    await openArchiveIndex(dir, { pool, cacheRoot: path.join(tmp, 'cache-progress'), onProgress: (p) => seen.push(p.doneBytes / p.totalBytes) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toBe(1);
  });
});

describe('random access', () => {
  const pool = new WorkerPool(WORKER_PATH, 2);
  let tmp = '';
  let archive: RandomArchive;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-access-'));
    archive = await writeRandomArchive(path.join(tmp, 'archive'), 31, 3, 40);
  });
  afterAll(async () => {
    await pool.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads any record by position and by activation_id, from plain and gzip files', async () => {
    const { readRecordAt, readRecordById } = await import('../../../src/main/services/query/record-reader');
    const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot: path.join(tmp, 'cache') });
    expect(archive.files.some((f) => f.endsWith('.gz'))).toBe(true);
    let k = 0;
    for (const seg of index.segments) {
      for (let i = 0; i < seg.rows; i++, k++) {
        const want = archive.records[k]!;
        const got = await readRecordAt(index, seg.base + i);
        expect(got.text).toBe(want.text);
        expect(got.file).toBe(want.file);
        if (i % 7 === 0) {
          const byId = await readRecordById(index, want.record.activation_id as string);
          expect(byId?.row).toBeDefined();
          expect(JSON.parse(byId!.text).activation_id).toBe(want.record.activation_id);
        }
      }
    }
    expect(await readRecordById(index, 'act_' + '0'.repeat(32))).toBeUndefined();
  });

  it('finds many activation ids at once, each at the row a lookup of it alone finds', async () => {
    const { findRowById, findRowsByIds } = await import('../../../src/main/services/query/record-reader');
    const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot: path.join(tmp, 'cache') });
    const ids = archive.records.map((r) => r.record.activation_id as string);
    const unknown = 'act_' + 'f'.repeat(32);
    const rows = findRowsByIds(index, [...ids, unknown]);
    expect(rows.has(unknown)).toBe(false);
    for (const id of ids) expect(rows.get(id)).toBe(findRowById(index, id));
    expect(new Set(rows.values()).size).toBe(new Set(ids).size);
  });
});

describe('cache housekeeping', () => {
  it('drops the segment of a day file that left the archive', async () => {
    const { mkdtemp: mk, rm: remove, readdir: ls } = await import('node:fs/promises');
    const pool = new WorkerPool(WORKER_PATH, 1);
    const tmp = await mk(path.join(os.tmpdir(), 'alog-house-'));
    try {
      const archive = await writeRandomArchive(path.join(tmp, 'a'), 3, 2, 10);
      const cacheRoot = path.join(tmp, 'cache');
      const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot });
      expect((await ls(index.cacheDir)).filter((n) => n.endsWith('.seg'))).toHaveLength(2);
      await remove(path.join(archive.dir, archive.files[0]!));
      const again = await openArchiveIndex(archive.dir, { pool, cacheRoot });
      expect((await ls(index.cacheDir)).filter((n) => n.endsWith('.seg'))).toEqual([`${archive.files[1]}.seg`]);
      expect(again.index.records).toBe(archive.records.filter((r) => r.file === archive.files[1]).length);
    } finally {
      await pool.close();
      await remove(tmp, { recursive: true, force: true });
    }
  });
});

describe('damaged day files', () => {
  it('a truncated gzip file indexes the records before the break; queries and reads still answer', async () => {
    const { mkdtemp: mk, rm: remove, readFile: rf, writeFile: wf } = await import('node:fs/promises');
    const { QueryEngine: Engine } = await import('../../../src/main/services/query/query-engine');
    const { readRecordAt } = await import('../../../src/main/services/query/record-reader');
    const pool = new WorkerPool(WORKER_PATH, 2);
    const tmp = await mk(path.join(os.tmpdir(), 'alog-trunc-'));
    try {
      const archive = await writeRandomArchive(path.join(tmp, 'a'), 7, 2, 60, 0);
      const gz = archive.files.find((f) => f.endsWith('.gz'));
      expect(gz).toBeDefined();
      if (!gz) return;
      const p = path.join(archive.dir, gz);
      const bytes = await rf(p);
      await wf(p, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot: path.join(tmp, 'cache') });
      const seg = index.segments.find((s) => s.file.name === gz)!;
      expect(seg.rows).toBeGreaterThan(0);
      expect(seg.rows).toBeLessThan(archive.records.filter((r) => r.file === gz).length);
      expect(seg.segment.header.verify.complete).toBe(false);
      const engine = new Engine(index, pool);
      const all = await engine.query({ query: `file:${gz} AND activation`, limit: 10_000 });
      expect(all.total).toBe(seg.rows);
      const last = await readRecordAt(index, seg.base + seg.rows - 1);
      expect(JSON.parse(last.text).activation_id).toMatch(/^act_/);
    } finally {
      await pool.close();
      await remove(tmp, { recursive: true, force: true });
    }
  });
});
