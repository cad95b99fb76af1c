// Opens an archive's index: loads each day file's segment from the cache when it is intact and the
// file is unchanged, and (re)indexes the others in the worker pool, largest first. Rows of all
// segments share one numbering, each segment starting on a multiple of 32 so that a segment's rows
// are whole words of a query bitset.
import { setMaxListeners } from 'node:events';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { recordClass, type IntegrityClass } from '../../../shared/integrity-class';
import { discoverArchive, type ArchiveLayout, type DayFile } from '../archive/layout';
import type { FileOutcome } from '../verify/assemble-report';
import { inflateModeFor } from '../archive/line-scanner';
import { TaskCancelledError, type WorkerPool } from '../workers/worker-pool';
import { archiveCacheDir, defaultCacheRoot, fileIdentity, sameIdentity, segmentFileName } from './cache';
import { loadSegmentFile, segmentFileIdentity, FLAG_FINDING, FLAG_UNSEALED, SegmentFormatError, type FileIdentity, type LoadedSegment } from './segment';

export interface IndexProgress {
  doneBytes: number;
  totalBytes: number;
  filesDone: number;
  filesTotal: number;
}

export interface OpenIndexOptions {
  pool: WorkerPool;
  /** Root of the cache (default: $XDG_CACHE_HOME or ~/.cache, /activationlog-inspector). */
  cacheRoot?: string;
  /** Day files to index again even when their segment looks current (their bytes were found to differ). */
  reindex?: ReadonlySet<string>;
  lineCap?: number;
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
}

export interface IndexedFileReport {
  file: string;
  /** `unreadable`: the day file could not be read (no rows; verification reports it). */
  action: 'reused' | 'indexed' | 'unreadable';
  /** Why it was (re)indexed: no segment, changed file, damaged or foreign segment; why it is unreadable. */
  reason?: string;
  records: number;
  bytes: number;
}

export interface OpenIndexReport {
  files: IndexedFileReport[];
  records: number;
  /** On-disk bytes of the day files that were indexed in this run. */
  indexedDiskBytes: number;
  /** Uncompressed bytes of the day files that were indexed in this run. */
  indexedBytes: number;
  seconds: number;
  cacheDir: string;
  segmentBytes: number;
}

export interface SegmentEntry {
  file: DayFile;
  segment: LoadedSegment;
  /** Global row number of the segment's first row (a multiple of 32). */
  base: number;
  rows: number;
  /** True when the archive is sealed, so an unsealed record is a finding. */
  archiveSealed: boolean;
  /**
   * The class of this file's records that no finding names, from the archive's verification
   * (`intactRecordClass`); `unknown` until a verification result is applied to the index.
   */
  intactClass: IntegrityClass;
}

export class IndexUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexUnavailableError';
  }
}

/** An opened archive index: segments in date order over one global row numbering. */
export class ArchiveIndex {
  readonly segments: SegmentEntry[];
  /** Rows including the padding between segments (bitsets are this long). */
  readonly rowSpace: number;
  readonly records: number;

  constructor(
    readonly layout: ArchiveLayout,
    readonly cacheDir: string,
    loaded: { file: DayFile; segment: LoadedSegment }[],
    archiveSealed: boolean,
    /** Day files that could not be read, with the reason (they have no segment). */
    readonly unreadable: ReadonlyMap<string, string> = new Map(),
  ) {
    let base = 0;
    this.segments = loaded.map(({ file, segment }) => {
      const rows = segment.header.rows;
      const entry: SegmentEntry = { file, segment, base, rows, archiveSealed, intactClass: 'unknown' };
      base += (rows + 31) & ~31;
      return entry;
    });
    this.rowSpace = base;
    this.records = this.segments.reduce((n, s) => n + s.rows, 0);
  }

  /** The segment holding a global row. */
  segmentOf(row: number): SegmentEntry | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.segments[mid]!;
      if (row < s.base) hi = mid - 1;
      else if (row >= s.base + s.rows) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** A finding of the file's own pass names the record (an unsealed record in a sealed archive is one). */
  static hasFinding(entry: SegmentEntry, local: number): boolean {
    const f = entry.segment.rows.flags[local]!;
    return (f & FLAG_FINDING) !== 0 || (entry.archiveSealed && (f & FLAG_UNSEALED) !== 0);
  }

