// Column builders for one day file's index: every indexed field of the spec becomes a column
// (numbers and times as Float64 with NaN for "absent", booleans as 0/1/2, keywords as codes into a
// dictionary sorted case-insensitively, multi-valued `errors[]` fields as offsets + codes).
import { INDEXED_FIELDS, readIndexedValues, type IndexedField } from '../../../shared/record-schema';
import { timestampMicros } from '../../../shared/query';
import { latin1Slice, latin1Write } from '../buffer-slices';

export const BOOL_ABSENT = 0;
export const BOOL_FALSE = 1;
export const BOOL_TRUE = 2;

/** Case-insensitive dictionary order: by lower-cased value, then by the value itself. */
export function compareKeywords(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

class GrowableF64 {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowableU8 {
  data = new Uint8Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/** Builds a keyword column's dictionary: temporary ids while rows come in, sorted codes at the end. */
interface DictBuilder {
  /** Temporary id (1-based) of a value. */
  idOf(v: string): number;
  /** Sorted dictionary (each value once) and the remap from temporary id to final code (1-based; 0 = absent). */
  finish(): { sorted: string[]; remap: Uint32Array };
}

/** Case-insensitive dictionary order of `values` (see compareKeywords), as indices. */
function sortedOrder(values: string[]): Uint32Array {
  // Lower-case once per value, not once per comparison; a typed index array sorts ~15% faster.
  const lower = values.map((v) => v.toLowerCase());
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => {
    const la = lower[a]!;
    const lb = lower[b]!;
    if (la !== lb) return la < lb ? -1 : 1;
    const va = values[a]!;
    const vb = values[b]!;
    return va === vb ? 0 : va < vb ? -1 : 1;
  });
}

/** Above this many values the keyed sort falls back to a comparator: it packs an index in 21 bits. */
const KEYED_SORT_MAX = 2 ** 21;
/** Bytes after the shared prefix that can make up a value's sort key. */
const KEY_WINDOW = 8;
/** ASCII lower case of a byte (the only bytes the arena's fast path holds are ASCII). */
const LOWER = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b));

/**
 * compareKeywords' order for ASCII values held as bytes: value i is `bytes[at[i], at[i + 1])`. For
 * ASCII, lower-casing is per byte and bytes order as UTF-16 code units do. Each value gets a 32-bit
 * key from its first lower-cased bytes after the prefix all values share, each byte as its rank
 * among the bytes seen there (so keys order as the bytes do, and ids of 16 or 36 symbols fit 8 or
 * 5 bytes). Key and index are packed into one float64 (exact below 2^53) and sorted natively;
 * values sharing a key are then ordered by the comparator, unless they are all equal.
 */
function asciiSortedOrder(bytes: Uint8Array, at: Uint32Array, n: number): Uint32Array {
  const compare = (x: number, y: number): number => {
    const xs = at[x]!;
    const ys = at[y]!;
    const xl = at[x + 1]! - xs;
    const yl = at[y + 1]! - ys;
    const m = Math.min(xl, yl);
    let raw = 0;
    for (let p = 0; p < m; p++) {
      const a = bytes[xs + p]!;
      const b = bytes[ys + p]!;
      if (a === b) continue;
      const d = LOWER[a]! - LOWER[b]!;
      if (d !== 0) return d;
      raw ||= a - b;
    }
    return xl !== yl ? xl - yl : raw;
  };
  const order = new Uint32Array(n);
  if (n > KEYED_SORT_MAX) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort(compare);
  }
  const first = n > 0 ? at[0]! : 0;
  let prefix = n > 0 ? at[1]! - first : 0;
  for (let i = 1; i < n && prefix > 0; i++) {
    const s = at[i]!;
    const max = Math.min(prefix, at[i + 1]! - s);
    let p = 0;
    while (p < max && LOWER[bytes[s + p]!] === LOWER[bytes[first + p]!]) p++;
    prefix = p;
  }
  const seen = new Uint8Array(256);
  for (let i = 0; i < n; i++) {
    const end = Math.min(at[i + 1]!, at[i]! + prefix + KEY_WINDOW);
    for (let q = at[i]! + prefix; q < end; q++) seen[LOWER[bytes[q]!]!] = 1;
  }
  // Rank 0 is "the value ended": a shorter value sorts before its extensions.
  const rank = new Uint16Array(256);
  let symbols = 0;
  for (let c = 0; c < 256; c++) if (seen[c]) rank[c] = ++symbols;
  const bits = Math.max(1, Math.ceil(Math.log2(symbols + 1)));
  const radix = 2 ** bits;
  const width = Math.min(KEY_WINDOW, Math.floor(32 / bits));
  const keys = new Uint32Array(n);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = at[i]! + prefix;
    const end = at[i + 1]!;
    let key = 0;
    for (let q = s; q < s + width; q++) key = key * radix + (q < end ? rank[LOWER[bytes[q]!]!]! : 0);
    keys[i] = key;
    packed[i] = key * KEYED_SORT_MAX + i;
  }
  packed.sort();
  // The index is the low 21 bits; a float modulo is a libm call, this is exact and cheap.
  for (let r = 0; r < n; r++) {
    const v = packed[r]!;
    order[r] = v - Math.floor(v / KEYED_SORT_MAX) * KEYED_SORT_MAX;
  }
  for (let r = 0; r < n; ) {
    const key = keys[order[r]!]!;
    let end = r + 1;
    let allEqual = true;
    for (; end < n && keys[order[end]!] === key; end++) allEqual &&= compare(order[r]!, order[end]!) === 0;
    if (!allEqual) order.subarray(r, end).sort(compare);
    r = end;
  }
  return order;
}

