// Runs queries over an opened archive index: selection (columns, then a worker scan of only the
// undecided rows), exact total, sort with paging, and aggregate statistics over the whole selection.
import { setMaxListeners } from 'node:events';
import {
  formatTimestampMicros,
  parseInstant,
  resolveSortField,
  type IndexedValue,
  type QueryNode,
  type QueryRequest,
  type QueryResult,
  type QueryRow,
  type SortSpec,
} from '../../../shared/query';
import type { QueryStats } from '../../../shared/query-stats';
import type { IntegrityClass } from '../../../shared/integrity-class';
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import { ArchiveIndex, type SegmentEntry } from '../index/archive-index';
import { BOOL_ABSENT, BOOL_TRUE, compareKeywords } from '../index/columns';
import type { Dict, LoadedColumn } from '../index/segment';
import { TaskCancelledError, type WorkerPool } from '../workers/worker-pool';
import { Bitset, popcount } from './bitset';
import { collectScanLeaves, Evaluator, timeRange, validRows, type ScanLeaf } from './evaluate';
import { parseQuery, QuerySyntaxError } from './parse-query';
import type { ScanPredicate } from './scan-file';

export const DEFAULT_LIMIT = 50;
/** Plain-file scans are split into tasks of about this many bytes, so all workers take part. */
const SCAN_PART_BYTES = 16 * 1024 * 1024;
export const MAX_LIMIT = 10_000;

export class QueryCancelledError extends Error {
  constructor() {
    super('query cancelled (replaced by a newer one)');
    this.name = 'QueryCancelledError';
  }
}

export class QueryRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRequestError';
  }
}

const COLUMN_OF = new Map(INDEXED_FIELDS.map((f, i) => [f.path, i]));
const TS_COL = COLUMN_OF.get('timestamp')!;
const ID_COL = COLUMN_OF.get('activation_id')!;

/** Selections kept for reuse (each 1 bit per record: 125 KB for 1M records). */
const SELECTIONS_KEPT = 8;

export interface Selection {
  rows: Bitset;
  total: number;
  /** Uncompressed bytes the workers searched for free text / non-indexed fields. */
  scannedBytes: number;
}

function instantOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseInstant(value);
  if (!t) throw new QueryRequestError(`--${name} takes an ISO-8601 instant such as 2026-11-19 or 2026-11-19T08:00:00Z, not "${value}"`);
  return t.micros;
}

/**
 * One engine per opened index. Starting a query cancels the one before it (its workers stop and
 * its promise rejects with QueryCancelledError), so a UI typing ahead never waits on stale work.
 */
export class QueryEngine {
  private current?: AbortController;
  private readonly valid: Bitset;
  private readonly rankCache = new Map<string, Float64Array[]>();
  /**
   * The last few selections by query text and time range, most recent last. The index does not
   * change while its engine lives, so another page, another sort order or the statistics of the
   * same query reuse its rows instead of evaluating it again: for free text, instead of scanning
   * the archive again. A selection is never modified once made; a cancelled one is never kept.
   */
  private readonly selections = new Map<string, Selection>();

  constructor(
    readonly index: ArchiveIndex,
    private readonly pool: WorkerPool,
  ) {
    this.valid = validRows(index);
  }

  /** Parses a query (throws QuerySyntaxError with a position). */
  parse(query: string): QueryNode {
    return parseQuery(query);
  }

  private begin(signal?: AbortSignal): AbortController {
    this.current?.abort();
    const c = new AbortController();
    // One listener per worker task (a task per day file, or per part of one): not a leak.
    setMaxListeners(0, c.signal);
    this.current = c;
    signal?.addEventListener('abort', () => c.abort(), { once: true });
    return c;
  }

