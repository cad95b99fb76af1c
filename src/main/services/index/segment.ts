// One index segment per day file, as one binary file in the cache:
//
//   "ALOGSEG\0"  u32 format version  u32 header length  header (JSON)  pad to 8
//   column arrays, each 8-byte aligned (little-endian typed arrays, viewed in place on load)
//   SHA-256 of every byte before it (32 bytes)
//
// A segment is trusted only when the magic, version, byte order and checksum all match and its
// file identity equals the day file's; anything else is rebuilt, never read.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { INDEXED_FIELDS, type IndexedField } from '../../../shared/record-schema';
import type { DayFileResult } from '../verify/verify-file';
import { compareKeywords, type FinishedColumn } from './columns';
import type { SegmentIds } from './segment-ids';

export const SEGMENT_MAGIC = Buffer.from('ALOGSEG\0', 'latin1');
/** Bump whenever the layout or the meaning of a column changes. */
export const SEGMENT_FORMAT_VERSION = 4;

/** What identifies a day file's content without reading it whole. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  /** SHA-256 of the first and last 64 KiB (and the size). */
  fingerprint: string;
}

/** Row flags. */
export const FLAG_FINDING = 1;
export const FLAG_UNSEALED = 2;
/** The indexer had to JSON.parse the line (not in canonical form). */
export const FLAG_PARSED = 4;

export type FileVerifySummary = Omit<DayFileResult, 'ids'>;

type ArrayKind = 'f64' | 'u32' | 'u16' | 'u8';
interface ArrayDesc {
  name: string;
  kind: ArrayKind;
  /** Byte offset from the start of the segment. */
  offset: number;
  /** Number of elements. */
  length: number;
}

export interface SegmentHeader {
  version: number;
  littleEndian: boolean;
  file: string;
  identity: FileIdentity;
  archiveSealed: boolean;
  rows: number;
  verify: FileVerifySummary;
  /** Where the archive-wide duplicate check reads this file's activation ids (segment-ids.ts). */
  ids: SegmentIds;
  stats: { millis: number; scanned: number; parsed: number };
  arrays: ArrayDesc[];
}

export interface SegmentRows {
  line: Uint32Array;
  offset: Float64Array | Uint32Array;
  length: Uint32Array;
  flags: Uint8Array;
}

type CodeArray = Uint8Array | Uint16Array | Uint32Array;