/** For columns with few distinct values: a Map gives each value one temporary id, first-seen order. */
class KeywordDictBuilder implements DictBuilder {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  idOf(v: string): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      this.values.push(v);
      id = this.values.length;
      this.ids.set(v, id);
    }
    return id;
  }
  finish(): { sorted: string[]; remap: Uint32Array } {
    const order = sortedOrder(this.values);
    const remap = new Uint32Array(this.values.length + 1);
    order.forEach((tmp, rank) => (remap[tmp + 1] = rank + 1));
    return { sorted: Array.from(order, (i) => this.values[i]!), remap };
  }
}

/**
 * For ids, new in almost every record: no Map to grow and probe per record, and no string per
 * value. The bytes of each row's value are appended to one arena and the one sort at the end
 * (asciiSortedOrder) puts equal values side by side and merges them. Strings made per record and
 * sorted by a comparator cost 3-4x as much: they are scattered over the heap and outlive a minor
 * collection. A value that is not ASCII switches the builder to strings for good (rare for ids,
 * and kept exact: UTF-16 order and full Unicode lower case).
 */
class PerRecordDictBuilder implements DictBuilder {
  private arena = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private readonly at = new GrowableU32();
  /** Set once a value is not ASCII: every value as a string from then on. */
  private strings: string[] | undefined;

  constructor() {
    this.at.push(0);
  }

  idOf(v: string): number {
    if (this.strings) return this.strings.push(v);
    if (!ASCII.test(v)) return this.toStrings().push(v);
    this.reserve(v.length);
    this.used += latin1Write(this.arena, v, this.used);
    this.at.push(this.used);
    return this.at.length - 1;
  }

  /** The id of the value whose UTF-8 bytes are `buf[start, end)` (valid UTF-8 or not, as a string would decode). */
  idOfBytes(buf: Buffer, start: number, end: number): number {
    if (this.strings) return this.strings.push(buf.toString('utf8', start, end));
    this.reserve(end - start);
    // Copied and checked in one loop: a call to Buffer#copy costs more than an id's few bytes.
    const arena = this.arena;
    let w = this.used;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) return this.toStrings().push(buf.toString('utf8', start, end));
      arena[w++] = b;
    }
    this.used = w;
    this.at.push(w);
    return this.at.length - 1;
  }

  finish(): { sorted: string[]; remap: Uint32Array } {
    if (this.strings) return finishStrings(this.strings);
    const at = this.at.data;
    const n = this.at.length - 1;
    const order = asciiSortedOrder(this.arena, at, n);
    const remap = new Uint32Array(n + 1);
    const sorted: string[] = [];
    let last = -1;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      if (last < 0 || !this.sameValue(last, i)) {
        sorted.push(latin1Slice(this.arena, at[i]!, at[i + 1]!));
        last = i;
      }
      remap[i + 1] = sorted.length;
    }
    return { sorted, remap };
  }

  private sameValue(x: number, y: number): boolean {
    const at = this.at.data;
    const arena = this.arena;
    const xs = at[x]!;
    const ys = at[y]!;
    const len = at[x + 1]! - xs;
    if (len !== at[y + 1]! - ys) return false;
    for (let k = len - 1; k >= 0; k--) if (arena[xs + k] !== arena[ys + k]) return false;
    return true;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.arena.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + bytes));
    this.arena.copy(next, 0, 0, this.used);
    this.arena = next;
  }

  private toStrings(): string[] {
    const at = this.at.data;
    this.strings = Array.from({ length: this.at.length - 1 }, (_, i) => latin1Slice(this.arena, at[i]!, at[i + 1]!));
    return this.strings;
  }
}

const ASCII = /^[\x00-\x7f]*$/;

/** The sorted distinct values of string ids (1-based, in first-seen order) and each id's code. */
function finishStrings(values: string[]): { sorted: string[]; remap: Uint32Array } {
  const order = sortedOrder(values);
  const remap = new Uint32Array(values.length + 1);
  const sorted: string[] = [];
  for (const tmp of order) {
    const v = values[tmp]!;
    if (sorted.length === 0 || sorted[sorted.length - 1] !== v) sorted.push(v);
    remap[tmp + 1] = sorted.length;
  }
  return { sorted, remap };
}

