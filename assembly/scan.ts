// The index's field scanner in WebAssembly (AssemblyScript; compiled by scripts/build-wasm.mjs into
// src/main/services/index/scan-wasm.generated.ts). It reads the indexed fields of one RFC 8785
// canonical line straight from its bytes, with exactly the rules of the JS scanner it replaces
// (src/main/services/index/extract.ts keeps that one as the reference the tests compare against):
// walk only the members that lead to indexed fields, jump over everything else string by string
// (16 bytes at a time with SIMD), and give up (-1) on anything unexpected so the caller parses.
//
// Memory layout (all set by the JS side, see scan-wasm.ts):
//   SPEC   the tree of indexed paths: per object a count, then per key
//          [keyPtr, keyLen, kind (0 column, 1 object, 2 array of objects), column or child spec]
//   OUT    per value found: [column, kind, start, end] as i32, and an f64 at NUMS for numbers
//   LINE   the line's bytes, followed by 16 zero bytes this module writes itself
//   DICT   a cache from (column, string bytes) to the caller's dictionary id for the columns with
//          few distinct values, so their strings are not decoded again for every record

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;
const OPEN_OBJ: u8 = 0x7b;
const CLOSE_OBJ: u8 = 0x7d;
const OPEN_ARR: u8 = 0x5b;
const CLOSE_ARR: u8 = 0x5d;
const COLON: u8 = 0x3a;
const COMMA: u8 = 0x2c;

// Value kinds written to OUT.
const K_STRING: i32 = 1; // plain string: bytes [start, end) between the quotes
const K_ESCAPED: i32 = 2; // string with escapes: [start, end) includes the quotes, for JSON.parse
const K_NUMBER: i32 = 3; // number whose value is at NUMS (exact: Clinger's fast path)
const K_NUMBER_TEXT: i32 = 4; // valid JSON number too long for the fast path: [start, end) is its text
const K_TRUE: i32 = 5;
const K_FALSE: i32 = 6;
const K_CODE: i32 = 7; // a cached string: `start` holds the caller's dictionary id for it

// Spec entry kinds.
const COLUMN: i32 = 0;
const OBJECT: i32 = 1;
const CACHED_COLUMN: i32 = 3; // a column whose strings go through the DICT cache
/** Longer strings are never cached. */
const MAX_CACHED_LEN: i32 = 128;

const BAIL: i32 = -1;

let line: usize = 0; // address of the line's first byte
let end: i32 = 0; // line length
let out: usize = 0;
let nums: usize = 0;
let found: i32 = 0;
let maxFound: i32 = 0;
let after: i32 = 0;
let caching = false;

@inline function at(i: i32): u8 {
  return load<u8>(line + <usize>i);
}

/**
 * Scans the line at `linePtr` (`len` bytes, with 16 writable bytes after it) against the spec at
 * `specPtr`. Returns the number of values written to `outPtr`/`numsPtr` (at most `max`), or -1
 * when the line is not in the expected canonical form. With `cache`, strings of cached columns
 * already in the DICT cache come back as K_CODE.
 */
export function scan(specPtr: usize, linePtr: usize, len: i32, outPtr: usize, numsPtr: usize, max: i32, cache: bool): i32 {
  caching = cache;
  line = linePtr;
  end = len;
  out = outPtr;
  nums = numsPtr;
  found = 0;
  maxFound = max;
  v128.store(line + <usize>len, i8x16.splat(0));
  const stop = parseObject(0, specPtr, true);
  if (stop != end) return BAIL;
  return found;
}

