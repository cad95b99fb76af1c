// Worker side of a query: tests free-text needles and non-indexed field predicates on the
// candidate records of one day file. Free text is a raw-bytes search: the bytes are ASCII-lower-cased
// 16 at a time (WebAssembly SIMD, lower-wasm.ts) into a scratch buffer and searched with
// Buffer.indexOf (memmem-fast), so no string is ever decoded for it; JSON is parsed only for
// non-indexed field predicates.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { matchField } from '../../../shared/query-match';
import { asciiLower, type FieldRef, type QueryNode } from '../../../shared/query';
import { ScanCancelledError } from '../archive/line-scanner';
import { GarbageMeter } from '../workers/buffer-garbage';
import { asciiLowerCopy } from './lower-wasm';

export type ScanPredicate = { type: 'text'; text: string } | { type: 'field'; node: QueryNode & { field: FieldRef } };

export interface ScanFileTask {
  kind: 'scanFile';
  path: string;
  file: string;
  gzip: boolean;
  /** Candidate records in file order: uncompressed byte offset and length of each line. */
  offsets: Float64Array;
  lengths: Uint32Array;
  lines: Uint32Array;
  /** 1 when the record has no verification finding (for the `verified` pseudo-field). */
  verified: Uint8Array;
  predicates: ScanPredicate[];
}

export interface ScanFileResult {
  /** Per candidate, bit i set when predicate i holds. */
  masks: Uint32Array;
  /** Uncompressed bytes searched. */
  bytes: number;
}

/** Candidates closer than this are read in one go rather than one read each. */
const MAX_GAP = 256 * 1024;
const MAX_GROUP = 4 * 1024 * 1024;
/** A gzip file is inflated in order whatever the group size: small groups keep the copies small. */
const MAX_GZIP_GROUP = 1024 * 1024;

interface RangeReader {
  /** Bytes [start, end) in scratch buffer `slot` (0 or 1), valid until that slot is read into again. */
  read(start: number, end: number, slot: number): Promise<Buffer>;
  close(): Promise<void>;
}

// Two scratch buffers per worker (one being searched while the next group is read into the
// other), grown on demand and reused: a fresh multi-MB buffer per group costs page faults and
// leaves garbage that inflates the worker's RSS. Each has its own ArrayBuffer at offset 0, so the
// SWAR pass can view it as 32-bit words.
const scratch = [Buffer.from(new ArrayBuffer(1 << 20)), Buffer.from(new ArrayBuffer(1 << 20))];

function scratchOf(n: number, slot: number): Buffer {
  if (scratch[slot]!.length < n) scratch[slot] = Buffer.from(new ArrayBuffer(Math.max(n, scratch[slot]!.length * 2)));
  return scratch[slot]!.subarray(0, n);
}

