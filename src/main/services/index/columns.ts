// Column builders for one day file's index: every indexed field of the spec becomes a column
// (numbers and times as Float64 with NaN for "absent", booleans as 0/1/2, keywords as codes into a
// dictionary sorted case-insensitively, multi-valued `errors[]` fields as offsets + codes).
import { INDEXED_FIELDS, readIndexedValues, type IndexedField } from '../../../shared/record-schema';
import { timestampMicros } from '../../../shared/query';

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
 * For ids, new in almost every record: every value gets its own temporary id (no Map to grow and
 * probe per record); the one sort at the end puts equal values side by side and merges them.
 */
class PerRecordDictBuilder implements DictBuilder {
  readonly values: string[] = [];
  idOf(v: string): number {
    this.values.push(v);
    return this.values.length;
  }
  finish(): { sorted: string[]; remap: Uint32Array } {
    const order = sortedOrder(this.values);
    const remap = new Uint32Array(this.values.length + 1);
    const sorted: string[] = [];
    for (const tmp of order) {
      const v = this.values[tmp]!;
      if (sorted.length === 0 || sorted[sorted.length - 1] !== v) sorted.push(v);
      remap[tmp + 1] = sorted.length;
    }
    return { sorted, remap };
  }
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

export { GrowableF64, GrowableU32, GrowableU8 };