/** A keyword dictionary, sorted case-insensitively; codes are 1-based (0 = absent). */
export class Dict {
  private cache?: (string | undefined)[];
  private lowerCache?: (string | undefined)[];
  readonly size: number;
  constructor(
    private readonly blob: Uint8Array,
    /** Entry boundaries in `blob`; undefined for packed activation ids (16 bytes each). */
    private readonly offsets: Uint32Array | undefined,
  ) {
    this.size = offsets ? offsets.length - 1 : blob.length / 16;
  }
  /** Value of a 1-based code. */
  value(code: number): string {
    const i = code - 1;
    let s = this.cache?.[i];
    if (s === undefined) {
      if (this.offsets) {
        s = Buffer.from(this.blob.buffer, this.blob.byteOffset + this.offsets[i]!, this.offsets[i + 1]! - this.offsets[i]!).toString('utf8');
      } else s = `act_${Buffer.from(this.blob.buffer, this.blob.byteOffset + 16 * i, 16).toString('hex')}`;
      // Caches are made on first use: most dictionaries of most segments are never read.
      if (this.size <= 65536) (this.cache ??= new Array<string | undefined>(this.size))[i] = s;
    }
    return s;
  }
  /** The entries as packed activation ids (16 bytes each, in code order), if stored that way. */
  packedIds(): Uint8Array | undefined {
    return this.offsets ? undefined : this.blob;
  }
  lower(code: number): string {
    if (!this.offsets) return this.value(code); // packed ids are lower-case hex
    const i = code - 1;
    let s = this.lowerCache?.[i];
    if (s === undefined) {
      s = this.value(code).toLowerCase();
      if (this.size <= 65536) (this.lowerCache ??= new Array<string | undefined>(this.size))[i] = s;
    }
    return s;
  }
  /** First code whose lower-cased value is not before `lower` (by `cmp`); size+1 when none. */
  lowerBound(pred: (lowerValue: string) => boolean): number {
    // pred is monotone: false ... false true ... true over the sorted dictionary.
    let lo = 1;
    let hi = this.size + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.lower(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export type LoadedColumn =
  | { field: IndexedField; type: 'number' | 'timestamp'; values: Float64Array }
  | { field: IndexedField; type: 'boolean'; values: Uint8Array }
  | { field: IndexedField; type: 'keyword'; codes: CodeArray; dict: Dict }
  | { field: IndexedField; type: 'multi'; offsets: Uint32Array; codes: CodeArray; dict: Dict };

export interface LoadedSegment {
  header: SegmentHeader;
  rows: SegmentRows;
  /** Aligned with INDEXED_FIELDS. */
  columns: LoadedColumn[];
  /**
   * Every column's value at one row, as [column, index in that column]: a column already in
   * memory as is, any other read for that row alone (a page of results then costs a few small
   * reads instead of loading every column of every segment it touches). `batch` is how many rows
   * of this segment the caller reads together: from WHOLE_COLUMN_ROWS on, whole columns are loaded
   * instead (a block of the grid: one read per column rather than one per value).
   */
  rowColumns(row: number, batch?: number): [LoadedColumn, number][];
  /** Bytes the segment takes on disk. */
  bytes: number;
}

export class SegmentFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmentFormatError';
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PACKABLE_ID = /^act_[0-9a-f]{32}$/;

function narrowCodes(codes: Uint32Array, dictSize: number): CodeArray {
  if (dictSize < 0xff) return Uint8Array.from(codes);
  if (dictSize < 0xffff) return Uint16Array.from(codes);
  return codes;
}

function kindOf(a: ArrayLike<number>): ArrayKind {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Uint16Array) return 'u16';
  return 'u8';
}

function dictArrays(dict: string[]): { blob: Uint8Array; offsets: Uint32Array } {
  const parts = dict.map((s) => Buffer.from(s, 'utf8'));
  const offsets = new Uint32Array(parts.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    offsets[i] = total;
    total += p.length;
  });
  offsets[parts.length] = total;
  return { blob: Buffer.concat(parts, total), offsets };
}

/** Serializes a segment (header, aligned arrays, checksum). */
export function encodeSegment(
  meta: Omit<SegmentHeader, 'version' | 'littleEndian' | 'arrays' | 'rows'>,
  rows: SegmentRows,
  columns: FinishedColumn[],
): Buffer {
  const arrays: { name: string; data: Float64Array | Uint32Array | Uint16Array | Uint8Array }[] = [
    { name: 'row.line', data: rows.line },
    // Offsets fit 32 bits unless the day file is over 4 GiB uncompressed.
    { name: 'row.offset', data: rows.offset.every((o) => o < 2 ** 32) ? Uint32Array.from(rows.offset) : rows.offset },
    { name: 'row.length', data: rows.length },
    { name: 'row.flags', data: rows.flags },
  ];
  for (const c of columns) {
    const p = c.field.path;
    if (c.type === 'keyword' || c.type === 'multi') {
      arrays.push({ name: `${p}#codes`, data: narrowCodes(c.codes, c.dict.length) });
      if (c.dict.length > 0 && c.dict.every((v) => PACKABLE_ID.test(v))) {
        // activation ids: 16 bytes each instead of 36 + a 4-byte offset (a fifth of a segment).
        const packed = Buffer.alloc(16 * c.dict.length);
        c.dict.forEach((v, i) => packed.write(v.slice(4), 16 * i, 'hex'));
        arrays.push({ name: `${p}#dictHex`, data: packed });
      } else {
        const d = dictArrays(c.dict);
        arrays.push({ name: `${p}#dict`, data: d.blob });
        arrays.push({ name: `${p}#dictOffsets`, data: d.offsets });
      }
      if (c.type === 'multi') arrays.push({ name: `${p}#offsets`, data: c.offsets });
    } else arrays.push({ name: p, data: c.values });
  }

  const descs: ArrayDesc[] = arrays.map((a) => ({ name: a.name, kind: kindOf(a.data), offset: 0, length: a.data.length }));
  const header: SegmentHeader = { version: SEGMENT_FORMAT_VERSION, littleEndian: LITTLE_ENDIAN, rows: rows.line.length, arrays: descs, ...meta };
  // Offsets depend on the header's length, which depends on the offsets' digits: iterate to a fixpoint.
  let headerBytes = Buffer.alloc(0);
  for (let attempt = 0; attempt < 5; attempt++) {
    let pos = align8(16 + headerBytes.length);
    for (let i = 0; i < arrays.length; i++) {
      descs[i]!.offset = pos;
      pos = align8(pos + arrays[i]!.data.byteLength);
    }
    const next = Buffer.from(JSON.stringify(header), 'utf8');
    if (next.length === headerBytes.length) {
      headerBytes = next;
      break;
    }
    headerBytes = next;
  }
  const last = descs[descs.length - 1]!;
  const bodyEnd = align8(last.offset + arrays[arrays.length - 1]!.data.byteLength);
  const out = Buffer.alloc(bodyEnd + 32);
  SEGMENT_MAGIC.copy(out, 0);
  out.writeUInt32LE(SEGMENT_FORMAT_VERSION, 8);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, 16);
  if (align8(16 + headerBytes.length) > descs[0]!.offset) throw new Error('segment header layout did not converge');
  arrays.forEach((a, i) => {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), descs[i]!.offset);
  });
  createHash('sha256').update(out.subarray(0, bodyEnd)).digest().copy(out, bodyEnd);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