export type FinishedColumn =
  | { field: IndexedField; type: 'number' | 'timestamp'; values: Float64Array }
  | { field: IndexedField; type: 'boolean'; values: Uint8Array }
  | { field: IndexedField; type: 'keyword'; codes: Uint32Array; dict: string[] }
  | { field: IndexedField; type: 'multi'; offsets: Uint32Array; codes: Uint32Array; dict: string[] };

interface ColumnSlot {
  field: IndexedField;
  /** The row currently being filled already got its value (single-valued fields take the first). */
  filled: boolean;
  num?: GrowableF64;
  bool?: GrowableU8;
  code?: GrowableU32;
  offsets?: GrowableU32;
  dict?: DictBuilder;
  /** Codes of the current row of a multi-valued column (deduplicated). */
  rowCodes?: number[];
}

/**
 * Builds the columns of one file row by row: `beginRow`, then values (from the raw-line scanner or
 * a parsed record), then `endRow`. A value of the wrong type counts as absent, as in queries.
 */
export class ColumnsBuilder {
  readonly slots: ColumnSlot[];
  rows = 0;

  constructor() {
    this.slots = INDEXED_FIELDS.map((field) => {
      const slot: ColumnSlot = { field, filled: false };
      if (field.multi) {
        slot.offsets = new GrowableU32();
        slot.offsets.push(0);
        slot.code = new GrowableU32();
        slot.dict = new KeywordDictBuilder();
        slot.rowCodes = [];
      } else if (field.type === 'keyword') {
        slot.code = new GrowableU32();
        slot.dict = field.perRecord ? new PerRecordDictBuilder() : new KeywordDictBuilder();
      } else if (field.type === 'boolean') slot.bool = new GrowableU8();
      else slot.num = new GrowableF64();
      return slot;
    });
  }

  beginRow(): void {
    for (const s of this.slots) s.filled = false;
  }

  /** Offers a value for column `col`; ignored when the type does not fit or the row has one. */
  value(col: number, v: unknown): void {
    const s = this.slots[col]!;
    const f = s.field;
    if (f.multi || f.type === 'keyword') {
      if (typeof v === 'string') this.code(col, s.dict!.idOf(v));
      return;
    }
    if (s.filled) return;
    switch (f.type) {
      case 'boolean':
        if (typeof v !== 'boolean') return;
        s.bool!.push(v ? BOOL_TRUE : BOOL_FALSE);
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) return;
        s.num!.push(v);
        break;
      case 'timestamp': {
        const t = timestampMicros(v);
        if (Number.isNaN(t)) return;
        s.num!.push(t);
        break;
      }
    }
    s.filled = true;
  }

  /** The dictionary id of `value` in keyword column `col`, assigned when new (see `code`). */
  idOf(col: number, value: string): number {
    return this.slots[col]!.dict!.idOf(value);
  }

  /**
   * Offers the string whose UTF-8 bytes are `buf[start, end)` (no escapes) to an id column
   * (`perRecord`), as `value` would the decoded string, without decoding it.
   */
  bytes(col: number, buf: Buffer, start: number, end: number): void {
    const dict = this.slots[col]!.dict;
    if (dict instanceof PerRecordDictBuilder) this.code(col, dict.idOfBytes(buf, start, end));
    else this.value(col, buf.toString('utf8', start, end));
  }

  /** Offers the keyword whose id `idOf` gave to column `col`, as `value` would the string. */
  code(col: number, id: number): void {
    const s = this.slots[col]!;
    if (s.field.multi) {
      if (!s.rowCodes!.includes(id)) s.rowCodes!.push(id);
      return;
    }
    if (s.filled) return;
    s.code!.push(id);
    s.filled = true;
  }

  endRow(): void {
    for (const s of this.slots) {
      if (s.field.multi) {
        for (const c of s.rowCodes!) s.code!.push(c);
        s.offsets!.push(s.code!.length);
        s.rowCodes!.length = 0;
        continue;
      }
      if (s.filled) continue;
      if (s.code) s.code.push(0);
      else if (s.bool) s.bool.push(BOOL_ABSENT);
      else s.num!.push(NaN);
    }
    this.rows++;
  }

  /** All indexed values of a parsed record (the slow path, or a line that is not canonical). */
  fromRecord(record: unknown): void {
    for (let i = 0; i < this.slots.length; i++) {
      for (const v of readIndexedValues(record, this.slots[i]!.field.path)) this.value(i, v);
    }
  }

  finish(): FinishedColumn[] {
    return this.slots.map((s): FinishedColumn => {
      const field = s.field;
      if (s.dict) {
        const { sorted, remap } = s.dict.finish();
        const codes = s.code!.finish();
        for (let i = 0; i < codes.length; i++) codes[i] = remap[codes[i]!]!;
        if (field.multi) return { field, type: 'multi', offsets: s.offsets!.finish(), codes, dict: sorted };
        return { field, type: 'keyword', codes, dict: sorted };
      }
      if (s.bool) return { field, type: 'boolean', values: s.bool.finish() };
      return { field, type: field.type === 'timestamp' ? 'timestamp' : 'number', values: s.num!.finish() };
    });
  }
}

export { GrowableF64, GrowableU32, GrowableU8, PerRecordDictBuilder };