  async select(req: Pick<QueryRequest, 'query' | 'from' | 'to'>, signal?: AbortSignal): Promise<Selection> {
    const node = parseQuery(req.query);
    const from = instantOption('from', req.from);
    const to = instantOption('to', req.to);
    const key = JSON.stringify([req.query, from ?? null, to ?? null]);
    const known = this.selections.get(key);
    if (known) {
      this.selections.delete(key);
      this.selections.set(key, known);
      return { ...known, scannedBytes: 0 };
    }
    const sel = await this.evaluateSelection(node, from, to, signal);
    this.selections.set(key, sel);
    if (this.selections.size > SELECTIONS_KEPT) this.selections.delete(this.selections.keys().next().value!);
    return sel;
  }

  /** Forgets the selections kept for reuse (the next select evaluates again). */
  forgetSelections(): void {
    this.selections.clear();
  }

  private async evaluateSelection(node: QueryNode, from: number | undefined, to: number | undefined, signal?: AbortSignal): Promise<Selection> {
    const base = timeRange(this.index, this.valid, from, to);
    const leaves = collectScanLeaves(node);
    let scannedBytes = 0;
    let scanResults: Map<ScanLeaf, Bitset> | undefined;
    if (leaves.length > 0) {
      const bounds = new Evaluator(this.index, this.valid);
      const lower = bounds.evaluate(node, 'lower').and(base);
      const upper = bounds.evaluate(node, 'upper').and(base);
      const undecided = upper.andNot(lower);
      const scanned = await this.scan(undecided, leaves, signal);
      scanResults = scanned.results;
      scannedBytes = scanned.bytes;
    }
    if (signal?.aborted) throw new QueryCancelledError();
    const rows = new Evaluator(this.index, this.valid, scanResults).evaluate(node, 'exact').and(base);
    return { rows, total: rows.count(), scannedBytes };
  }