type ArrayView = Float64Array | Uint32Array | Uint16Array | Uint8Array;
type ViewOf = (name: string, kind?: ArrayKind) => ArrayView;
const WIDTH: Record<ArrayKind, number> = { f64: 8, u32: 4, u16: 2, u8: 1 };

/** Checks everything but the columns, which are read eagerly or lazily; returns the parts. */
function checkSegment(input: Buffer): { header: SegmentHeader; byName: Map<string, ArrayDesc>; bodyEnd: number } {
  if (input.length < 16 + 32) throw new SegmentFormatError('segment too short');
  if (!input.subarray(0, 8).equals(SEGMENT_MAGIC)) throw new SegmentFormatError('not an index segment');
  const version = input.readUInt32LE(8);
  if (version !== SEGMENT_FORMAT_VERSION) throw new SegmentFormatError(`segment format ${version}, expected ${SEGMENT_FORMAT_VERSION}`);
  const bodyEnd = input.length - 32;
  const sum = createHash('sha256').update(input.subarray(0, bodyEnd)).digest();
  if (!sum.equals(input.subarray(bodyEnd))) throw new SegmentFormatError('segment checksum mismatch');
  const headerLength = input.readUInt32LE(12);
  if (16 + headerLength > bodyEnd) throw new SegmentFormatError('segment header out of bounds');
  let header: SegmentHeader;
  try {
    header = JSON.parse(input.toString('utf8', 16, 16 + headerLength)) as SegmentHeader;
  } catch {
    throw new SegmentFormatError('segment header is not JSON');
  }
  if (header.littleEndian !== LITTLE_ENDIAN) throw new SegmentFormatError('segment written on a machine of the other byte order');
  const byName = new Map<string, ArrayDesc>();
  for (const d of header.arrays) {
    if (!(d.kind in WIDTH) || d.offset % 8 !== 0 || d.offset + d.length * WIDTH[d.kind] > bodyEnd) {
      throw new SegmentFormatError(`segment ${d.name} out of bounds`);
    }
    byName.set(d.name, d);
  }
  return { header, byName, bodyEnd };
}