/** Position after the closing quote of the string opening at `i`, or BAIL. Sets `escaped`. */
let escaped = false;
function skipString(i: i32): i32 {
  let j = i + 1;
  const quotes = i8x16.splat(<i8>QUOTE);
  const slashes = i8x16.splat(<i8>BACKSLASH);
  escaped = false;
  while (j < end) {
    const v = v128.load(line + <usize>j);
    const m = i8x16.bitmask(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, slashes)));
    if (m == 0) {
      j += 16;
      continue;
    }
    j += <i32>ctz(m);
    if (j >= end) return BAIL;
    if (at(j) == QUOTE) return j + 1;
    escaped = true;
    j += 2; // a backslash escapes the byte after it
  }
  return BAIL;
}

/** Bit k set when an odd number of bits at positions <= k are set: "inside a string" from quote bits. */
@inline function prefixXor16(x: i32): i32 {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  return x & 0xffff;
}

/**
 * Position after the object or array opening at `i`, or BAIL; nothing inside is checked. 16 bytes
 * at a time: the quotes' prefix XOR marks the bytes inside strings, and the brackets outside them
 * move the depth, looked at one by one only in a block where the depth may reach zero. A block with
 * a backslash (an escape) goes byte by byte.
 */
function skipContainer(i: i32): i32 {
  const quotes = i8x16.splat(<i8>QUOTE);
  const slashes = i8x16.splat(<i8>BACKSLASH);
  const o1 = i8x16.splat(<i8>OPEN_OBJ);
  const o2 = i8x16.splat(<i8>OPEN_ARR);
  const c1 = i8x16.splat(<i8>CLOSE_OBJ);
  const c2 = i8x16.splat(<i8>CLOSE_ARR);
  let depth = 0;
  let inString = false;
  let escapeNext = false;
  let j = i;
  while (j < end) {
    let bytewise = escapeNext || j + 16 > end;
    let v = i8x16.splat(0);
    if (!bytewise) {
      v = v128.load(line + <usize>j);
      bytewise = i8x16.bitmask(i8x16.eq(v, slashes)) != 0;
    }
    if (bytewise) {
      const stop = j + 16 < end ? j + 16 : end;
      for (; j < stop; j++) {
        const b = at(j);
        if (escapeNext) {
          escapeNext = false;
        } else if (inString) {
          if (b == BACKSLASH) escapeNext = true;
          else if (b == QUOTE) inString = false;
        } else if (b == QUOTE) {
          inString = true;
        } else if (b == OPEN_OBJ || b == OPEN_ARR) {
          depth++;
        } else if (b == CLOSE_OBJ || b == CLOSE_ARR) {
          if (--depth == 0) return j + 1;
        }
      }
      continue;
    }
    let inside = prefixXor16(i8x16.bitmask(i8x16.eq(v, quotes)));
    if (inString) inside ^= 0xffff;
    const opens = i8x16.bitmask(v128.or(i8x16.eq(v, o1), i8x16.eq(v, o2))) & ~inside;
    const closes = i8x16.bitmask(v128.or(i8x16.eq(v, c1), i8x16.eq(v, c2))) & ~inside;
    if (depth > <i32>popcnt(closes)) {
      depth += <i32>popcnt(opens) - <i32>popcnt(closes);
    } else {
      let m = opens | closes;
      while (m != 0) {
        const k = <i32>ctz(m);
        if ((opens >> k) & 1) depth++;
        else if (--depth == 0) return j + k + 1;
        m &= m - 1;
      }
    }
    inString = ((inside >> 15) & 1) != 0;
    j += 16;
  }
  return BAIL;
}

/** Skips any JSON value starting at `i`; returns the position after it, or BAIL. */
function skipValue(i: i32): i32 {
  const c = at(i);
  if (c == QUOTE) return skipString(i);
  if (c == OPEN_OBJ || c == OPEN_ARR) return skipContainer(i);
  // number, true, false, null: runs to the next delimiter
  let j = i;
  while (j < end) {
    const b = at(j);
    if (b == COMMA || b == CLOSE_OBJ || b == CLOSE_ARR) break;
    j++;
  }
  if (j == i) return BAIL;
  return j;
}

