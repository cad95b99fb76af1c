// Loads the WebAssembly field scanner (assembly/scan.ts). `scanRow` reads the indexed values of one
// canonical line into a row sink (the index's column builder), or returns false when the line must
// be parsed instead; `scanCanonicalWasm` does the same into a `Found`, the JS scanner's interface.
// The module walks the bytes; this side turns the positions it reports into values (strings are
// decoded here unless the module's cache already knows their dictionary id; numbers mostly come
// back decoded).
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import { buildSpec, ROOT_SPEC, type Found, type Spec } from './extract';
import { instantiateWasm, WASM_PAGE, type WasmMemory } from '../wasm';
import { SCAN_WASM_BASE64 } from './scan-wasm.generated';
import { latin1Slice, utf8Slice } from '../buffer-slices';

interface ScanExports {
  memory: WasmMemory;
  heapBase(): number;
  scan(spec: number, line: number, len: number, out: number, nums: number, max: number, cache: boolean): number;
  dictInit(table: number, capacity: number, arena: number, arenaBytes: number): void;
  dictReset(): void;
  dictRemember(col: number, start: number, len: number, id: number): void;
}

/** Where the scanner's values go: plain values, or dictionary ids of keyword strings. */
export interface RowSink {
  value(col: number, v: unknown): void;
  /** Adds the string whose dictionary id (from `idOf`) is `id` to keyword column `col`. */
  code(col: number, id: number): void;
  /** The dictionary id of `value` in keyword column `col` (assigned when new). */
  idOf(col: number, value: string): number;
  /** The string whose UTF-8 bytes are `buf[start, end)`, for an id column (`perRecord`). */
  bytes(col: number, buf: Buffer, start: number, end: number): void;
}

/**
 * Keyword columns whose strings go through the module's cache: all but the ids, new in almost
 * every record, where a cache would only fill up.
 */
const CACHED_COLUMNS = new Set(INDEXED_FIELDS.flatMap((f, col) => ((f.type === 'keyword' || f.multi) && !f.perRecord ? [col] : [])));
/** The id columns (`perRecord`): their strings go to the sink as bytes, never decoded here. */
const ID_COLUMNS = new Set(INDEXED_FIELDS.flatMap((f, col) => (f.perRecord ? [col] : [])));
const DICT_CAPACITY = 8192;
const DICT_ARENA_BYTES = 512 * 1024;

/** More values than this in one line (a record with thousands of `errors`) falls back to parsing. */
const MAX_VALUES = 4096;

const K_STRING = 1;
const K_ESCAPED = 2;
const K_NUMBER = 3;
const K_NUMBER_TEXT = 4;
const K_TRUE = 5;
const K_FALSE = 6;
const K_CODE = 7;

// Spec entry kinds (assembly/scan.ts).
const SPEC_COLUMN = 0;
const SPEC_OBJECT = 1;
const SPEC_ARRAY = 2;
const SPEC_CACHED_COLUMN = 3;

const align16 = (n: number): number => (n + 15) & ~15;


/**
 * Where `scanValues` puts the values it finds: plain strings as their bytes (undecoded), numbers,
 * booleans, and escaped strings decoded. A null or an object is no value.
 */
export interface ValueVisitor {
  bytes(col: number, buf: Buffer, start: number, end: number): void;
  text(col: number, value: string): void;
  number(col: number, value: number): void;
  boolean(col: number, value: boolean): void;
}

class WasmScanner {
  private readonly exports: ScanExports;
  private readonly spec: number;
  private readonly out: number;
  private readonly nums: number;
  private readonly line: number;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private f64!: Float64Array;

