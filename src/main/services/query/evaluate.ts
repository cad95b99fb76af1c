// Evaluates the narrow AST over the index columns into row bitsets. Predicates the columns cannot
// answer (free text, non-indexed paths) are "scan leaves": evaluated once with them all-false and
// once all-true (NOT swaps the two) to bound the answer; only rows between the bounds are scanned
// in the workers, and the exact answer is then evaluated with the scan results.
import { globMatch, type FieldRef, type QueryNode } from '../../../shared/query';
import { matchValue } from '../../../shared/query-match';
import { ArchiveIndex, type SegmentEntry } from '../index/archive-index';
import { BOOL_FALSE, BOOL_TRUE } from '../index/columns';
import type { Dict, LoadedColumn } from '../index/segment';
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import { Bitset } from './bitset';

export type ScanLeaf = Extract<QueryNode, { type: 'text' }> | (QueryNode & { field: FieldRef & { kind: 'path' } });

export function isScanLeaf(node: QueryNode): node is ScanLeaf {
  return node.type === 'text' || ('field' in node && node.field.kind === 'path');
}

export function collectScanLeaves(node: QueryNode, out: ScanLeaf[] = []): ScanLeaf[] {
  if (isScanLeaf(node)) out.push(node);
  else if (node.type === 'and' || node.type === 'or') node.children.forEach((c) => collectScanLeaves(c, out));
  else if (node.type === 'not') collectScanLeaves(node.child, out);
  return out;
}

const COLUMN_OF = new Map(INDEXED_FIELDS.map((f, i) => [f.path, i]));

export function validRows(index: ArchiveIndex): Bitset {
  const b = Bitset.empty(index.rowSpace);
  for (const s of index.segments) fillRange(b, s.base, s.base + s.rows);
  return b;
}

function fillRange(b: Bitset, from: number, to: number): void {
  for (let r = from; r < to; ) {
    if ((r & 31) === 0 && r + 32 <= to) {
      b.words[r >>> 5] = 0xffffffff;
      r += 32;
    } else {
      b.set(r);
      r++;
    }
  }
}

type Mode = 'lower' | 'upper' | 'exact';

export class Evaluator {
  private readonly leafCache = new Map<QueryNode, Bitset>();
  constructor(
    private readonly index: ArchiveIndex,
    private readonly valid: Bitset,
    private readonly scanResults?: Map<ScanLeaf, Bitset>,
  ) {}

  evaluate(node: QueryNode, mode: Mode): Bitset {
    switch (node.type) {
      case 'all':
        return this.valid;
      case 'and':
        return node.children.map((c) => this.evaluate(c, mode)).reduce((a, b) => a.and(b));
      case 'or':
        return node.children.map((c) => this.evaluate(c, mode)).reduce((a, b) => a.or(b));
      case 'not': {
        const flipped: Mode = mode === 'lower' ? 'upper' : mode === 'upper' ? 'lower' : 'exact';
        return this.valid.andNot(this.evaluate(node.child, flipped));
      }
      default:
        if (isScanLeaf(node)) {
          if (mode === 'lower') return Bitset.empty(this.index.rowSpace);
          if (mode === 'upper') return this.valid;
          return this.scanResults?.get(node) ?? Bitset.empty(this.index.rowSpace);
        }
        return this.leaf(node);
    }
  }

  private leaf(node: QueryNode): Bitset {
    let b = this.leafCache.get(node);
    if (!b) {
      b = Bitset.empty(this.index.rowSpace);
      for (const seg of this.index.segments) matchSegment(seg, node, b);
      this.leafCache.set(node, b);
    }
    return b;
  }
}

/** Codes of a dictionary a keyword predicate accepts: a contiguous range, or a table. */
type CodeSet = { lo: number; hi: number } | { table: Uint8Array };

function codeSet(dict: Dict, node: QueryNode): CodeSet {
  const size = dict.size;
  const bound = (pred: (s: string) => boolean) => dict.lowerBound(pred);
  switch (node.type) {
    case 'eq': {
      const v = String(node.value).toLowerCase();
      return { lo: bound((s) => s >= v), hi: bound((s) => s > v) };
    }
    case 'wildcard': {
      const p = node.pattern.toLowerCase();
      const prefix = /^[^*?]*\*+$/.test(p) ? p.replace(/\*+$/, '') : undefined;
      if (prefix !== undefined) {
        return { lo: bound((s) => s >= prefix), hi: bound((s) => s > prefix && !s.startsWith(prefix)) };
      }
      const table = new Uint8Array(size + 1);
      for (let c = 1; c <= size; c++) if (globMatch(p, dict.lower(c))) table[c] = 1;
      return { table };
    }
    case 'compare': {
      if (typeof node.value !== 'string') return { lo: 1, hi: 1 };
      const v = node.value.toLowerCase();
      switch (node.op) {
        case 'gt':
          return { lo: bound((s) => s > v), hi: size + 1 };
        case 'gte':
          return { lo: bound((s) => s >= v), hi: size + 1 };
        case 'lt':
          return { lo: 1, hi: bound((s) => s >= v) };
        case 'lte':
          return { lo: 1, hi: bound((s) => s > v) };
      }
      break;
    }
    case 'exists':
      return { lo: 1, hi: size + 1 };
  }
  return { lo: 1, hi: 1 };
}