function emit(col: i32, kind: i32, start: i32, stop: i32): bool {
  if (found >= maxFound) return false;
  const p = out + (<usize>found << 4);
  store<i32>(p, col);
  store<i32>(p, kind, 4);
  store<i32>(p, start, 8);
  store<i32>(p, stop, 12);
  found++;
  return true;
}

// Powers of ten that are exact doubles (Clinger's fast path: one correctly rounded operation).
const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Reads the scalar value at `i` for column `col`; returns false on a BAIL. Sets `after`. */
function readScalar(col: i32, i: i32, cached: bool): bool {
  const c = at(i);
  if (c == QUOTE) {
    const j = skipString(i);
    if (j < 0) return false;
    after = j;
    if (escaped) return emit(col, K_ESCAPED, i, j);
    if (cached && caching && j - 1 - (i + 1) <= MAX_CACHED_LEN) {
      const id = dictLookup(col, i + 1, j - 1 - (i + 1));
      if (id != 0) return emit(col, K_CODE, id, j - 1);
    }
    return emit(col, K_STRING, i + 1, j - 1);
  }
  const j = skipValue(i);
  if (j < 0) return false;
  after = j;
  if (c == OPEN_OBJ || c == OPEN_ARR) return true; // not a scalar: no value
  const n = j - i;
  if (n == 4 && at(i) == 0x74 && at(i + 1) == 0x72 && at(i + 2) == 0x75 && at(i + 3) == 0x65) return emit(col, K_TRUE, i, j);
  if (n == 5 && at(i) == 0x66 && at(i + 1) == 0x61 && at(i + 2) == 0x6c && at(i + 3) == 0x73 && at(i + 4) == 0x65) return emit(col, K_FALSE, i, j);
  if (n == 4 && at(i) == 0x6e && at(i + 1) == 0x75 && at(i + 2) == 0x6c && at(i + 3) == 0x6c) return true; // null: no value
  return readNumber(col, i, j);
}

/** Validates a JSON number in [i, j) and emits it; false when it is not one. */
function readNumber(col: i32, i: i32, j: i32): bool {
  let k = i;
  let negative = false;
  if (at(k) == 0x2d) {
    negative = true;
    k++;
  }
  if (k >= j) return false;
  let mantissa: u64 = 0;
  let digits = 0; // significant digits accumulated in `mantissa`
  let exp10 = 0;
  let exact = true;
  const first = at(k);
  if (first == 0x30) {
    k++;
  } else if (first >= 0x31 && first <= 0x39) {
    while (k < j && at(k) >= 0x30 && at(k) <= 0x39) {
      if (digits < 19) {
        mantissa = mantissa * 10 + <u64>(at(k) - 0x30);
        if (mantissa != 0) digits++;
      } else exact = false;
      k++;
    }
  } else return false;
  if (k < j && at(k) == 0x2e) {
    k++;
    const fracStart = k;
    while (k < j && at(k) >= 0x30 && at(k) <= 0x39) {
      if (digits < 19) {
        mantissa = mantissa * 10 + <u64>(at(k) - 0x30);
        if (mantissa != 0) digits++;
        exp10--;
      } else exact = false;
      k++;
    }
    if (k == fracStart) return false;
  }
  if (k < j && (at(k) == 0x65 || at(k) == 0x45)) {
    k++;
    let expNegative = false;
    if (k < j && (at(k) == 0x2b || at(k) == 0x2d)) {
      expNegative = at(k) == 0x2d;
      k++;
    }
    const expStart = k;
    let e = 0;
    while (k < j && at(k) >= 0x30 && at(k) <= 0x39) {
      if (e < 100000) e = e * 10 + <i32>(at(k) - 0x30);
      k++;
    }
    if (k == expStart) return false;
    exp10 += expNegative ? -e : e;
  }
  if (k != j) return false;
  if (!exact || mantissa > (<u64>1 << 53) || exp10 < -22 || exp10 > 22) return emit(col, K_NUMBER_TEXT, i, j);
  let v = <f64>mantissa;
  v = exp10 < 0 ? v / unchecked(POW10[-exp10]) : v * unchecked(POW10[exp10]);
  if (!emit(col, K_NUMBER, i, j)) return false;
  store<f64>(nums + (<usize>(found - 1) << 3), negative ? -v : v);
  return true;
}