  private async scan(candidates: Bitset, leaves: ScanLeaf[], signal?: AbortSignal): Promise<{ results: Map<ScanLeaf, Bitset>; bytes: number }> {
    const results = new Map<ScanLeaf, Bitset>(leaves.map((l) => [l, Bitset.empty(this.index.rowSpace)]));
    const predicates: ScanPredicate[] = leaves.map((l) => (l.type === 'text' ? { type: 'text', text: l.text } : { type: 'field', node: l }));
    let bytes = 0;
    // Parts are listed as row ranges of a segment and turned into task arrays only when a worker is
    // free to take one: building them all up front held every candidate's offsets twice over.
    type Part = { seg: SegmentEntry; from: number; to: number };
    const runPart = async ({ seg, from, to }: Part) => {
      const rows = seg.segment.rows;
      const local: number[] = [];
      candidates.forEachIn(seg.base + from, seg.base + to, (r) => local.push(r - seg.base));
      if (local.length === 0) return;
      const offsets = new Float64Array(local.length);
      const lengths = new Uint32Array(local.length);
      const lines = new Uint32Array(local.length);
      const verified = new Uint8Array(local.length);
      local.forEach((i, k) => {
        offsets[k] = rows.offset[i]!;
        lengths[k] = rows.length[i]!;
        lines[k] = rows.line[i]!;
        verified[k] = ArchiveIndex.verified(seg, i) ? 1 : 0;
      });
      const r = await this.pool.run(
        { kind: 'scanFile', path: seg.file.path, file: seg.file.name, gzip: seg.file.gzip, offsets, lengths, lines, verified, predicates },
        { signal },
      );
      bytes += r.bytes;
      const masks = r.masks;
      leaves.forEach((leaf, bit) => {
        const b = results.get(leaf)!;
        const m = 1 << bit;
        local.forEach((i, k) => {
          if ((masks[k]! & m) !== 0) b.set(seg.base + i);
        });
      });
    };
    const parts: Part[] = [];
    for (const seg of this.index.segments) {
      const rowLength = seg.segment.rows.length;
      if (seg.file.gzip) {
        // A gzip stream is read from its start: one task per file.
        if (candidates.countRange(seg.base, seg.base + seg.rows) > 0) parts.push({ seg, from: 0, to: seg.rows });
        continue;
      }
      // Plain files are cut into parts so every worker searches, even for a single day file.
      let from = -1;
      let partBytes = 0;
      candidates.forEachIn(seg.base, seg.base + seg.rows, (r) => {
        const i = r - seg.base;
        if (from < 0) from = i;
        partBytes += rowLength[i]!;
        if (partBytes >= SCAN_PART_BYTES) {
          parts.push({ seg, from, to: i + 1 });
          from = -1;
          partBytes = 0;
        }
      });
      if (from >= 0) parts.push({ seg, from, to: seg.rows });
    }
    let next = 0;
    let failed = false;
    const lane = async (): Promise<void> => {
      try {
        while (next < parts.length && !failed && !signal?.aborted) await runPart(parts[next++]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.pool.size, parts.length) }, lane));
    } catch (e) {
      if (e instanceof TaskCancelledError) throw new QueryCancelledError();
      throw e;
    }
    if (signal?.aborted) throw new QueryCancelledError();
    return { results, bytes };
  }

  /** A page of results with the exact total. Cancels the engine's previous query. */
  async query(req: QueryRequest, signal?: AbortSignal): Promise<QueryResult> {
    const started = performance.now();
    const controller = this.begin(signal);
    const sort = this.sortSpec(req.sort);
    const offset = req.offset ?? 0;
    const limit = req.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(offset) || offset < 0) throw new QueryRequestError('offset must be a whole number >= 0');
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new QueryRequestError(`limit must be a whole number from 0 to ${MAX_LIMIT}`);
    const sel = await this.select(req, controller.signal);
    if (controller.signal.aborted) throw new QueryCancelledError();
    const page = this.page(sel.rows, sel.total, sort, offset, limit);
    // Rows per segment: a block of many rows in one day file reads whole columns (rowColumns).
    const perSegment = new Map<SegmentEntry, number>();
    for (const r of page) {
      const seg = this.index.segmentOf(r)!;
      perSegment.set(seg, (perSegment.get(seg) ?? 0) + 1);
    }
    return { total: sel.total, rows: page.map((r) => this.row(r, perSegment)), millis: performance.now() - started };
  }

  /** Counts, percentiles and sums over every selected record. */
  async stats(req: Pick<QueryRequest, 'query' | 'from' | 'to'>, signal?: AbortSignal): Promise<QueryStats> {
    const started = performance.now();
    const controller = this.begin(signal);
    const sel = await this.select(req, controller.signal);
    if (controller.signal.aborted) throw new QueryCancelledError();
    return computeStats(this.index, sel, performance.now() - started);
  }

  sortSpec(sort: SortSpec | undefined): SortSpec {
    if (!sort) return { field: 'timestamp', direction: 'asc' };
    const field = resolveSortField(sort.field);
    if (!field) throw new QueryRequestError(`cannot sort by "${sort.field}": sort by an indexed field (e.g. timestamp, total_ms, cost, status) or file/line`);
    return { field, direction: sort.direction };
  }

  /** Per segment, a key accessor for a sort field: NaN when the record has no value. */
  private keyOf(field: string, direction: 'asc' | 'desc'): (seg: SegmentEntry, segIndex: number) => (i: number) => number {
    if (field === 'line') return (seg) => {
      const lines = seg.segment.rows.line;
      return (i) => lines[i]!;
    };
    if (field === 'file') return (_seg, s) => () => s;
    const colIndex = COLUMN_OF.get(field)!;
    const colType = INDEXED_FIELDS[colIndex]!;
    if (colType.type === 'number' || colType.type === 'timestamp') {
      return (seg) => {
        const values = (seg.segment.columns[colIndex] as { values: Float64Array }).values;
        return (i) => values[i]!;
      };
    }
    if (colType.type === 'boolean') {
      return (seg) => {
        const values = (seg.segment.columns[colIndex] as { values: Uint8Array }).values;
        return (i) => (values[i] === BOOL_ABSENT ? NaN : values[i]!);
      };
    }
    const ranks = this.keywordRanks(field);
    if (colType.multi) {
      // Several values: ascending sorts by the smallest, descending by the largest (as Elasticsearch).
      return (seg, s) => {
        const col = seg.segment.columns[colIndex] as Extract<LoadedColumn, { type: 'multi' }>;
        const rank = ranks[s]!;
        return (i) => {
          let best = NaN;
          for (let k = col.offsets[i]!; k < col.offsets[i + 1]!; k++) {
            const r = rank[col.codes[k]!]!;
            if (Number.isNaN(best) || (direction === 'asc' ? r < best : r > best)) best = r;
          }
          return best;
        };
      };
    }
    return (seg, s) => {
      const codes = (seg.segment.columns[colIndex] as { codes: ArrayLike<number> }).codes;
      const rank = ranks[s]!;
      return (i) => rank[codes[i]!]!;
    };
  }

  /** Global case-insensitive rank of every code of every segment's dictionary (NaN for code 0). */
  private keywordRanks(field: string): Float64Array[] {
    const cached = this.rankCache.get(field);
    if (cached) return cached;
    const colIndex = COLUMN_OF.get(field)!;
    const dicts = this.index.segments.map((s) => (s.segment.columns[colIndex] as { dict: Dict }).dict);
    let merged: string[] = [];
    for (const d of dicts) {
      const values: string[] = [];
      for (let c = 1; c <= d.size; c++) values.push(d.value(c));
      merged = mergeSorted(merged, values);
    }
    const rankOf = new Map<string, number>();
    merged.forEach((v, i) => rankOf.set(v, i));
    const ranks = dicts.map((d) => {
      const r = new Float64Array(d.size + 1);
      r[0] = NaN;
      for (let c = 1; c <= d.size; c++) r[c] = rankOf.get(d.value(c))!;
      return r;
    });
    this.rankCache.set(field, ranks);
    return ranks;
  }

  /** Global rows of the page, in order. Ties: timestamp, then position, both in the sort's direction. */
  private page(rows: Bitset, total: number, sort: SortSpec, offset: number, limit: number): number[] {
    if (limit === 0 || offset >= total) return [];
    const desc = sort.direction === 'desc';
    const key = this.keyOf(sort.field, sort.direction);
    const k = Math.min(total, offset + limit);
    // Keys are normalized to sort ascending (negated for desc); a missing value (NaN) becomes
    // +Infinity, so it comes last either way.
    const segs = this.index.segments;

    // Time order on an archive written in time order is position order: the page is then the
    // first (or last) k selected rows, without looking at the others.
    if (sort.field === 'timestamp' && this.timeOrdered()) return this.pageByPosition(rows, desc, offset, k);

    const heap = new TopK(k);
    for (let s = 0; s < segs.length; s++) {
      const seg = segs[s]!;
      const ts = (seg.segment.columns[TS_COL] as { values: Float64Array }).values;
      const keyAt = key(seg, s);
      const words = rows.words;
      const first = seg.base >>> 5;
      const last = (seg.base + seg.rows - 1) >>> 5;
      for (let w = first; w <= last; w++) {
        let bits = words[w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const r = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          const i = r - seg.base;
          const kv = keyAt(i);
          const nk = kv !== kv ? Infinity : desc ? -kv : kv;
          // Most rows lose to the heap's worst entry on the key alone: skip them cheaply.
          if (heap.full && nk > heap.worstKey) continue;
          const t = ts[i]!;
          heap.offer(nk, t !== t ? Infinity : desc ? -t : t, desc ? -r : r, r);
        }
      }
    }
    return heap.sorted().slice(offset);
  }

  private timeOrderedCache?: boolean;

  /** Every timestamp present and non-decreasing through the segments in archive order. */
  private timeOrdered(): boolean {
    if (this.timeOrderedCache === undefined) {
      let prev = -Infinity;
      let ok = true;
      for (const seg of this.index.segments) {
        const ts = (seg.segment.columns[TS_COL] as { values: Float64Array }).values;
        for (let i = 0; i < seg.rows && ok; i++) {
          const t = ts[i]!;
          if (!(t >= prev)) ok = false; // also false for NaN
          prev = t;
        }
        if (!ok) break;
      }
      this.timeOrderedCache = ok;
    }
    return this.timeOrderedCache;
  }

  /**
   * Rows offset..k-1 of the selection in position order (or reverse). Whole words before the page
   * are passed over by their bit count: a page deep into a million records costs a pass over the
   * words, not a push per row before it.
   */
  private pageByPosition(rows: Bitset, desc: boolean, offset: number, k: number): number[] {
    const out: number[] = [];
    const want = k - offset;
    const words = rows.words;
    let skip = offset;
    for (let step = 0; step < words.length && out.length < want; step++) {
      const w = desc ? words.length - 1 - step : step;
      let bits = words[w]!;
      if (bits === 0) continue;
      if (skip > 0) {
        const c = popcount(bits);
        if (c <= skip) {
          skip -= c;
          continue;
        }
        // The page starts inside this word: drop its first `skip` rows in this direction.
        for (; skip > 0; skip--) bits = desc ? bits & ~(1 << (31 - Math.clz32(bits))) : bits & (bits - 1);
      }
      while (bits !== 0 && out.length < want) {
        const bit = desc ? 31 - Math.clz32(bits) : 31 - Math.clz32(bits & -bits);
        out.push((w << 5) + bit);
        bits &= ~(1 << bit);
      }
    }
    return out;
  }

  private row(r: number, perSegment: Map<SegmentEntry, number>): QueryRow {
    const seg = this.index.segmentOf(r)!;
    const i = r - seg.base;
    const fields: Record<string, IndexedValue> = {};
    for (const [col, at] of seg.segment.rowColumns(i, perSegment.get(seg))) fields[col.field.path] = columnValue(col, at);
    return {
      activation_id: (fields[INDEXED_FIELDS[ID_COL]!.path] as string | null) ?? '',
      timestamp: (fields.timestamp as string | null) ?? '',
      file: seg.file.name,
      line: seg.segment.rows.line[i]!,
      verified: ArchiveIndex.verified(seg, i),
      integrity: ArchiveIndex.integrity(seg, i),
      fields,
    };
  }
}

