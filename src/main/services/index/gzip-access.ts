// Random access into gzip day files through access points kept in the cache (`<file>.zidx`):
// per point its output offset, its bit offset and its 32 KiB window (deflate-compressed). A read
// starts at the last point before the record and inflates at most ~1 MiB natively.
//
// Disk cost: one point per MiB of output, a window compresses to ~8-12 KiB of JSON text, so about
// 1% of the uncompressed archive; with the ~3% of the column segments the cache stays under the
// 5% goal. Building the points walks the file once with the JS inflater (inflate-points.ts); it
// is done on the first random access to a file (or ahead of time with `alog index --gzip-access`),
// not during the index build, so the build keeps native zlib's speed.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { constants, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { zlibEngine } from '../archive/zlib-engine';
import { findAccessPoints, type AccessPoint } from './inflate-points';
import { sameIdentity } from './cache';
import type { FileIdentity } from './segment';

const MAGIC = 'ALOGZIDX';
export const ZIDX_VERSION = 1;
export const ACCESS_SPACING = 1 << 20;

interface ZidxHeader {
  version: number;
  identity: FileIdentity;
  size: number;
  points: { out: number; bit: number; at: number; length: number }[];
}

export interface GzipAccess {
  identity: FileIdentity;
  size: number;
  points: { out: number; bit: number }[];
  windows: Buffer;
  windowAt: { at: number; length: number }[];
}

export function zidxPath(cacheDir: string, file: string): string {
  return path.join(cacheDir, `${file}.zidx`);
}

/** Builds and writes a file's access points (runs in a worker). */
export async function buildGzipAccess(
  gzPath: string,
  identity: FileIdentity,
  outPath: string,
  signal?: AbortSignal,
  spacing = ACCESS_SPACING,
): Promise<{ points: number; bytes: number }> {
  const gz = await readFile(gzPath);
  const { points, size } = findAccessPoints(gz, spacing, signal);
  const windows: Buffer[] = [];
  let at = 0;
  const descs = points.map((p: AccessPoint) => {
    const w = p.window.length > 0 ? deflateRawSync(p.window, { level: 6 }) : Buffer.alloc(0);
    windows.push(w);
    const d = { out: p.out, bit: p.bit, at, length: w.length };
    at += w.length;
    return d;
  });
  const header: ZidxHeader = { version: ZIDX_VERSION, identity, size, points: descs };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const lenBuf = Buffer.alloc(4);
  lenBuf.writeUInt32LE(head.length);
  const body = Buffer.concat([Buffer.from(MAGIC, 'latin1'), lenBuf, head, ...windows]);
  const file = Buffer.concat([body, createHash('sha256').update(body).digest()]);
  await mkdir(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, file);
    await rename(tmp, outPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return { points: points.length, bytes: file.length };
}

/** Loads access points; undefined when missing, damaged, of another version or of another file. */
export async function loadGzipAccess(zidx: string, identity: FileIdentity): Promise<GzipAccess | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(zidx);
  } catch {
    return undefined;
  }
  if (buf.length < 12 + 32 || buf.toString('latin1', 0, 8) !== MAGIC) return undefined;
  const bodyEnd = buf.length - 32;
  if (!createHash('sha256').update(buf.subarray(0, bodyEnd)).digest().equals(buf.subarray(bodyEnd))) return undefined;
  const headLen = buf.readUInt32LE(8);
  if (12 + headLen > bodyEnd) return undefined;
  let header: ZidxHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headLen)) as ZidxHeader;
  } catch {
    return undefined;
  }
  if (header.version !== ZIDX_VERSION || !sameIdentity(header.identity, identity)) return undefined;
  const windows = buf.subarray(12 + headLen, bodyEnd);
  return {
    identity,
    size: header.size,
    points: header.points.map((p) => ({ out: p.out, bit: p.bit })),
    windows,
    windowAt: header.points.map((p) => ({ at: p.at, length: p.length })),
  };
}

/**
 * Scratch buffers for reads in flight (compressed input, inflated output): reused, so a record
 * read allocates nothing but the record. Each read takes its own pair; concurrent reads never share.
 */
