// Indexes one day file in the same streaming pass that verifies it (verify-file's onRecord hook),
// and writes the segment to the cache (temp file + rename, so a crash never leaves half a segment).
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ScanCancelledError } from '../archive/line-scanner';
import { verifyDayFile, type DayFileResult } from '../verify/verify-file';
import { ColumnsBuilder, GrowableF64, GrowableU32, GrowableU8 } from './columns';
import { scanRow } from './scan-wasm';
import { encodeSegment, FLAG_FINDING, FLAG_PARSED, FLAG_UNSEALED, type FileIdentity } from './segment';
import { ID_COLUMN, segmentIdsFor } from './segment-ids';

export interface IndexFileOptions {
  gzip: boolean;
  archiveSealed: boolean;
  lineCap?: number;
  inflate?: 'auto' | 'stream';
  identity: FileIdentity;
  segmentPath: string;
  signal?: AbortSignal;
  onProgress?: (diskBytes: number) => void;
}

export interface IndexFileResult {
  file: string;
  /**
   * Why the day file could not be read (the verifier's error, as `alog verify` reports it); then
   * no segment is written and the file has no rows.
   */
  unreadable?: string;
  records: number;
  bytes: number;
  diskBytes: number;
  segmentBytes: number;
  millis: number;
}

export async function indexDayFile(filePath: string, file: string, opts: IndexFileOptions): Promise<IndexFileResult> {
  const started = performance.now();
  const cols = new ColumnsBuilder();
  const lines = new GrowableU32();
  const offsets = new GrowableF64();
  const lengths = new GrowableU32();
  const parsedFlags = new GrowableU8();
  let scanned = 0;
  let parsed = 0;

  const onRecord = (buf: Buffer, start: number, end: number, line: number, offset: number, record: Record<string, unknown> | undefined): void => {
    cols.beginRow();
    let flags = 0;
    if (record) {
      cols.fromRecord(record);
      parsed++;
      flags |= FLAG_PARSED;
    } else {
      if (scanRow(buf, start, end, cols)) {
        scanned++;
      } else {
        // Only sealed lines whose hash matched come here unparsed. One that is still not JSON (the
        // producer sealed broken bytes) gets a row without values rather than ending the build.
        let value: unknown;
        try {
          value = JSON.parse(buf.toString('utf8', start, end));
        } catch {
          value = undefined;
        }
        cols.fromRecord(value);
        parsed++;
        flags |= FLAG_PARSED;
      }
    }
    cols.endRow();
    lines.push(line);
    // The scanner strips a BOM from line 1; the record's bytes then start 3 bytes into the file.
    const bom = line === 1 && start >= 3 && buf[start - 3] === 0xef && buf[start - 2] === 0xbb && buf[start - 1] === 0xbf;
    offsets.push(bom ? offset + 3 : offset);
    lengths.push(end - start);
    parsedFlags.push(flags);
  };

  let result: DayFileResult;
  try {
    result = await verifyDayFile(filePath, file, {
      gzip: opts.gzip,
      archiveSealed: opts.archiveSealed,
      lineCap: opts.lineCap,
      inflate: opts.inflate,
      signal: opts.signal,
      onProgress: opts.onProgress,
      onRecord,
    });
  } catch (e) {
    if (e instanceof ScanCancelledError || opts.signal?.aborted) throw e;
    // The archive's problem, not the index's: the file is reported unreadable, the rest still opens.
    return { file, unreadable: (e as Error).message, records: 0, bytes: 0, diskBytes: 0, segmentBytes: 0, millis: performance.now() - started };
  }

  const line = lines.finish();
  const flags = parsedFlags.finish();
  // A finding that names a line marks that record; unsealed records are marked apart. Rows are in
  // line order, so a line's row is found by binary search (most files have no finding at all).
  const rowOfLine = (l: number): number | undefined => {
    let lo = 0;
    let hi = line.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = line[mid]!;
      if (v === l) return mid;
      if (v < l) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  for (const f of result.findings) {
    if (f.line === undefined) continue;
    const row = rowOfLine(f.line);
    if (row !== undefined) flags[row] = flags[row]! | FLAG_FINDING;
  }
  for (const l of result.unsealedLines) {
    const row = rowOfLine(l);
    if (row !== undefined) flags[row] = flags[row]! | FLAG_UNSEALED;
  }

  const { ids, ...verify } = result;
  const columns = cols.finish();
  const segment = encodeSegment(
    {
      file,
      identity: opts.identity,
      archiveSealed: opts.archiveSealed,
      verify,
      ids: segmentIdsFor(ids, columns[ID_COLUMN]!, line),
      stats: { millis: Math.round(performance.now() - started), scanned, parsed },
    },
    { line, offset: offsets.finish(), length: lengths.finish(), flags },
    columns,
  );
  await mkdir(path.dirname(opts.segmentPath), { recursive: true });
  const tmp = `${opts.segmentPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, segment);
    await rename(tmp, opts.segmentPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return {
    file,
    records: line.length,
    bytes: result.bytes,
    diskBytes: result.diskBytes,
    segmentBytes: segment.length,
    millis: performance.now() - started,
  };
}
