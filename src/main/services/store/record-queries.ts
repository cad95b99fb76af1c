import type { QueryRow } from '../../../shared/query';
import type { QueryRecordsOutput, RecordRow, RowIntegrity } from '../../../shared/record-search';
import { ArchiveIndex, type SegmentEntry } from '../index/archive-index';
import { QueryCancelledError, QuerySyntaxError, type QueryEngine } from '../query/query-engine';
import type { OpenedIndex } from './index-runner';

export interface RecordsRequest {
  query: string;
  from?: string;
  to?: string;
  sort?: { field: string; dir: 'asc' | 'desc' };
  offset: number;
  limit: number;
  requestId: string;
}

/** Superseded request ids remembered, so a late page of an old query is refused, not run. */
const SUPERSEDED_KEPT = 256;
/**
 * The engine selects anew for every page, and a free-text query scans record bytes to select:
 * the grid's blocks are served from windows of this many rows, each asked of the engine once per
 * generation, so scrolling costs one selection per window instead of one per block.
 */
export const QUERY_WINDOW_ROWS = 1000;
/** Windows kept per generation (about 1 KB a row). */
const WINDOWS_KEPT = 8;

/**
 * Pages of query results for the Records grid. Requests carry the id of the client's query
 * generation: pages of the current generation run one after another (the engine runs one query at
 * a time), and the first request of a new generation cancels everything of the old one, whose
 * requests then answer `cancelled` (and so does any that finishes late): stale answers never reach
 * the grid as rows. Blocks are cut from windows of QUERY_WINDOW_ROWS rows asked of the engine once
 * per generation; asking twice for a block (ag-grid may) costs nothing.
 */
export class RecordQueries {
  #current: string | undefined;
  #controller = new AbortController();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #superseded = new Set<string>();
  /** Answered windows of the current generation, by criteria and first row. */
  readonly #windows = new Map<string, Promise<Window>>();

  constructor(private readonly index: () => Promise<OpenedIndex>) {}

  run(req: RecordsRequest): Promise<QueryRecordsOutput> {
    const { requestId } = req;
    const cancelled: QueryRecordsOutput = { status: 'cancelled', requestId };
    if (this.#superseded.has(requestId)) return Promise.resolve(cancelled);
    if (requestId !== this.#current) this.#supersede(requestId);
    const signal = this.#controller.signal;

    const start = Math.floor(req.offset / QUERY_WINDOW_ROWS) * QUERY_WINDOW_ROWS;
    const inWindow = req.offset + req.limit <= start + QUERY_WINDOW_ROWS;
    const key = JSON.stringify([req.query, req.from, req.to, req.sort, start]);
    let window = inWindow ? this.#windows.get(key) : undefined;
    if (!window) {
      window = this.#queue.then(() => this.#select(req, inWindow ? start : req.offset, inWindow ? QUERY_WINDOW_ROWS : req.limit, signal));
      this.#queue = window.catch(() => undefined);
      if (inWindow) {
        this.#windows.set(key, window);
        window.catch(() => this.#windows.delete(key));
        if (this.#windows.size > WINDOWS_KEPT) this.#windows.delete(this.#windows.keys().next().value!);
      }
    }
    return window.then((w): QueryRecordsOutput => {
      if (signal.aborted || w.status === 'cancelled') return cancelled;
      if (w.status === 'syntax_error') return { ...w, requestId };
      const from = req.offset - w.offset;
      return { status: 'ok', requestId, total: w.total, rows: w.rows.slice(from, from + req.limit), millis: w.millis };
    });
  }

  /** Rows `offset` to `offset + limit` of the query, from the engine. */
  async #select(req: RecordsRequest, offset: number, limit: number, signal: AbortSignal): Promise<Window> {
    if (signal.aborted) return { status: 'cancelled' };
    const { index, engine } = await this.index();
    if (signal.aborted) return { status: 'cancelled' };
    try {
      const result = await runQuery(engine, { ...req, offset, limit }, signal);
      if (signal.aborted) return { status: 'cancelled' };
      return { status: 'ok', offset, total: result.total, rows: result.rows.map((r) => recordRow(index, r)), millis: result.millis };
    } catch (e) {
      if (e instanceof QueryCancelledError || signal.aborted) return { status: 'cancelled' };
      if (e instanceof QuerySyntaxError) return { status: 'syntax_error', message: e.message, position: e.position };
      throw e;
    }
  }

  /**
   * Forgets the rows answered so far: the records' integrity changed (a new verification result),
   * so the next pages are read again, in the same generation.
   */
  invalidate(): void {
    this.#windows.clear();
  }

  /** Cancels whatever runs (the archive is closing). */
  cancelAll(): void {
    this.#controller.abort();
  }

  #supersede(requestId: string): void {
    if (this.#current !== undefined) {
      this.#superseded.add(this.#current);
      if (this.#superseded.size > SUPERSEDED_KEPT) this.#superseded.delete(this.#superseded.values().next().value!);
    }
    this.#controller.abort();
    this.#controller = new AbortController();
    this.#current = requestId;
    this.#windows.clear();
    // The new generation does not wait for the old one's pages: they stop on the abort.
    this.#queue = Promise.resolve();
  }
}

type Window =
  | { status: 'ok'; offset: number; total: number; rows: RecordRow[]; millis: number }
  | { status: 'syntax_error'; message: string; position: number }
  | { status: 'cancelled' };

function runQuery(engine: QueryEngine, req: RecordsRequest, signal: AbortSignal) {
  return engine.query(
    {
      query: req.query,
      from: req.from,
      to: req.to,
      sort: req.sort ? { field: req.sort.field, direction: req.sort.dir } : undefined,
      offset: req.offset,
      limit: req.limit,
    },
    signal,
  );
}

function recordRow(index: ArchiveIndex, row: QueryRow): RecordRow {
  return {
    activation_id: row.activation_id,
    timestamp: row.timestamp,
    file: row.file,
    line: row.line,
    integrity: row.integrity,
    fields: row.fields,
  };
}

const segmentsByFile = new WeakMap<ArchiveIndex, Map<string, SegmentEntry>>();

/** The segment row of a record by its place, or undefined when the line is not an indexed record. */
export function locateRow(index: ArchiveIndex, file: string, line: number): { segment: SegmentEntry; local: number } | undefined {
  let byFile = segmentsByFile.get(index);
  if (!byFile) segmentsByFile.set(index, (byFile = new Map(index.segments.map((s) => [s.file.name, s]))));
  const segment = byFile.get(file);
  if (!segment) return undefined;
  // Rows are in line order.
  const lines = segment.segment.rows.line;
  let lo = 0;
  let hi = segment.rows - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const l = lines[mid]!;
    if (l < line) lo = mid + 1;
    else if (l > line) hi = mid - 1;
    else return { segment, local: mid };
  }
  return undefined;
}

/** The integrity class of the record at a place, or undefined when the line is not an indexed record. */
export function rowIntegrity(index: ArchiveIndex, file: string, line: number): RowIntegrity | undefined {
  const at = locateRow(index, file, line);
  return at ? ArchiveIndex.integrity(at.segment, at.local) : undefined;
}