function numberTest(node: QueryNode): ((v: number) => boolean) | undefined {
  switch (node.type) {
    case 'eq': {
      const x = typeof node.value === 'number' ? node.value : Number(node.value);
      return (v) => v === x;
    }
    case 'compare': {
      if (typeof node.value !== 'number') return undefined;
      const x = node.value;
      return node.op === 'gt' ? (v) => v > x : node.op === 'gte' ? (v) => v >= x : node.op === 'lt' ? (v) => v < x : (v) => v <= x;
    }
    case 'range': {
      const { min, max, minInclusive, maxInclusive } = node;
      return (v) => (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
    }
    case 'exists':
      return (v) => !Number.isNaN(v);
    default:
      return undefined;
  }
}

function matchSegment(seg: SegmentEntry, node: QueryNode, out: Bitset): void {
  if (!('field' in node)) return;
  const field = node.field;
  const base = seg.base;
  const n = seg.rows;
  const words = out.words;
  const set = (i: number) => {
    const r = base + i;
    words[r >>> 5] = words[r >>> 5]! | (1 << (r & 31));
  };

  if (field.kind === 'pseudo') {
    if (field.path === 'file') {
      if (matchValue(node, seg.file.name)) fillRange(out, base, base + n);
      return;
    }
    if (field.path === 'line') {
      const test = numberTest(node);
      if (!test) return;
      const lines = seg.segment.rows.line;
      for (let i = 0; i < n; i++) if (test(lines[i]!)) set(i);
      return;
    }
    // verified
    if (node.type === 'exists') {
      fillRange(out, base, base + n);
      return;
    }
    if (node.type !== 'eq') return;
    const want = node.value === true || String(node.value).toLowerCase() === 'true';
    for (let i = 0; i < n; i++) if (ArchiveIndex.verified(seg, i) === want) set(i);
    return;
  }
  if (field.kind !== 'indexed') return;
  const col: LoadedColumn = seg.segment.columns[COLUMN_OF.get(field.path)!]!;
  switch (col.type) {
    case 'number':
    case 'timestamp':
      numberScan(col.values, n, base, words, node);
      return;
    case 'boolean': {
      const values = col.values;
      if (node.type === 'exists') {
        for (let i = 0; i < n; i++) if (values[i] !== 0) set(i);
        return;
      }
      if (node.type !== 'eq') return;
      const want = node.value === true || String(node.value).toLowerCase() === 'true' ? BOOL_TRUE : BOOL_FALSE;
      for (let i = 0; i < n; i++) {
        if (values[i] === want) {
          const r = base + i;
          words[r >>> 5] = words[r >>> 5]! | (1 << (r & 31));
        }
      }
      return;
    }
    case 'keyword': {
      const cs = codeSet(col.dict, node);
      const codes = col.codes;
      const maps = codeBitmaps(col, n);
      if (maps) {
        orCodeBitmaps(maps, cs, words, base);
        return;
      }
      if ('table' in cs) {
        const t = cs.table;
        for (let i = 0; i < n; i++) if (t[codes[i]!] === 1) set(i);
      } else {
        const { lo, hi } = cs;
        if (lo >= hi) return;
        // Hot loop: inline bit setting, one unsigned compare per row.
        const span = hi - lo;
        for (let i = 0; i < n; i++) {
          if (((codes[i]! - lo) >>> 0) < span) {
            const r = base + i;
            words[r >>> 5] = words[r >>> 5]! | (1 << (r & 31));
          }
        }
      }
      return;
    }
    case 'multi': {
      const cs = codeSet(col.dict, node);
      const maps = codeBitmaps(col, n);
      if (maps) {
        orCodeBitmaps(maps, cs, words, base);
        return;
      }
      const { codes, offsets } = col;
      const table = 'table' in cs ? cs.table : undefined;
      const lo = 'table' in cs ? 0 : cs.lo;
      const span = 'table' in cs ? 0 : cs.hi - cs.lo;
      for (let i = 0; i < n; i++) {
        for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
          const c = codes[k]!;
          if (table ? table[c] === 1 : ((c - lo) >>> 0) < span) {
            set(i);
            break;
          }
        }
      }
      return;
    }
  }
}