  /** The record's integrity class: its own findings, then its file's verification. */
  static integrity(entry: SegmentEntry, local: number): IntegrityClass {
    return recordClass(entry.intactClass, ArchiveIndex.hasFinding(entry, local));
  }

  /** The integrity class of a global row (undefined for padding between segments). */
  integrityOfRow(row: number): IntegrityClass | undefined {
    const entry = this.segmentOf(row);
    return entry ? ArchiveIndex.integrity(entry, row - entry.base) : undefined;
  }

  /** The record is intact and its day signed by a trusted key (the `verified` query field, the green seal). */
  static verified(entry: SegmentEntry, local: number): boolean {
    return ArchiveIndex.integrity(entry, local) === 'verified';
  }

  /** Every day file's own verification result: from its segment, or why it could not be read. */
  outcomes(): Map<string, FileOutcome> {
    const bySegment = new Map(this.segments.map((s) => [s.file.name, s.segment.header.verify]));
    const out = new Map<string, FileOutcome>();
    for (const f of this.layout.dayFiles) {
      const verify = bySegment.get(f.name);
      out.set(f.name, verify ?? { error: this.unreadable.get(f.name) ?? 'the file was not indexed' });
    }
    return out;
  }

  /** Total bytes of the segments on disk. */
  get segmentBytes(): number {
    return this.segments.reduce((n, s) => n + s.segment.bytes, 0);
  }
}

// Segment files are read into one reused buffer: only their row arrays are kept (columns are read
// back on demand), and a fresh buffer per file would leave the whole index as garbage to collect.
let scratch = Buffer.alloc(0);

async function readIntoScratch(file: string): Promise<{ bytes: Buffer; identity: string }> {
  const fh = await open(file, 'r');
  try {
    // The identity comes from the handle that reads the bytes: the lazy column reads later check
    // they still read this very file.
    const st = await fh.stat({ bigint: true });
    const size = Number(st.size);
    if (scratch.length < size) scratch = Buffer.alloc(Math.max(size, Math.min(2 * scratch.length, 64 * 1024 * 1024)));
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await fh.read(scratch, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: scratch.subarray(0, filled), identity: segmentFileIdentity(st) };
  } finally {
    await fh.close();
  }
}

// Loads run one at a time, since they share the scratch buffer.
let loading: Promise<unknown> = Promise.resolve();

/** The reason a day file without a segment in the cache is indexed. */
export const NOT_INDEXED_YET = 'not indexed yet';

function tryLoad(segPath: string, identity: FileIdentity, archiveSealed: boolean): Promise<{ segment?: LoadedSegment; reason: string }> {
  const next = loading.then(() => tryLoadAlone(segPath, identity, archiveSealed));
  loading = next.catch(() => undefined);
  return next;
}

