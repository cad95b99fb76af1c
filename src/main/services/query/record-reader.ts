// Random access to one record by position or activation_id. Plain day files: one positioned read
// of the record's bytes (offset and length come from the index). Gzip day files: from the access
// point before the record (gzip-access.ts), built on first use and kept in the cache; decoding
// from the start of the file remains as the fallback when the points cannot be used.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ArchiveIndex, type SegmentEntry } from '../index/archive-index';
import { buildGzipAccess, loadGzipAccess, readGzipRange, zidxPath, type GzipAccess } from '../index/gzip-access';
import type { WorkerPool } from '../workers/worker-pool';
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import type { LoadedColumn } from '../index/segment';

export interface RecordText {
  row: number;
  file: string;
  line: number;
  /** The record's JSON line as stored. */
  text: string;
  verified: boolean;
}

const ID_COL = INDEXED_FIELDS.findIndex((f) => f.path === 'activation_id');

/** Global row of the record with this activation_id (exact match), or undefined. */
export function findRowById(index: ArchiveIndex, id: string): number | undefined {
  return findRowsByIds(index, [id]).get(id);
}

/** Code of `id` in a segment's activation_id dictionary, or -1 (the dictionary is sorted: binary search). */
function idCode(dict: Extract<LoadedColumn, { type: 'keyword' }>['dict'], id: string): number {
  const lower = id.toLowerCase();
  const lo = dict.lowerBound((s) => s >= lower);
  const hi = dict.lowerBound((s) => s > lower);
  for (let c = lo; c < hi; c++) if (dict.value(c) === id) return c;
  return -1;
}

/**
 * The first row of each id (in archive order), for many ids at once: per segment the ids' codes
 * are found by binary search, then its code column is passed over once, however many ids there are.
 */
export function findRowsByIds(index: ArchiveIndex, ids: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const seg of index.segments) {
    if (found.size === ids.length) break;
    const col = seg.segment.columns[ID_COL] as Extract<LoadedColumn, { type: 'keyword' }>;
    const wanted = new Map<number, string>();
    for (const id of ids) {
      if (found.has(id)) continue;
      const code = idCode(col.dict, id);
      if (code > 0) wanted.set(code, id);
    }
    const codes = col.codes;
    for (let i = 0; i < seg.rows && wanted.size > 0; i++) {
      const id = wanted.get(codes[i]!);
      if (id === undefined) continue;
      found.set(id, seg.base + i);
      wanted.delete(codes[i]!);
    }
  }
  return found;
}

async function readPlain(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await fh.read(buf, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new Error('the file is shorter than the index says: it changed since it was indexed');
      filled += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

async function readGzip(path: string, offset: number, length: number): Promise<Buffer> {
  const out = Buffer.alloc(length);
  let filled = 0;
  let pos = 0;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const end = pos + chunk.length;
      if (end > offset + filled) {
        const from = offset + filled - pos;
        const n = Math.min(chunk.length - from, length - filled);
        chunk.copy(out, filled, from, from + n);
        filled += n;
        if (filled === length) break;
      }
      pos = end;
    }
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  if (filled < length) throw new Error('the gzip stream ended before the record: the file changed since it was indexed');
  return out;
}

export interface ReadOptions {
  /** Builds missing gzip access points in a worker instead of on this thread. */
  pool?: WorkerPool;
  /** Never build access points (read gzip from the start when there are none). */
  noBuild?: boolean;
}

const accessCache = new WeakMap<ArchiveIndex, Map<string, Promise<GzipAccess | undefined>>>();

/** The access points of a gzip day file: from memory, the cache, or built now. */
export function gzipAccessFor(index: ArchiveIndex, seg: SegmentEntry, opts: ReadOptions = {}): Promise<GzipAccess | undefined> {
  let perIndex = accessCache.get(index);
  if (!perIndex) accessCache.set(index, (perIndex = new Map()));
  let p = perIndex.get(seg.file.name);
  if (!p) {
    const identity = seg.segment.header.identity;
    const file = zidxPath(index.cacheDir, seg.file.name);
    p = (async () => {
      const loaded = await loadGzipAccess(file, identity);
      if (loaded || opts.noBuild) return loaded;
      if (opts.pool) await opts.pool.run({ kind: 'gzipAccess', path: seg.file.path, identity, outPath: file });
      else await buildGzipAccess(seg.file.path, identity, file);
      return loadGzipAccess(file, identity);
    })().catch(() => undefined);
    if (!opts.noBuild) perIndex.set(seg.file.name, p);
  }
  return p;
}

/** The record at a global row. */
export async function readRecordAt(index: ArchiveIndex, row: number, opts: ReadOptions = {}): Promise<RecordText> {
  const seg: SegmentEntry | undefined = index.segmentOf(row);
  if (!seg) throw new RangeError(`no record at position ${row}`);
  const i = row - seg.base;
  const offset = seg.segment.rows.offset[i]!;
  const length = seg.segment.rows.length[i]!;
  let bytes: Buffer | undefined;
  if (seg.file.gzip) {
    const access = await gzipAccessFor(index, seg, opts);
    if (access) bytes = await readGzipRange(seg.file.path, access, offset, length);
    bytes ??= await readGzip(seg.file.path, offset, length);
  } else bytes = await readPlain(seg.file.path, offset, length);
  return { row, file: seg.file.name, line: seg.segment.rows.line[i]!, text: bytes.toString('utf8'), verified: ArchiveIndex.verified(seg, i) };
}

/** The record with an activation_id, or undefined. */
export async function readRecordById(index: ArchiveIndex, id: string, opts: ReadOptions = {}): Promise<RecordText | undefined> {
  const row = findRowById(index, id);
  return row === undefined ? undefined : readRecordAt(index, row, opts);
}

/** Builds (or loads) the access points of every gzip day file; returns their total size on disk. */
export async function prepareGzipAccess(index: ArchiveIndex, pool: WorkerPool, signal?: AbortSignal): Promise<{ files: number; bytes: number }> {
  const { stat } = await import('node:fs/promises');
  const gz = index.segments.filter((s) => s.file.gzip);
  await Promise.all(
    gz.map(async (seg) => {
      if (signal?.aborted) return;
      await gzipAccessFor(index, seg, { pool });
    }),
  );
  let bytes = 0;
  for (const seg of gz) {
    try {
      bytes += (await stat(zidxPath(index.cacheDir, seg.file.name))).size;
    } catch {
      // not built (unreadable gzip): reads fall back to decoding from the start
    }
  }
  return { files: gz.length, bytes };
}