  constructor(
    rootSpec: Spec,
    /** Columns whose strings go through the module's cache (`scanRow` only). */
    private readonly cached: ReadonlySet<number>,
  ) {
    this.exports = instantiateWasm<ScanExports>(SCAN_WASM_BASE64);
    this.views();
    // SPEC: per object a count, then [keyPtr, keyLen, kind, column or child] per key; key bytes follow.
    let at = align16(this.exports.heapBase());
    this.spec = at;
    const encode = (spec: Spec): number => {
      at = align16(at);
      const self = at;
      at += 4 + spec.keys.length * 16;
      this.ensure(at);
      const entries: [number, number, number, number][] = [];
      spec.keys.forEach((key, n) => {
        const node = spec.nodes[n]!;
        const bytes = Buffer.from(key, 'utf8');
        const keyPtr = at;
        at += bytes.length;
        this.ensure(at);
        this.u8.set(bytes, keyPtr);
        if ('col' in node) entries.push([keyPtr, bytes.length, this.cached.has(node.col) ? SPEC_CACHED_COLUMN : SPEC_COLUMN, node.col]);
        else if ('obj' in node) entries.push([keyPtr, bytes.length, SPEC_OBJECT, encode(node.obj)]);
        else entries.push([keyPtr, bytes.length, SPEC_ARRAY, encode(node.arr)]);
      });
      this.i32[self >> 2] = spec.keys.length;
      entries.forEach((e, n) => this.i32.set(e, (self + 4 + n * 16) >> 2));
      return self;
    };
    encode(rootSpec);
    this.out = align16(at);
    this.nums = this.out + MAX_VALUES * 16;
    const table = this.nums + MAX_VALUES * 8;
    const arena = table + DICT_CAPACITY * 16;
    // The line comes last: it is the one region that grows (with the longest line seen).
    this.line = arena + DICT_ARENA_BYTES;
    this.ensure(this.line + WASM_PAGE);
    this.exports.dictInit(table, DICT_CAPACITY, arena, DICT_ARENA_BYTES);
  }

  /**
   * The sink whose dictionary ids the cache holds: another sink (another file) empties it. Held
   * weakly, so a finished file's columns are not kept alive until the next file.
   */
  private owner: WeakRef<RowSink> | undefined;
  private escapedValues: unknown[] = [];

  scanRow(chunk: Buffer, start: number, stop: number, sink: RowSink): boolean {
    if (this.owner?.deref() !== sink) {
      this.exports.dictReset();
      this.owner = new WeakRef(sink);
    }
    const len = stop - start;
    this.ensure(this.line + len + 16);
    chunk.copy(this.u8, this.line, start, stop);
    const n = this.exports.scan(this.spec, this.line, len, this.out, this.nums, MAX_VALUES, true);
    if (n < 0) return false;
    const i32 = this.i32;
    const base = this.out >> 2;
    // Escaped strings first: one that JSON.parse rejects sends the whole line to the caller's
    // parse before anything reaches the sink.
    const escaped = this.escapedValues;
    escaped.length = 0;
    for (let k = 0; k < n; k++) {
      const p = base + k * 4;
      if (i32[p + 1] !== K_ESCAPED) continue;
      try {
        escaped.push(JSON.parse(utf8Slice(chunk, start + i32[p + 2]!, start + i32[p + 3]!)));
      } catch {
        return false;
      }
    }
    let e = 0;
    for (let k = 0; k < n; k++) {
      const p = base + k * 4;
      const col = i32[p]!;
      switch (i32[p + 1]) {
        case K_CODE:
          sink.code(col, i32[p + 2]!);
          break;
        case K_STRING: {
          const a = i32[p + 2]!;
          const b = i32[p + 3]!;
          if (CACHED_COLUMNS.has(col)) {
            const id = sink.idOf(col, utf8Slice(chunk, start + a, start + b));
            sink.code(col, id);
            this.exports.dictRemember(col, a, b - a, id);
          } else if (ID_COLUMNS.has(col)) sink.bytes(col, chunk, start + a, start + b);
          else sink.value(col, utf8Slice(chunk, start + a, start + b));
          break;
        }
        case K_ESCAPED:
          sink.value(col, escaped[e++]);
          break;
        case K_NUMBER:
          sink.value(col, this.f64[(this.nums >> 3) + k]!);
          break;
        case K_NUMBER_TEXT:
          sink.value(col, Number(latin1Slice(chunk, start + i32[p + 2]!, start + i32[p + 3]!)));
          break;
        case K_TRUE:
          sink.value(col, true);
          break;
        case K_FALSE:
          sink.value(col, false);
          break;
      }
    }
    return true;
  }