class PlainReader implements RangeReader {
  constructor(private readonly fh: FileHandle) {}
  static async open(path: string): Promise<PlainReader> {
    return new PlainReader(await open(path, 'r'));
  }
  async read(start: number, end: number, slot: number): Promise<Buffer> {
    const buf = scratchOf(end - start, slot);
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await this.fh.read(buf, filled, buf.length - filled, start + filled);
      if (bytesRead === 0) throw new Error(`file ended at byte ${start + filled}, before ${end}: the archive changed since it was indexed`);
      filled += bytesRead;
    }
    return buf;
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Inflated chunks of every gzip reader of this worker (many small files add up too). */
const inflatedGarbage = new GarbageMeter();

/** Decompresses forward only; ranges must be requested in increasing order. */
class GzipReader implements RangeReader {
  private readonly iter: AsyncIterator<Buffer>;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private readonly stream: ReturnType<typeof createReadStream>;
  constructor(path: string, signal: AbortSignal) {
    this.stream = createReadStream(path, { highWaterMark: 256 * 1024 });
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    this.stream.on('error', (e) => gunzip.destroy(e));
    signal.addEventListener('abort', () => gunzip.destroy(new ScanCancelledError()), { once: true });
    this.stream.pipe(gunzip);
    this.iter = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  async read(start: number, end: number, slot: number): Promise<Buffer> {
    const out = scratchOf(end - start, slot);
    let filled = 0;
    while (filled < out.length) {
      const chunkEnd = this.chunkStart + this.chunk.length;
      const want = start + filled;
      if (want >= chunkEnd) {
        const next = await this.iter.next();
        if (next.done) throw new Error(`gzip stream ended at byte ${chunkEnd}, before ${end}: the archive changed since it was indexed`);
        this.chunkStart = chunkEnd;
        this.chunk = next.value;
        inflatedGarbage.add(next.value.length);
        continue;
      }
      const from = want - this.chunkStart;
      if (from < 0) throw new Error('gzip ranges must be read in order');
      const n = Math.min(this.chunk.length - from, out.length - filled);
      this.chunk.copy(out, filled, from, from + n);
      filled += n;
    }
    return out;
  }
  async close(): Promise<void> {
    this.stream.destroy();
    await this.iter.return?.();
  }
}

export async function scanFile(task: ScanFileTask, signal: AbortSignal, onProgress: (bytes: number) => void): Promise<ScanFileResult> {
  const n = task.offsets.length;
  const masks = new Uint32Array(n);
  if (n === 0) return { masks, bytes: 0 };
  const needles = task.predicates.map((p) => (p.type === 'text' ? Buffer.from(asciiLower(p.text), 'utf8') : undefined));
  const fieldPreds = task.predicates.map((p, i) => (p.type === 'field' ? { bit: 1 << i, node: p.node } : undefined)).filter((p) => p !== undefined);
  const hasText = needles.some((x) => x !== undefined);

  const reader: RangeReader = task.gzip ? new GzipReader(task.path, signal) : await PlainReader.open(task.path);
  let bytes = 0;
  // Groups of candidates read together: close ones share a read, up to MAX_GROUP bytes.
  const groups: { g: number; h: number; start: number; end: number }[] = [];
  const maxGroup = task.gzip ? MAX_GZIP_GROUP : MAX_GROUP;
  for (let g = 0; g < n; ) {
    const start = task.offsets[g]!;
    let end = start + task.lengths[g]!;
    let h = g + 1;
    while (h < n && task.offsets[h]! - end < MAX_GAP && task.offsets[h]! + task.lengths[h]! - start <= maxGroup) {
      end = task.offsets[h]! + task.lengths[h]!;
      h++;
    }
    groups.push({ g, h, start, end });
    g = h;
  }
  let pending: Promise<Buffer> | undefined;
  try {
    // The next group is read while this one is searched.
    pending = reader.read(groups[0]!.start, groups[0]!.end, 0);
    for (let gi = 0; gi < groups.length; gi++) {
      if (signal.aborted) throw new ScanCancelledError();
      const { g, h, start, end } = groups[gi]!;
      const raw = await pending!;
      const next = groups[gi + 1];
      pending = next ? reader.read(next.start, next.end, (gi + 1) & 1) : undefined;
      bytes += end - start;

      if (fieldPreds.length > 0) {
        for (let k = g; k < h; k++) {
          const from = task.offsets[k]! - start;
          let record: unknown;
          try {
            record = JSON.parse(raw.toString('utf8', from, from + task.lengths[k]!));
          } catch {
            continue; // indexed lines are records; a changed file is caught by its identity
          }
          const place = { file: task.file, line: task.lines[k]!, verified: task.verified[k] === 1 };
          for (const p of fieldPreds) if (matchField(p.node, record, place)) masks[k] = masks[k]! | p.bit;
        }
      }

      if (hasText) {
        const hay = asciiLowerCopy(raw);
        needles.forEach((needle, bitIndex) => {
          if (!needle) return;
          const bit = 1 << bitIndex;
          let k = g;
          let pos = needle.length === 0 ? -1 : hay.indexOf(needle);
          while (pos !== -1 && k < h) {
            const abs = start + pos;
            // Advance to the candidate whose range could hold this match.
            while (k < h && task.offsets[k]! + task.lengths[k]! < abs + needle.length) k++;
            if (k >= h) break;
            if (task.offsets[k]! <= abs) {
              masks[k] = masks[k]! | bit;
              // The rest of this record is settled: search on from the next one.
              const nextFrom = task.offsets[k]! + task.lengths[k]! - start;
              k++;
              pos = nextFrom >= hay.length ? -1 : hay.indexOf(needle, nextFrom);
            } else {
              pos = hay.indexOf(needle, task.offsets[k]! - start);
            }
          }
        });
      }
      onProgress(bytes);
    }
  } finally {
    // A read still in flight (cancelled or failed scan) must settle before its file is closed.
    await pending?.catch(() => undefined);
    await reader.close();
  }
  return { masks, bytes };
}