function typedView(kind: ArrayKind, buffer: ArrayBufferLike, at: number, length: number): ArrayView {
  switch (kind) {
    case 'f64':
      return new Float64Array(buffer, at, length);
    case 'u32':
      return new Uint32Array(buffer, at, length);
    case 'u16':
      return new Uint16Array(buffer, at, length);
    default:
      return new Uint8Array(buffer, at, length);
  }
}

function descOf(byName: Map<string, ArrayDesc>, name: string, kind?: ArrayKind): ArrayDesc {
  const d = byName.get(name);
  if (!d) throw new SegmentFormatError(`segment lacks ${name}`);
  if (kind && d.kind !== kind) throw new SegmentFormatError(`segment ${name} has the wrong type`);
  return d;
}

function rowsOf(view: ViewOf, n: number): SegmentRows {
  const rows: SegmentRows = {
    line: view('row.line', 'u32') as Uint32Array,
    offset: view('row.offset') as Float64Array | Uint32Array,
    length: view('row.length', 'u32') as Uint32Array,
    flags: view('row.flags', 'u8') as Uint8Array,
  };
  for (const a of Object.values(rows) as ArrayLike<number>[]) if (a.length !== n) throw new SegmentFormatError('segment row arrays disagree');
  return rows;
}

function columnOf(field: IndexedField, view: ViewOf, has: (name: string) => boolean, n: number): LoadedColumn {
  const p = field.path;
  if (field.type === 'keyword') {
    const dict = has(`${p}#dictHex`)
      ? new Dict(view(`${p}#dictHex`, 'u8') as Uint8Array, undefined)
      : new Dict(view(`${p}#dict`, 'u8') as Uint8Array, view(`${p}#dictOffsets`, 'u32') as Uint32Array);
    if (!Number.isInteger(dict.size)) throw new SegmentFormatError(`segment ${p} dictionary has a partial entry`);
    const codes = view(`${p}#codes`) as CodeArray;
    if (field.multi) {
      const offsets = view(`${p}#offsets`, 'u32') as Uint32Array;
      if (offsets.length !== n + 1 || offsets[n] !== codes.length) throw new SegmentFormatError(`segment ${p} offsets disagree`);
      return { field, type: 'multi', offsets, codes, dict };
    }
    if (codes.length !== n) throw new SegmentFormatError(`segment ${p} has ${codes.length} rows, expected ${n}`);
    return { field, type: 'keyword', codes, dict };
  }
  if (field.type === 'boolean') {
    const values = view(p, 'u8') as Uint8Array;
    if (values.length !== n) throw new SegmentFormatError(`segment ${p} has the wrong length`);
    return { field, type: 'boolean', values };
  }
  const values = view(p, 'f64') as Float64Array;
  if (values.length !== n) throw new SegmentFormatError(`segment ${p} has the wrong length`);
  return { field, type: field.type === 'timestamp' ? 'timestamp' : 'number', values };
}

/** Reads a segment whole; throws SegmentFormatError when it is damaged, foreign or of another version. */
export function decodeSegment(input: Buffer): LoadedSegment {
  const { header, byName } = checkSegment(input);
  // Typed arrays need aligned offsets: copy when the buffer does not start on 8 bytes.
  const buf = input.byteOffset % 8 === 0 ? input : Buffer.from(input);
  const view: ViewOf = (name, kind) => {
    const d = descOf(byName, name, kind);
    return typedView(d.kind, buf.buffer, buf.byteOffset + d.offset, d.length);
  };
  const n = header.rows;
  const rows = rowsOf(view, n);
  const columns = INDEXED_FIELDS.map((field) => columnOf(field, view, (name) => byName.has(name), n));
  return { header, rows, columns, bytes: input.length, rowColumns: (row) => columns.map((c) => [c, row]) };
}