/** Whether the key bytes [a, aEnd) sort strictly before [b, bEnd) (bytewise, shorter first on a tie). */
function before(a: i32, aEnd: i32, b: i32, bEnd: i32): bool {
  const la = aEnd - a;
  const lb = bEnd - b;
  const n = la < lb ? la : lb;
  for (let j = 0; j < n; j++) {
    const d = <i32>at(a + j) - <i32>at(b + j);
    if (d != 0) return d < 0;
  }
  return la < lb;
}

const INTEGRITY: StaticArray<u8> = [0x69, 0x6e, 0x74, 0x65, 0x67, 0x72, 0x69, 0x74, 0x79];

function isIntegrity(a: i32, len: i32): bool {
  if (len != 9) return false;
  for (let j = 0; j < 9; j++) if (at(a + j) != unchecked(INTEGRITY[j])) return false;
  return true;
}

/** Index of the spec entry whose key is [a, a+len), or -1. */
function findKey(spec: usize, a: i32, len: i32): i32 {
  const count = load<i32>(spec);
  for (let n = 0; n < count; n++) {
    const e = spec + 4 + (<usize>n << 4);
    if (load<i32>(e, 4) != len) continue;
    const key = <usize>load<i32>(e);
    let same = true;
    for (let j = 0; j < len; j++) {
      if (load<u8>(key + <usize>j) != at(a + j)) {
        same = false;
        break;
      }
    }
    if (same) return n;
  }
  return -1;
}

function parseObject(i: i32, spec: usize, root: bool): i32 {
  if (at(i) != OPEN_OBJ) return BAIL;
  i++;
  if (at(i) == CLOSE_OBJ) return i + 1;
  let prevStart = -1;
  let prevEnd = -1;
  while (true) {
    if (at(i) != QUOTE) return BAIL;
    const keyStart = i + 1;
    let keyEnd = keyStart;
    while (keyEnd < end && at(keyEnd) != QUOTE) {
      // An escaped key is never canonical-and-simple: let JSON.parse judge it.
      if (at(keyEnd) == BACKSLASH) return BAIL;
      keyEnd++;
    }
    if (keyEnd >= end) return BAIL;
    // Canonical keys are strictly increasing; the sealed line form appends `integrity` last.
    if (!(root && isIntegrity(keyStart, keyEnd - keyStart))) {
      if (prevStart >= 0 && !before(prevStart, prevEnd, keyStart, keyEnd)) return BAIL;
      prevStart = keyStart;
      prevEnd = keyEnd;
    }
    if (at(keyEnd + 1) != COLON) return BAIL;
    i = keyEnd + 2;
    const k = findKey(spec, keyStart, keyEnd - keyStart);
    if (k < 0) {
      i = skipValue(i);
    } else {
      const e = spec + 4 + (<usize>k << 4);
      const kind = load<i32>(e, 8);
      const payload = load<i32>(e, 12);
      if (kind == COLUMN || kind == CACHED_COLUMN) {
        if (!readScalar(payload, i, kind == CACHED_COLUMN)) return BAIL;
        i = after;
      } else if (kind == OBJECT) {
        i = at(i) == OPEN_OBJ ? parseObject(i, <usize>payload, false) : skipValue(i);
      } else {
        i = at(i) == OPEN_ARR ? parseArray(i, <usize>payload) : skipValue(i);
      }
    }
    if (i < 0) return BAIL;
    const c = at(i);
    if (c == COMMA) {
      i++;
      continue;
    }
    if (c == CLOSE_OBJ) return i + 1;
    return BAIL;
  }
  return BAIL;
}

