// Loads the WebAssembly field scanner (assembly/scan.ts) and gives it the JS scanner's interface:
// `scanCanonicalWasm` reads the indexed values of one canonical line into a `Found`, or returns
// false when the line must be parsed instead. The module walks the bytes; this side only turns the
// positions it reports into values (strings are decoded here, numbers mostly come back decoded).
import { ROOT_SPEC, type Found, type Spec } from './extract';
import { instantiateWasm, WASM_PAGE, type WasmMemory } from '../wasm';
import { SCAN_WASM_BASE64 } from './scan-wasm.generated';

interface ScanExports {
  memory: WasmMemory;
  heapBase(): number;
  scan(spec: number, line: number, len: number, out: number, nums: number, max: number): number;
}

/** More values than this in one line (a record with thousands of `errors`) falls back to parsing. */
const MAX_VALUES = 4096;

const K_STRING = 1;
const K_ESCAPED = 2;
const K_NUMBER = 3;
const K_NUMBER_TEXT = 4;
const K_TRUE = 5;
const K_FALSE = 6;

const align16 = (n: number): number => (n + 15) & ~15;

class WasmScanner {
  private readonly exports: ScanExports;
  private readonly spec: number;
  private readonly out: number;
  private readonly nums: number;
  private readonly line: number;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  private f64!: Float64Array;

  constructor() {
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
        if ('col' in node) entries.push([keyPtr, bytes.length, 0, node.col]);
        else if ('obj' in node) entries.push([keyPtr, bytes.length, 1, encode(node.obj)]);
        else entries.push([keyPtr, bytes.length, 2, encode(node.arr)]);
      });
      this.i32[self >> 2] = spec.keys.length;
      entries.forEach((e, n) => this.i32.set(e, (self + 4 + n * 16) >> 2));
      return self;
    };
    encode(ROOT_SPEC);
    this.out = align16(at);
    this.nums = this.out + MAX_VALUES * 16;
    this.line = this.nums + MAX_VALUES * 8;
    this.ensure(this.line + WASM_PAGE);
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

  scan(chunk: Buffer, start: number, stop: number, found: Found): boolean {
    const len = stop - start;
    this.ensure(this.line + len + 16);
    chunk.copy(this.u8, this.line, start, stop);
    const n = this.exports.scan(this.spec, this.line, len, this.out, this.nums, MAX_VALUES);
    if (n < 0) return false;
    const i32 = this.i32;
    for (let k = 0; k < n; k++) {
      const p = (this.out >> 2) + k * 4;
      const col = i32[p]!;
      const a = start + i32[p + 2]!;
      const b = start + i32[p + 3]!;
      switch (i32[p + 1]) {
        case K_STRING:
          found.push(col, chunk.toString('utf8', a, b));
          break;
        case K_ESCAPED:
          try {
            found.push(col, JSON.parse(chunk.toString('utf8', a, b)));
          } catch {
            return false; // a broken escape: the caller's parse reports it
          }
          break;
        case K_NUMBER:
          found.push(col, this.f64[(this.nums >> 3) + k]!);
          break;
        case K_NUMBER_TEXT:
          found.push(col, Number(chunk.toString('latin1', a, b)));
          break;
        case K_TRUE:
          found.push(col, true);
          break;
        case K_FALSE:
          found.push(col, false);
          break;
      }
    }
    return true;
  }
}

let scanner: WasmScanner | undefined;

/**
 * Extracts the indexed values of the canonical line `chunk[start, stop)` into `found` (which the
 * caller clears), exactly as `scanCanonical` does. Returns false when the line is not in the
 * expected form.
 */
export function scanCanonicalWasm(chunk: Buffer, start: number, stop: number, found: Found): boolean {
  scanner ??= new WasmScanner();
  return scanner.scan(chunk, start, stop, found);
}