/**
 * Reads a segment file for a long-lived index: the whole file is checked as decodeSegment does,
 * but only the header and the row arrays stay in memory. A column is read back from the file when
 * a query first needs it and kept in a cache shared by all segments, bounded in bytes
 * (`ColumnCache`), so the memory an open index takes no longer grows with the archive. The file is
 * only ever replaced by rename, so a later read checks it is still the file that was verified.
 */
export function loadSegmentFile(filePath: string, input: Buffer, identity: string, cache: ColumnCache = defaultColumnCache): LoadedSegment {
  const { header, byName } = checkSegment(input);
  const n = header.rows;
  checkColumnShapes(byName, n);
  // The rows are copied out so the file's buffer can be dropped.
  const rows = rowsOf((name, kind) => {
    const d = descOf(byName, name, kind);
    const bytes = d.length * WIDTH[d.kind];
    const copy = new ArrayBuffer(bytes);
    new Uint8Array(copy).set(input.subarray(d.offset, d.offset + bytes));
    return typedView(d.kind, copy, 0, d.length);
  }, n);
  /** Runs `read` with the segment file open, once it is known to be the file that was checked. */
  const withFile = <T>(read: (readAt: (target: Buffer, position: number, what: string) => Buffer) => T): T => {
    const fd = openSync(filePath, 'r');
    try {
      if (segmentFileIdentity(fstatSync(fd, { bigint: true })) !== identity) {
        throw new SegmentFormatError(`index segment ${path.basename(filePath)} was replaced while the archive was open; reopen the archive`);
      }
      return read((target, position, what) => {
        let filled = 0;
        while (filled < target.length) {
          const got = readSync(fd, target, filled, target.length - filled, position + filled);
          if (got === 0) throw new SegmentFormatError(`segment ${what} is cut short`);
          filled += got;
        }
        return target;
      });
    } finally {
      closeSync(fd);
    }
  };
  const has = (name: string) => byName.has(name);
  const columnBytes = INDEXED_FIELDS.map((f) =>
    header.arrays.filter((d) => d.name === f.path || d.name.startsWith(`${f.path}#`)).reduce((sum, d) => sum + d.length * WIDTH[d.kind], 0),
  );
  const readColumn = (field: IndexedField): { column: LoadedColumn; bytes: number } =>
    withFile((readAt) => {
      let bytes = 0;
      const view: ViewOf = (name, kind) => {
        const d = descOf(byName, name, kind);
        const size = d.length * WIDTH[d.kind];
        const target = readAt(Buffer.from(new ArrayBuffer(size)), d.offset, name);
        bytes += size;
        return typedView(d.kind, target.buffer, 0, d.length);
      };
      return { column: columnOf(field, view, has, n), bytes };
    });
  const rowColumns = (row: number, batch = 1): [LoadedColumn, number][] => {
    if (!Number.isInteger(row) || row < 0 || row >= n) throw new RangeError(`row ${row} is outside the segment`);
    const out = INDEXED_FIELDS.map((_f, c) => {
      // Small columns (few-valued keywords, booleans) are worth loading whole: later pages and
      // filters reuse them, and one read of them costs about what a point read does.
      const whole = cache.peek(columns, c) ?? (columnBytes[c]! <= WHOLE_COLUMN_MAX_BYTES || batch >= WHOLE_COLUMN_ROWS ? columns[c] : undefined);
      return whole ? ([whole, row] as [LoadedColumn, number]) : undefined;
    });
    if (out.every((x) => x !== undefined)) return out;
    return withFile((readAt) =>
      INDEXED_FIELDS.map((field, c) => out[c] ?? [columnOf(field, pointView(byName, readAt, field, row), has, 1), 0]),
    );
  };
  // A dense target: forEach, map and friends ask whether each index exists before reading it.
  const columns = new Proxy(Array.from<LoadedColumn | undefined>({ length: INDEXED_FIELDS.length }) as LoadedColumn[], {
    get(target, prop, receiver) {
      if (typeof prop === 'string') {
        const i = Number(prop);
        if (Number.isInteger(i) && i >= 0 && i < INDEXED_FIELDS.length && prop === String(i)) {
          return cache.get(columns, i, () => readColumn(INDEXED_FIELDS[i]!));
        }
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { header, rows, columns, bytes: input.length, rowColumns };
}

/** What identifies one segment file on disk: device, inode, size and modification time. */
export function segmentFileIdentity(st: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/**
 * The checks columnOf makes that need only the array descriptors, made when a lazily read segment
 * is opened: a segment the eager decoder would reject is rebuilt then, not found broken by a query.
 */
function checkColumnShapes(byName: Map<string, ArrayDesc>, n: number): void {
  const lengthOf = (name: string, kind?: ArrayKind) => descOf(byName, name, kind).length;
  for (const field of INDEXED_FIELDS) {
    const p = field.path;
    if (field.type === 'keyword') {
      if (byName.has(`${p}#dictHex`)) {
        if (lengthOf(`${p}#dictHex`, 'u8') % 16 !== 0) throw new SegmentFormatError(`segment ${p} dictionary has a partial entry`);
      } else {
        lengthOf(`${p}#dict`, 'u8');
        if (lengthOf(`${p}#dictOffsets`, 'u32') < 1) throw new SegmentFormatError(`segment ${p} dictionary offsets are empty`);
      }
      const codes = lengthOf(`${p}#codes`);
      if (field.multi) {
        if (lengthOf(`${p}#offsets`, 'u32') !== n + 1) throw new SegmentFormatError(`segment ${p} offsets disagree`);
      } else if (codes !== n) throw new SegmentFormatError(`segment ${p} has ${codes} rows, expected ${n}`);
    } else if (lengthOf(p, field.type === 'boolean' ? 'u8' : 'f64') !== n) {
      throw new SegmentFormatError(`segment ${p} has the wrong length`);
    }
  }
}

/** Columns up to this size are loaded whole even for one row (a u8 column of ~100k rows). */
const WHOLE_COLUMN_MAX_BYTES = 128 * 1024;
/**
 * Rows of one segment read together from which every column is loaded whole: 16 rows cost about
 * 200 point reads (a dozen per row, a file open per row), against 23 reads of whole columns.
 */
const WHOLE_COLUMN_ROWS = 16;
const elementScratch = Buffer.alloc(8);

/**
 * A ViewOf that reads, for one row, just what columnOf needs to build a one-row column: the row's
 * element of each per-row array, and the dictionary entries its codes name (renumbered 1..k).
 */
function pointView(
  byName: Map<string, ArrayDesc>,
  readAt: (target: Buffer, position: number, what: string) => Buffer,
  field: IndexedField,
  row: number,
): ViewOf {
  const p = field.path;
  const element = (d: ArrayDesc, index: number): number => {
    if (index < 0 || index >= d.length) throw new SegmentFormatError(`segment ${d.name} index out of bounds`);
    const w = WIDTH[d.kind];
    const b = readAt(elementScratch.subarray(0, w), d.offset + index * w, d.name);
    return d.kind === 'f64' ? b.readDoubleLE(0) : d.kind === 'u32' ? b.readUInt32LE(0) : d.kind === 'u16' ? b.readUInt16LE(0) : b[0]!;
  };
  const built = new Map<string, ArrayView>();
  if (field.type === 'number' || field.type === 'timestamp') {
    built.set(p, Float64Array.of(element(descOf(byName, p, 'f64'), row)));
  } else if (field.type === 'boolean') {
    built.set(p, Uint8Array.of(element(descOf(byName, p, 'u8'), row)));
  } else {
    const codesDesc = descOf(byName, `${p}#codes`);
    let from = row;
    let to = row + 1;
    if (field.multi) {
      const offsets = descOf(byName, `${p}#offsets`, 'u32');
      from = element(offsets, row);
      to = element(offsets, row + 1);
      if (to < from || to > codesDesc.length) throw new SegmentFormatError(`segment ${p} offsets disagree`);
      built.set(`${p}#offsets`, Uint32Array.of(0, to - from));
    }
    const codes: number[] = [];
    for (let k = from; k < to; k++) codes.push(element(codesDesc, k));
    const entries: Buffer[] = [];
    const hex = byName.has(`${p}#dictHex`);
    for (const code of codes) {
      if (code === 0) continue;
      if (hex) {
        const d = descOf(byName, `${p}#dictHex`, 'u8');
        if (16 * code > d.length) throw new SegmentFormatError(`segment ${p} code out of bounds`);
        entries.push(readAt(Buffer.alloc(16), d.offset + 16 * (code - 1), d.name));
      } else {
        const offsets = descOf(byName, `${p}#dictOffsets`, 'u32');
        const dict = descOf(byName, `${p}#dict`, 'u8');
        const start = element(offsets, code - 1);
        const end = element(offsets, code);
        if (end < start || end > dict.length) throw new SegmentFormatError(`segment ${p} dictionary out of bounds`);
        entries.push(readAt(Buffer.alloc(end - start), dict.offset + start, dict.name));
      }
    }
    let next = 0;
    built.set(`${p}#codes`, Uint32Array.from(codes, (c) => (c === 0 ? 0 : ++next)));
    const blob = Buffer.concat(entries);
    if (hex) built.set(`${p}#dictHex`, new Uint8Array(blob.buffer, blob.byteOffset, blob.length));
    else {
      built.set(`${p}#dict`, new Uint8Array(blob.buffer, blob.byteOffset, blob.length));
      const bounds = new Uint32Array(entries.length + 1);
      entries.forEach((e, k) => (bounds[k + 1] = bounds[k]! + e.length));
      built.set(`${p}#dictOffsets`, bounds);
    }
  }
  return (name) => {
    const v = built.get(name);
    if (!v) throw new SegmentFormatError(`segment lacks ${name}`);
    return v;
  };
}

/**
 * Columns of lazily loaded segments, least recently used first out once over the byte budget
 * (ALOG_INDEX_CACHE_MB, default 128). A column a query still holds stays valid: eviction only
 * drops the cache's reference.
 */
export class ColumnCache {
  private readonly entries = new Map<string, { column: LoadedColumn; bytes: number }>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private used = 0;
  constructor(readonly budgetBytes: number) {}
  get(owner: object, column: number, load: () => { column: LoadedColumn; bytes: number }): LoadedColumn {
    let id = this.ids.get(owner);
    if (id === undefined) this.ids.set(owner, (id = this.nextId++));
    const key = `${id}:${column}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.column;
    }
    const loaded = load();
    this.entries.set(key, loaded);
    this.used += loaded.bytes;
    for (const [k, e] of this.entries) {
      if (this.used <= this.budgetBytes || k === key) break;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
    return loaded.column;
  }
  /** The column if it is in the cache (without making it the most recent). */
  peek(owner: object, column: number): LoadedColumn | undefined {
    const id = this.ids.get(owner);
    return id === undefined ? undefined : this.entries.get(`${id}:${column}`)?.column;
  }
  get usedBytes(): number {
    return this.used;
  }
}

const budgetMb = Number(process.env.ALOG_INDEX_CACHE_MB);
export const defaultColumnCache = new ColumnCache((Number.isFinite(budgetMb) && budgetMb > 0 ? budgetMb : 128) * 1024 * 1024);

export { compareKeywords };