export function columnValue(col: LoadedColumn, i: number): IndexedValue {
  switch (col.type) {
    case 'number':
      return Number.isNaN(col.values[i]!) ? null : col.values[i]!;
    case 'timestamp':
      return Number.isNaN(col.values[i]!) ? null : formatTimestampMicros(col.values[i]!);
    case 'boolean':
      return col.values[i] === BOOL_ABSENT ? null : col.values[i] === BOOL_TRUE;
    case 'keyword':
      return col.codes[i] === 0 ? null : col.dict.value(col.codes[i]!);
    case 'multi': {
      const out: string[] = [];
      for (let k = col.offsets[i]!; k < col.offsets[i + 1]!; k++) out.push(col.dict.value(col.codes[k]!));
      return out;
    }
  }
}

function mergeSorted(a: string[], b: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compareKeywords(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/**
 * The k smallest (key, ts, pos) triples: a max-heap of size k, so a pass over n rows costs
 * O(n log k) and keeps k entries, instead of sorting the whole selection.
 */
class TopK {
  private readonly keys: Float64Array;
  private readonly ts: Float64Array;
  private readonly pos: Float64Array;
  private readonly rows: Float64Array;
  private size = 0;
  get full(): boolean {
    return this.size === this.k;
  }
  /** Key of the entry a newcomer must beat (the heap's root) once full. */
  get worstKey(): number {
    return this.keys[0]!;
  }
  constructor(private readonly k: number) {
    this.keys = new Float64Array(k);
    this.ts = new Float64Array(k);
    this.pos = new Float64Array(k);
    this.rows = new Float64Array(k);
  }
  private greater(a: number, bKey: number, bTs: number, bPos: number): boolean {
    const ka = this.keys[a]!;
    if (ka !== bKey) return ka > bKey;
    const ta = this.ts[a]!;
    if (ta !== bTs) return ta > bTs;
    return this.pos[a]! > bPos;
  }
  private put(i: number, key: number, ts: number, pos: number, row: number): void {
    this.keys[i] = key;
    this.ts[i] = ts;
    this.pos[i] = pos;
    this.rows[i] = row;
  }
  offer(key: number, ts: number, pos: number, row: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      const i = this.size++;
      this.put(i, key, ts, pos, row);
      this.siftUp(i);
      return;
    }
    // Replace the root (the largest) when the new one is smaller.
    if (!this.greater(0, key, ts, pos)) return;
    this.put(0, key, ts, pos, row);
    this.siftDown(0);
  }
  private swap(a: number, b: number): void {
    for (const arr of [this.keys, this.ts, this.pos, this.rows]) {
      const t = arr[a]!;
      arr[a] = arr[b]!;
      arr[b] = t;
    }
  }
  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.greater(i, this.keys[parent]!, this.ts[parent]!, this.pos[parent]!)) {
        this.swap(i, parent);
        i = parent;
      } else return;
    }
  }
  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < this.size && this.greater(l, this.keys[largest]!, this.ts[largest]!, this.pos[largest]!)) largest = l;
      if (r < this.size && this.greater(r, this.keys[largest]!, this.ts[largest]!, this.pos[largest]!)) largest = r;
      if (largest === i) return;
      this.swap(i, largest);
      i = largest;
    }
  }
  /** Rows in ascending (key, ts, pos) order. */
  sorted(): number[] {
    const idx = Array.from({ length: this.size }, (_, i) => i);
    idx.sort((a, b) => {
      if (this.keys[a] !== this.keys[b]) return this.keys[a]! < this.keys[b]! ? -1 : 1;
      if (this.ts[a] !== this.ts[b]) return this.ts[a]! < this.ts[b]! ? -1 : 1;
      return this.pos[a]! - this.pos[b]!;
    });
    return idx.map((i) => this.rows[i]!);
  }
}

