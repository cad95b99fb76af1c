// Reads the indexed fields straight from a line's bytes when the line is RFC 8785 canonical (keys
// sorted, no whitespace): it walks only the members that lead to indexed fields and jumps over
// everything else (bodies, stack traces, nested objects) string by string, so most of a record is
// never decoded. Anything unexpected makes it give up, and the caller parses the line instead.
//
// The index build runs the WebAssembly port of these rules (assembly/scan.ts via scan-wasm.ts).
// This JS scanner is their readable definition: the tests hold the port to it line for line. The
// tree of indexed paths (ROOT_SPEC) and the value lists (Found) are shared with the port.
//
// The line is viewed as a latin1 string (one byte = one char, positions = byte offsets): V8's
// String indexOf/charCodeAt are builtins, far cheaper per call than Buffer.indexOf's native
// binding, and strings are jumped over with two indexOf calls whatever their length.
import { INDEXED_FIELDS } from '../../../shared/record-schema';

export interface Spec {
  keys: string[];
  nodes: SpecNode[];
}
export type SpecNode = { col: number } | { obj: Spec } | { arr: Spec };

/** The tree of `fields`' paths, each leaf the field's position in the list (its column). */
export function buildSpec(fields: readonly { path: string }[]): Spec {
  const root: Spec = { keys: [], nodes: [] };
  const child = (spec: Spec, key: string, make: () => SpecNode): SpecNode => {
    const at = spec.keys.indexOf(key);
    if (at >= 0) return spec.nodes[at]!;
    const node = make();
    spec.keys.push(key);
    spec.nodes.push(node);
    return node;
  };
  fields.forEach((f, col) => {
    const parts = f.path.split('.');
    let spec = root;
    parts.forEach((raw, i) => {
      const spread = raw.endsWith('[]');
      const key = spread ? raw.slice(0, -2) : raw;
      if (i === parts.length - 1) {
        child(spec, key, () => ({ col }));
        return;
      }
      const node = child(spec, key, () => (spread ? { arr: { keys: [], nodes: [] } } : { obj: { keys: [], nodes: [] } }));
      spec = 'arr' in node ? node.arr : (node as { obj: Spec }).obj;
    });
  });
  return root;
}

/** The tree of indexed paths the scanners walk (shared with the WebAssembly scanner). */
export const ROOT_SPEC = buildSpec(INDEXED_FIELDS);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

class NotCanonical extends Error {}
const BAIL = new NotCanonical();

/** Values found, as parallel (column, value) lists; applied to the builder only when the whole scan succeeds. */
export class Found {
  cols: number[] = [];
  values: unknown[] = [];
  get length(): number {
    return this.cols.length;
  }
  clear(): void {
    this.cols.length = 0;
    this.values.length = 0;
  }
  push(col: number, value: unknown): void {
    this.cols.push(col);
    this.values.push(value);
  }
}

// Per-scan state (module level: the scanner is synchronous and not re-entrant). `s` is a latin1
// copy of the line alone: a view of a whole multi-MB chunk would be an external string, whose
// character access V8 does not inline (measured 40% slower than a short copy per line).
let s = '';
let buf: Buffer = Buffer.alloc(0);
/** Byte offset of the line in `buf`: s[i] is buf[base + i]. */
let base = 0;
let end = 0;
/** Where the last readString / readScalar ended. */
let after = 0;

/**
 * Extracts the indexed values of a canonical line `chunk[start, stop)` into `out`. Returns false
 * when the line is not in the expected form (then `out` is partial and must be discarded).
 */
export function scanCanonical(chunk: Buffer, start: number, stop: number, out: Found): boolean {
  s = chunk.toString('latin1', start, stop);
  buf = chunk;
  base = start;
  end = s.length;
  try {
    return parseObject(0, ROOT_SPEC, out, true) === end;
  } catch (e) {
    if (e === BAIL) return false;
    throw e;
  }
}

/** Drops the last line's copy. */
export function releaseScanView(): void {
  s = '';
  buf = Buffer.alloc(0);
}