const spare: { input: Buffer; out: Buffer }[] = [];
const SCRATCH_OUT = 64 * 1024;
/** Pairs kept after a burst of concurrent reads (the input buffer grows to ~200 KB). */
const SPARE_KEPT = 4;

/** Shifts `buf[0, n)` right by `k` bits (deflate's bit order: LSB first) in place. */
function shiftInPlace(buf: Buffer, n: number, k: number): void {
  if (k === 0) return;
  for (let i = 0; i < n; i++) buf[i] = (buf[i]! >>> k) | (i + 1 < n ? (buf[i + 1]! << (8 - k)) & 0xff : 0);
}

/**
 * Inflates the deflate data at the start of `input` (its block on a byte boundary) with
 * `dictionary` and returns output bytes [skip, skip + length), or fewer when the deflate stream
 * ends first; undefined when the data is corrupt. Stops as soon as the range is complete, with
 * zlib driven into a reused buffer (zlib-engine.ts), or through inflateRawSync where it cannot be.
 */
export function inflateRange(input: Buffer, dictionary: Buffer | undefined, skip: number, length: number, out: Buffer, inThread = true): Buffer | undefined {
  const engine = inThread ? zlibEngine(createInflateRaw(dictionary ? { dictionary } : {})) : undefined;
  if (!engine) {
    try {
      const all = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, ...(dictionary ? { dictionary } : {}) });
      return all.subarray(Math.min(skip, all.length), skip + length);
    } catch {
      return undefined;
    }
  }
  const range = Buffer.allocUnsafe(length);
  let seen = 0;
  let filled = 0;
  try {
    const r = engine.write(constants.Z_SYNC_FLUSH, input, 0, input.length, out, (piece) => {
      const from = Math.max(skip, seen);
      const to = Math.min(skip + length, seen + piece.length);
      if (to > from) filled += piece.copy(range, from - skip, from - seen, to - seen);
      seen += piece.length;
      return filled === length;
    });
    if (r.error) return undefined;
  } finally {
    engine.close();
  }
  return range.subarray(0, filled);
}

/** Reads uncompressed bytes [offset, offset + length) of a gzip file through its access points. */
export async function readGzipRange(gzPath: string, access: GzipAccess, offset: number, length: number): Promise<Buffer | undefined> {
  const pts = access.points;
  if (pts.length === 0) return undefined;
  // Last point at or before the offset.
  let lo = 0;
  let hi = pts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (pts[mid]!.out <= offset) lo = mid;
    else hi = mid - 1;
  }
  const start = pts[lo]!;
  // Input up to the first point past the range's end (or the end of the file).
  let next = lo + 1;
  while (next < pts.length && pts[next]!.out < offset + length) next++;
  const w = access.windowAt[lo]!;
  const dictionary = w.length > 0 ? inflateRawSync(access.windows.subarray(w.at, w.at + w.length)) : undefined;
  const skip = offset - start.out;
  const scratch = spare.pop() ?? { input: Buffer.allocUnsafe(0), out: Buffer.allocUnsafe(SCRATCH_OUT) };
  let out: Buffer | undefined;
  try {
    const fh = await open(gzPath, 'r');
    try {
      const from = start.bit >>> 3;
      const to = next < pts.length ? (pts[next]!.bit >>> 3) + 2 : (await fh.stat()).size;
      const n = Math.max(0, to - from);
      if (scratch.input.length < n) scratch.input = Buffer.allocUnsafe(n);
      const { bytesRead } = await fh.read(scratch.input, 0, n, from);
      // Shift so the block's first bit is bit 0 of byte 0.
      shiftInPlace(scratch.input, bytesRead, start.bit & 7);
      out = inflateRange(scratch.input.subarray(0, bytesRead), dictionary, skip, length, scratch.out);
    } finally {
      await fh.close();
    }
  } finally {
    if (spare.length < SPARE_KEPT) spare.push(scratch);
  }
  if (!out) return undefined;
  if (out.length === length) return out;
  // The range runs past the end of a gzip member: the rest starts at the next member's point.
  const have = out.length;
  const restFrom = offset + have;
  if (have === 0 && !pts.some((p) => p.out > start.out && p.out <= restFrom)) return undefined;
  const rest = await readGzipRange(gzPath, access, restFrom, length - have);
  return rest ? Buffer.concat([out, rest]) : undefined;
}