function parseArray(i: i32, elementSpec: usize): i32 {
  i++;
  if (at(i) == CLOSE_ARR) return i + 1;
  while (true) {
    i = at(i) == OPEN_OBJ ? parseObject(i, elementSpec, false) : skipValue(i);
    if (i < 0) return BAIL;
    const c = at(i);
    if (c == COMMA) {
      i++;
      continue;
    }
    if (c == CLOSE_ARR) return i + 1;
    return BAIL;
  }
  return BAIL;
}

// The DICT cache: an open-addressing table of 16-byte entries [hash, column | length << 16,
// offset of the bytes in the arena, id (0 = empty)], at most half full, and an arena of bytes.
let table: usize = 0;
let tableMask: u32 = 0;
let arena: usize = 0;
let arenaSize: u32 = 0;
let arenaUsed: u32 = 0;
let entries: u32 = 0;

/** Places the cache (`capacity` a power of two) and empties it. */
export function dictInit(tablePtr: usize, capacity: u32, arenaPtr: usize, arenaBytes: u32): void {
  table = tablePtr;
  tableMask = capacity - 1;
  arena = arenaPtr;
  arenaSize = arenaBytes;
  dictReset();
}

/** Forgets every cached string (a new file, with new dictionary ids, starts). */
export function dictReset(): void {
  memory.fill(table, 0, (<usize>tableMask + 1) << 4);
  arenaUsed = 0;
  entries = 0;
}

function hashBytes(col: i32, a: i32, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ <u32>col;
  for (let k = 0; k < len; k++) h = (h ^ <u32>at(a + k)) * 0x01000193;
  return h ^ (h >>> 15);
}

function sameBytes(p: usize, a: i32, len: i32): bool {
  for (let k = 0; k < len; k++) if (load<u8>(p + <usize>k) != at(a + k)) return false;
  return true;
}

/** The cached id of the string at line[a, a + len) in column `col`, or 0. */
function dictLookup(col: i32, a: i32, len: i32): i32 {
  if (tableMask == 0) return 0;
  const h = hashBytes(col, a, len);
  const key = <u32>col | (<u32>len << 16);
  let idx = h & tableMask;
  while (true) {
    const e = table + (<usize>idx << 4);
    const id = load<i32>(e, 12);
    if (id == 0) return 0;
    if (load<u32>(e) == h && load<u32>(e, 4) == key && sameBytes(arena + <usize>load<u32>(e, 8), a, len)) return id;
    idx = (idx + 1) & tableMask;
  }
  return 0;
}

/** Caches `id` for the string at line[a, a + len) of the last line scanned; ignored once full. */
export function dictRemember(col: i32, a: i32, len: i32, id: i32): void {
  if (tableMask == 0 || id == 0 || len > MAX_CACHED_LEN) return;
  if ((entries + 1) * 2 > tableMask + 1 || arenaUsed + <u32>len > arenaSize) return;
  const h = hashBytes(col, a, len);
  const key = <u32>col | (<u32>len << 16);
  let idx = h & tableMask;
  while (true) {
    const e = table + (<usize>idx << 4);
    if (load<i32>(e, 12) == 0) {
      store<u32>(e, h);
      store<u32>(e, key, 4);
      store<u32>(e, arenaUsed, 8);
      store<i32>(e, id, 12);
      memory.copy(arena + <usize>arenaUsed, line + <usize>a, <usize>len);
      arenaUsed += <u32>len;
      entries++;
      return;
    }
    if (load<u32>(e) == h && load<u32>(e, 4) == key && sameBytes(arena + <usize>load<u32>(e, 8), a, len)) return;
    idx = (idx + 1) & tableMask;
  }
}

/** First free byte after this module's static data: the JS side lays out SPEC, OUT and LINE from here. */
export function heapBase(): usize {
  return __heap_base;
}