/** Position after the closing quote of the string whose opening quote is at `i`. */
function skipString(i: number): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q === -1 || q >= end) throw BAIL;
    if (s.charCodeAt(q - 1) !== BACKSLASH) return q + 1;
    // An even run of backslashes before the quote leaves it unescaped.
    let k = q - 1;
    while (k > i && s.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function readString(i: number): string {
  after = skipString(i);
  // A bounded loop: an unbounded indexOf('\\') would run on to the line's next escape, far away.
  for (let j = i + 1; j < after - 1; j++) {
    if (s.charCodeAt(j) === BACKSLASH) return JSON.parse(buf.toString('utf8', base + i, base + after)) as string;
  }
  return buf.toString('utf8', base + i + 1, base + after - 1);
}

/** Skips any JSON value starting at `i`; returns the position after it. */
function skipValue(i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(i);
  if (c === OPEN_OBJ || c === OPEN_ARR) {
    // Walk the few structural chars between strings; jump over each string with one indexOf.
    let depth = 0;
    let j = i;
    while (j < end) {
      const b = s.charCodeAt(j);
      if (b === QUOTE) {
        j = skipString(j);
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) depth++;
      else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        if (--depth === 0) return j + 1;
      }
      j++;
    }
    throw BAIL;
  }
  // number, true, false, null: runs to the next delimiter
  let j = i;
  while (j < end) {
    const b = s.charCodeAt(j);
    if (b === COMMA || b === CLOSE_OBJ || b === CLOSE_ARR) break;
    j++;
  }
  if (j === i) throw BAIL;
  return j;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function readScalar(i: number): unknown {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return readString(i);
  const j = skipValue(i);
  after = j;
  if (c === OPEN_OBJ || c === OPEN_ARR) return undefined;
  const text = s.slice(i, j);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  // JSON numbers only (Number() would also take "0x1f", "Infinity" or " 1").
  if (!NUMBER.test(text)) throw BAIL;
  return Number(text);
}

function parseObject(i: number, spec: Spec, out: Found, root = false): number {
  if (s.charCodeAt(i) !== OPEN_OBJ) throw BAIL;
  i++;
  if (s.charCodeAt(i) === CLOSE_OBJ) return i + 1;
  let prevStart = -1;
  let prevEnd = -1;
  const keys = spec.keys;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) throw BAIL;
    const keyStart = i + 1;
    const keyEnd = s.indexOf('"', keyStart);
    if (keyEnd === -1 || keyEnd >= end) throw BAIL;
    // An escaped key is never canonical-and-simple: let JSON.parse judge it.
    for (let j = keyStart; j < keyEnd; j++) if (s.charCodeAt(j) === BACKSLASH) throw BAIL;
    // Canonical keys are strictly increasing; anything else (duplicates!) goes to JSON.parse. The
    // sealed line form appends `integrity` last, out of order (sealed-archive.md, "Line form").
    // Comparing latin1 chars compares UTF-8 bytes: code point order, JCS order for BMP keys.
    if (!(root && keyEnd - keyStart === 9 && s.startsWith('integrity', keyStart))) {
      if (prevStart >= 0 && compareRanges(prevStart, prevEnd, keyStart, keyEnd) >= 0) throw BAIL;
      prevStart = keyStart;
      prevEnd = keyEnd;
    }
    if (s.charCodeAt(keyEnd + 1) !== COLON) throw BAIL;
    i = keyEnd + 2;
    let k = -1;
    for (let n = 0; n < keys.length; n++) {
      const key = keys[n]!;
      if (key.length === keyEnd - keyStart && s.startsWith(key, keyStart)) {
        k = n;
        break;
      }
    }
    const node = k >= 0 ? spec.nodes[k]! : undefined;
    if (!node) i = skipValue(i);
    else if ('col' in node) {
      const value = readScalar(i);
      if (value !== undefined) out.push(node.col, value);
      i = after;
    } else if ('obj' in node) {
      i = s.charCodeAt(i) === OPEN_OBJ ? parseObject(i, node.obj, out) : skipValue(i);
    } else {
      i = s.charCodeAt(i) === OPEN_ARR ? parseArray(i, node.arr, out) : skipValue(i);
    }
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CLOSE_OBJ) return i + 1;
    throw BAIL;
  }
}

function compareRanges(a: number, aEnd: number, b: number, bEnd: number): number {
  const la = aEnd - a;
  const lb = bEnd - b;
  const n = la < lb ? la : lb;
  for (let j = 0; j < n; j++) {
    const d = s.charCodeAt(a + j) - s.charCodeAt(b + j);
    if (d !== 0) return d;
  }
  return la - lb;
}

function parseArray(i: number, elementSpec: Spec, out: Found): number {
  i++;
  if (s.charCodeAt(i) === CLOSE_ARR) return i + 1;
  for (;;) {
    i = s.charCodeAt(i) === OPEN_OBJ ? parseObject(i, elementSpec, out) : skipValue(i);
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CLOSE_ARR) return i + 1;
    throw BAIL;
  }
}