  /**
   * The values of the line `chunk[start, stop)` at the scanner's paths, to `visitor`, in line order
   * (no string is decoded unless it has escapes). Returns false when the line is not in the
   * expected form; the visitor may then have seen part of the values.
   */
  scanValues(chunk: Buffer, start: number, stop: number, visitor: ValueVisitor, wrap?: { before?: number; after?: number }): boolean {
    // `wrap` puts a byte before and/or after the bytes scanned (a `{` or `}` that makes a run of
    // members one object); positions reported are then shifted back to `chunk`'s.
    const before = wrap?.before === undefined ? 0 : 1;
    const after = wrap?.after === undefined ? 0 : 1;
    const len = stop - start + before + after;
    this.ensure(this.line + len + 16);
    if (before) this.u8[this.line] = wrap!.before!;
    chunk.copy(this.u8, this.line + before, start, stop);
    if (after) this.u8[this.line + len - 1] = wrap!.after!;
    const n = this.exports.scan(this.spec, this.line, len, this.out, this.nums, MAX_VALUES, false);
    if (n < 0) return false;
    const i32 = this.i32;
    const base = this.out >> 2;
    const shift = start - before;
    for (let k = 0; k < n; k++) {
      const p = base + k * 4;
      const col = i32[p]!;
      switch (i32[p + 1]) {
        case K_STRING:
          visitor.bytes(col, chunk, shift + i32[p + 2]!, shift + i32[p + 3]!);
          break;
        case K_ESCAPED: {
          let value: unknown;
          try {
            value = JSON.parse(utf8Slice(chunk, shift + i32[p + 2]!, shift + i32[p + 3]!));
          } catch {
            return false;
          }
          visitor.text(col, value as string);
          break;
        }
        case K_NUMBER:
          visitor.number(col, this.f64[(this.nums >> 3) + k]!);
          break;
        case K_NUMBER_TEXT:
          visitor.number(col, Number(latin1Slice(chunk, shift + i32[p + 2]!, shift + i32[p + 3]!)));
          break;
        case K_TRUE:
          visitor.boolean(col, true);
          break;
        case K_FALSE:
          visitor.boolean(col, false);
          break;
      }
    }
    return true;
  }

  private views(): void {
    const buffer = this.exports.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  private ensure(bytes: number): void {
    const have = this.exports.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.exports.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    this.views();
  }
}

let scanner: WasmScanner | undefined;

/**
 * Reads the indexed values of the canonical line `chunk[start, stop)` into `sink` (a null or an
 * object is no value; keywords of repeating columns arrive as dictionary ids from `sink.idOf`).
 * Returns false, with nothing given to the sink, when the line is not in the expected form.
 */
export function scanRow(chunk: Buffer, start: number, stop: number, sink: RowSink): boolean {
  scanner ??= new WasmScanner(ROOT_SPEC, CACHED_COLUMNS);
  return scanner.scanRow(chunk, start, stop, sink);
}

/** Reads the values at other paths than the index's (each path's position in `paths` is its column). */
export interface FieldScanner {
  scanValues(chunk: Buffer, start: number, stop: number, visitor: ValueVisitor, wrap?: { before?: number; after?: number }): boolean;
}

/** A scanner of its own (its own module instance) for `paths`, in the index's path syntax. */
export function createFieldScanner(paths: readonly string[]): FieldScanner {
  return new WasmScanner(buildSpec(paths.map((path) => ({ path }))), new Set());
}

/**
 * The values `scanRow` finds, as the JS scanner's `Found` lists (for comparing the two): strings
 * decoded, whether or not the module's cache knew them. Returns false when the line is not in the
 * expected form.
 */
export function scanCanonicalWasm(chunk: Buffer, start: number, stop: number, found: Found): boolean {
  const strings: string[] = [];
  return scanRow(chunk, start, stop, {
    value: (col, v) => found.push(col, v),
    idOf: (_col, value) => strings.push(value),
    bytes: (col, buf, start, end) => found.push(col, buf.toString('utf8', start, end)),
    code: (col, id) => found.push(col, strings[id - 1]),
  });
}