/**
 * Keyword columns with at most this many distinct values get a bitmap per value (one bit per row
 * of the segment): at most 16 bits per row, against the 8 of the codes themselves.
 */
const BITMAP_MAX_CODES = 16;

/**
 * Per-value row bitmaps of a few-valued keyword (or `errors[]`) column of one segment, built on
 * first use in one pass over its codes and kept with the column object (dropped when the column
 * cache lets the column go). A predicate then ORs the bitmaps of its values, 32 rows per
 * operation, instead of comparing every row's code: status, provider, platform, environment and
 * the like are what most queries filter on. Undefined for columns with more values.
 */
const bitmapsOf = new WeakMap<LoadedColumn, Uint32Array[]>();

function codeBitmaps(col: Extract<LoadedColumn, { type: 'keyword' | 'multi' }>, n: number): Uint32Array[] | undefined {
  const size = col.dict.size;
  if (size > BITMAP_MAX_CODES) return undefined;
  let maps = bitmapsOf.get(col);
  if (maps) return maps;
  const words = (n + 31) >>> 5;
  // maps[code]: code 0 ("no value") needs none, predicates never select it.
  maps = Array.from({ length: size + 1 }, (_, c) => (c === 0 ? new Uint32Array(0) : new Uint32Array(words)));
  const codes = col.codes;
  if (col.type === 'keyword') {
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      if (c !== 0) maps[c]![i >>> 5] = maps[c]![i >>> 5]! | (1 << (i & 31));
    }
  } else {
    const offsets = col.offsets;
    for (let i = 0; i < n; i++) {
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
        const c = codes[k]!;
        maps[c]![i >>> 5] = maps[c]![i >>> 5]! | (1 << (i & 31));
      }
    }
  }
  bitmapsOf.set(col, maps);
  return maps;
}

/** ORs the bitmaps of the codes in `cs` into the global bitset `words` at row `base`. */
function orCodeBitmaps(maps: Uint32Array[], cs: CodeSet, words: Uint32Array, base: number): void {
  const shift = base & 31;
  const at = base >>> 5;
  const last = words.length - 1;
  for (let c = 1; c < maps.length; c++) {
    if ('table' in cs ? cs.table[c] !== 1 : c < cs.lo || c >= cs.hi) continue;
    const m = maps[c]!;
    if (shift === 0) {
      for (let j = 0; j < m.length; j++) words[at + j] = words[at + j]! | m[j]!;
      continue;
    }
    // Segment row i is global row base + i: each bitmap word straddles two global words.
    for (let j = 0; j < m.length; j++) {
      const v = m[j]!;
      if (v === 0) continue;
      words[at + j] = words[at + j]! | (v << shift);
      if (at + j + 1 <= last) words[at + j + 1] = words[at + j + 1]! | (v >>> (32 - shift));
    }
  }
}

/** Number and time predicates as plain loops (no per-row closure call: these run over every row). */
function numberScan(values: Float64Array, n: number, base: number, words: Uint32Array, node: QueryNode): void {
  let lo = -Infinity;
  let hi = Infinity;
  let loInc = true;
  let hiInc = true;
  switch (node.type) {
    case 'eq': {
      const x = typeof node.value === 'number' ? node.value : Number(node.value);
      lo = hi = x;
      break;
    }
    case 'compare': {
      if (typeof node.value !== 'number') return;
      if (node.op === 'gt' || node.op === 'gte') {
        lo = node.value;
        loInc = node.op === 'gte';
      } else {
        hi = node.value;
        hiInc = node.op === 'lte';
      }
      break;
    }
    case 'range':
      lo = node.min;
      hi = node.max;
      loInc = node.minInclusive;
      hiInc = node.maxInclusive;
      break;
    case 'exists':
      break;
    default:
      return;
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) return;
  // NaN (absent) fails every comparison below, so it never matches, as in the reference semantics.
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if ((loInc ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi)) {
      const r = base + i;
      words[r >>> 5] = words[r >>> 5]! | (1 << (r & 31));
    }
  }
}

/** Rows whose timestamp lies in [from, to) (micro-seconds; undefined = unbounded). */
export function timeRange(index: ArchiveIndex, valid: Bitset, from: number | undefined, to: number | undefined): Bitset {
  if (from === undefined && to === undefined) return valid;
  const out = Bitset.empty(index.rowSpace);
  const lo = from ?? -Infinity;
  const hi = to ?? Infinity;
  const tsCol = COLUMN_OF.get('timestamp')!;
  for (const seg of index.segments) {
    const col = seg.segment.columns[tsCol]!;
    if (col.type !== 'timestamp') continue;
    const v = col.values;
    for (let i = 0; i < seg.rows; i++) {
      const t = v[i]!;
      if (t >= lo && t < hi) out.set(seg.base + i);
    }
  }
  return out;
}