async function tryLoadAlone(segPath: string, identity: FileIdentity, archiveSealed: boolean): Promise<{ segment?: LoadedSegment; reason: string }> {
  let bytes: Buffer;
  let fileIdentity: string;
  try {
    ({ bytes, identity: fileIdentity } = await readIntoScratch(segPath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { reason: NOT_INDEXED_YET };
    return { reason: `cannot read its segment: ${(e as Error).message}` };
  }
  let segment: LoadedSegment;
  try {
    segment = loadSegmentFile(segPath, bytes, fileIdentity);
  } catch (e) {
    if (e instanceof SegmentFormatError) return { reason: `segment rebuilt: ${e.message}` };
    throw e;
  }
  if (!sameIdentity(segment.header.identity, identity)) return { reason: 'the file changed since it was indexed' };
  if (segment.header.archiveSealed !== archiveSealed) return { reason: 'the archive became sealed or unsealed' };
  return { segment, reason: '' };
}

/** Opens (building or refreshing as needed) the index of the archive at `root`. */
export async function openArchiveIndex(root: string, opts: OpenIndexOptions): Promise<{ index: ArchiveIndex; report: OpenIndexReport }> {
  const started = performance.now();
  // The pool adds an abort listener per day-file task: not a leak.
  if (opts.signal) setMaxListeners(0, opts.signal);
  const layout = await discoverArchive(root);
  const cacheDir = await archiveCacheDir(layout.root, opts.cacheRoot ?? defaultCacheRoot());
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path.join(cacheDir, 'archive.json'), JSON.stringify({ root: layout.root }) + '\n');
  const archiveSealed = layout.digests.length > 0;

  const identities = await Promise.all(
    layout.dayFiles.map((f) => (f.unreadable ? { error: f.unreadable } : fileIdentity(f.path).catch((e: unknown) => ({ error: (e as Error).message })))),
  );
  const loaded = new Map<string, LoadedSegment>();
  const reports = new Map<string, IndexedFileReport>();
  const unreadable = new Map<string, string>();
  const todo: { file: DayFile; identity: FileIdentity; reason: string }[] = [];
  for (let i = 0; i < layout.dayFiles.length; i++) {
    const f = layout.dayFiles[i]!;
    const identity = identities[i]!;
    if ('error' in identity) {
      unreadable.set(f.name, identity.error);
      reports.set(f.name, { file: f.name, action: 'unreadable', reason: identity.error, records: 0, bytes: 0 });
      continue;
    }
    if (opts.reindex?.has(f.name)) {
      todo.push({ file: f, identity, reason: 'its bytes differ from what was indexed' });
      continue;
    }
    const { segment, reason } = await tryLoad(path.join(cacheDir, segmentFileName(f.name)), identity, archiveSealed);
    if (segment) {
      loaded.set(f.name, segment);
      reports.set(f.name, { file: f.name, action: 'reused', records: segment.header.rows, bytes: segment.header.verify.bytes });
    } else todo.push({ file: f, identity, reason });
  }

  const totalBytes = todo.reduce((n, t) => n + t.file.size, 0);
  const done = new Map<string, number>();
  let filesDone = 0;
  const report = () => {
    let doneBytes = 0;
    for (const v of done.values()) doneBytes += v;
    opts.onProgress?.({ doneBytes, totalBytes, filesDone, filesTotal: todo.length });
  };
  let indexedBytes = 0;
  const failures: string[] = [];
  const inflate = inflateModeFor(todo.length, opts.pool.size);
  await Promise.all(
    [...todo]
      .sort((a, b) => b.file.size - a.file.size)
      .map(async ({ file, identity, reason }) => {
        const segmentPath = path.join(cacheDir, segmentFileName(file.name));
        try {
          const r = await opts.pool.run(
            { kind: 'indexFile', path: file.path, file: file.name, gzip: file.gzip, archiveSealed, lineCap: opts.lineCap, inflate, identity, segmentPath },
            {
              signal: opts.signal,
              onProgress: (b) => {
                done.set(file.name, b);
                report();
              },
            },
          );
          if (r.unreadable !== undefined) {
            unreadable.set(file.name, r.unreadable);
            reports.set(file.name, { file: file.name, action: 'unreadable', reason: r.unreadable, records: 0, bytes: 0 });
            await rm(segmentPath, { force: true });
          } else {
            indexedBytes += r.bytes;
            const { segment, reason: again } = await tryLoad(segmentPath, identity, archiveSealed);
            if (!segment) throw new Error(`the segment just written cannot be read back (${again}); the file may be changing`);
            loaded.set(file.name, segment);
            reports.set(file.name, { file: file.name, action: 'indexed', reason, records: r.records, bytes: r.bytes });
          }
        } catch (e) {
          if (e instanceof TaskCancelledError) throw e;
          failures.push(`${file.name}: ${(e as Error).message}`);
        }
        done.set(file.name, file.size);
        filesDone++;
        report();
      }),
  );
  if (failures.length > 0) throw new IndexUnavailableError(`cannot index ${failures.join('; ')}`);

  // Segments and access points of day files that are no longer in the archive.
  const current = new Set(layout.dayFiles.map((f) => f.name));
  for (const name of await readdir(cacheDir)) {
    const m = /^(.*)\.(seg|zidx)$/.exec(name);
    if (m && !current.has(m[1]!)) await rm(path.join(cacheDir, name), { force: true });
  }

  // The read buffer grew to the largest segment; the index no longer needs it.
  scratch = Buffer.alloc(0);
  const index = new ArchiveIndex(
    layout,
    cacheDir,
    layout.dayFiles.filter((file) => loaded.has(file.name)).map((file) => ({ file, segment: loaded.get(file.name)! })),
    archiveSealed,
    unreadable,
  );
  const files = layout.dayFiles.map((f) => reports.get(f.name)!);
  return {
    index,
    report: {
      files,
      records: index.records,
      indexedDiskBytes: totalBytes,
      indexedBytes,
      seconds: (performance.now() - started) / 1000,
      cacheDir,
      segmentBytes: index.segmentBytes,
    },
  };
}