export function computeStats(index: ArchiveIndex, sel: Selection, millis: number): QueryStats {
  const col = (path: string) => COLUMN_OF.get(path)!;
  const statusC = col('platform_publishing.status');
  const providerC = col('ai_enrichment.provider');
  const platformC = col('platform_publishing.platform');
  const errorC = col('errors[].error_class');
  const totalMsC = col('performance_metrics.total_ms');
  const costC = col('ai_enrichment.cost_usd');
  const promptC = col('ai_enrichment.tokens.prompt');
  const complC = col('ai_enrichment.tokens.completion');
  const gateC = col('brand_voice_analysis.gate_passed');

  const byStatus = new Map<string, number>();
  const byProvider = new Map<string, number>();
  const byPlatform = new Map<string, number>();
  const byErrorClass = new Map<string, number>();
  const perProvider = new Map<string, { records: number; costUsd: number; promptTokens: number; completionTokens: number }>();
  const latencies = new Float64Array(sel.total);
  let nLat = 0;
  let gateEvaluated = 0;
  let gateBlocked = 0;
  const byIntegrity: Record<IntegrityClass, number> = { verified: 0, untrusted_key: 0, invalid: 0, unsealed: 0, unknown: 0 };
  const NONE = '(none)';
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);

  for (const seg of index.segments) {
    const cols = seg.segment.columns;
    const status = cols[statusC] as Extract<LoadedColumn, { type: 'keyword' }>;
    const provider = cols[providerC] as Extract<LoadedColumn, { type: 'keyword' }>;
    const platform = cols[platformC] as Extract<LoadedColumn, { type: 'keyword' }>;
    const errors = cols[errorC] as Extract<LoadedColumn, { type: 'multi' }>;
    const totalMs = (cols[totalMsC] as { values: Float64Array }).values;
    const cost = (cols[costC] as { values: Float64Array }).values;
    const prompt = (cols[promptC] as { values: Float64Array }).values;
    const compl = (cols[complC] as { values: Float64Array }).values;
    const gate = (cols[gateC] as { values: Uint8Array }).values;
    // Count per code first (cheap), name the codes once per segment.
    const statusN = new Float64Array(status.dict.size + 1);
    const providerN = new Float64Array(provider.dict.size + 1);
    const platformN = new Float64Array(platform.dict.size + 1);
    const errorN = new Float64Array(errors.dict.size + 1);
    const provCost = new Float64Array(provider.dict.size + 1);
    const provPrompt = new Float64Array(provider.dict.size + 1);
    const provCompl = new Float64Array(provider.dict.size + 1);
    sel.rows.forEachIn(seg.base, seg.base + seg.rows, (r) => {
      const i = r - seg.base;
      const sc = status.codes[i]!;
      statusN[sc] = statusN[sc]! + 1;
      const p = provider.codes[i]!;
      providerN[p] = providerN[p]! + 1;
      const pc = platform.codes[i]!;
      platformN[pc] = platformN[pc]! + 1;
      for (let k = errors.offsets[i]!; k < errors.offsets[i + 1]!; k++) {
        const ec = errors.codes[k]!;
        errorN[ec] = errorN[ec]! + 1;
      }
      if (!Number.isNaN(totalMs[i]!)) latencies[nLat++] = totalMs[i]!;
      if (!Number.isNaN(cost[i]!)) provCost[p] = provCost[p]! + cost[i]!;
      if (!Number.isNaN(prompt[i]!)) provPrompt[p] = provPrompt[p]! + prompt[i]!;
      if (!Number.isNaN(compl[i]!)) provCompl[p] = provCompl[p]! + compl[i]!;
      if (gate[i] !== BOOL_ABSENT) {
        gateEvaluated++;
        if (gate[i] !== BOOL_TRUE) gateBlocked++;
      }
      byIntegrity[ArchiveIndex.integrity(seg, i)]++;
    });
    const name = (d: { value(c: number): string }, c: number) => (c === 0 ? NONE : d.value(c));
    statusN.forEach((n, c) => n > 0 && add(byStatus, name(status.dict, c), n));
    platformN.forEach((n, c) => n > 0 && add(byPlatform, name(platform.dict, c), n));
    errorN.forEach((n, c) => n > 0 && c > 0 && add(byErrorClass, errors.dict.value(c), n));
    providerN.forEach((n, c) => {
      if (n === 0) return;
      const key = name(provider.dict, c);
      add(byProvider, key, n);
      const e = perProvider.get(key) ?? { records: 0, costUsd: 0, promptTokens: 0, completionTokens: 0 };
      e.records += n;
      e.costUsd += provCost[c]!;
      e.promptTokens += provPrompt[c]!;
      e.completionTokens += provCompl[c]!;
      perProvider.set(key, e);
    });
  }

  const lat = latencies.subarray(0, nLat).sort();
  const pct = (p: number) => lat[Math.max(0, Math.ceil((p / 100) * nLat) - 1)]!;
  const sortedEntries = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  const byProv = Object.fromEntries([...perProvider.entries()].sort((a, b) => b[1].records - a[1].records || (a[0] < b[0] ? -1 : 1)));
  let costUsd = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  for (const e of perProvider.values()) {
    costUsd += e.costUsd;
    promptTokens += e.promptTokens;
    completionTokens += e.completionTokens;
  }
  let sum = 0;
  for (let i = 0; i < nLat; i++) sum += lat[i]!;
  return {
    total: sel.total,
    verified: byIntegrity.verified,
    withFindings: byIntegrity.invalid,
    untrustedKey: byIntegrity.untrusted_key,
    unsealed: byIntegrity.unsealed,
    notYetVerified: byIntegrity.unknown,
    byStatus: sortedEntries(byStatus),
    byProvider: sortedEntries(byProvider),
    byPlatform: sortedEntries(byPlatform),
    byErrorClass: sortedEntries(byErrorClass),
    totalMs: nLat === 0 ? null : { count: nLat, min: lat[0]!, p50: pct(50), p95: pct(95), p99: pct(99), max: lat[nLat - 1]!, mean: sum / nLat },
    costByProvider: byProv,
    totals: { costUsd, promptTokens, completionTokens },
    gate: { evaluated: gateEvaluated, blocked: gateBlocked, blockRate: gateEvaluated === 0 ? null : gateBlocked / gateEvaluated },
    millis,
  };
}

export { QuerySyntaxError };
