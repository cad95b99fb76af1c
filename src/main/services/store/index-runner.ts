import type { AppEvent } from '../../../shared/ipc-contract';
import type { IndexProgress, IndexState } from '../../../shared/record-search';
import { openArchiveIndex, type ArchiveIndex } from '../index/archive-index';
import { QueryEngine } from '../query/query-engine';
import { TaskCancelledError, type WorkerPool } from '../workers/worker-pool';

/** Progress events are coalesced to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 100;

export class IndexNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexNotReadyError';
  }
}

export interface OpenedIndex {
  index: ArchiveIndex;
  engine: QueryEngine;
}

export interface IndexRunnerOptions {
  root: string;
  /** Root of the index cache; never inside the archive (openArchiveIndex refuses that too). */
  cacheRoot: string;
  pool: WorkerPool;
  emit: (event: AppEvent) => void;
}

/**
 * Opens the archive's index once: builds what the cache lacks in the worker pool, streaming
 * progress (with an estimate of the time left) as events, and can be cancelled. Everything that
 * needs the index waits on `ready()`, which starts the build when none is going.
 */
export class IndexRunner {
  #state: IndexState = { status: 'idle', progress: null, error: null, records: null, filesIndexed: null, filesReused: null };
  #controller: AbortController | undefined;
  #opening: Promise<OpenedIndex> | undefined;
  #closed = false;
  #opened: OpenedIndex | undefined;

  constructor(private readonly opts: IndexRunnerOptions) {}

  state(): IndexState {
    return { ...this.#state };
  }

  /** The index if it is open already; never starts a build. */
  get opened(): OpenedIndex | undefined {
    return this.#opened;
  }

  /** Starts opening the index unless it is open or opening; returns the state. */
  open(): IndexState {
    void this.ready().catch(() => undefined);
    return this.state();
  }

  /** The open index, opening it first if needed. Rejects when that build fails or is cancelled. */
  ready(): Promise<OpenedIndex> {
    if (this.#opened) return Promise.resolve(this.#opened);
    if (this.#closed) return Promise.reject(new Error('the archive was closed'));
    this.#opening ??= this.#build();
    return this.#opening;
  }

  /** Cancels a build going on and refuses to start another (the archive is being closed). */
  close(): void {
    this.#closed = true;
    this.cancel();
  }

  cancel(): boolean {
    if (this.#state.status !== 'indexing' || !this.#controller) return false;
    this.#controller.abort();
    return true;
  }

  /** Resolves once a build going on has ended, however it ends. */
  async settled(): Promise<void> {
    await this.#opening?.catch(() => undefined);
  }

  async #build(): Promise<OpenedIndex> {
    const controller = new AbortController();
    this.#controller = controller;
    const started = Date.now();
    this.#state = { status: 'indexing', progress: null, error: null, records: null, filesIndexed: null, filesReused: null };
    this.opts.emit({ type: 'indexStarted' });
    let lastEmit = 0;
    const onProgress = (p: { doneBytes: number; totalBytes: number; filesDone: number; filesTotal: number }): void => {
      const elapsedMs = Date.now() - started;
      const progress: IndexProgress = { ...p, elapsedMs, etaMs: estimateLeft(p.doneBytes, p.totalBytes, elapsedMs) };
      this.#state.progress = progress;
      const now = Date.now();
      if (now - lastEmit >= PROGRESS_INTERVAL_MS || p.filesDone === p.filesTotal) {
        lastEmit = now;
        this.opts.emit({ type: 'indexProgress', progress });
      }
    };
    try {
      const { index, report } = await openArchiveIndex(this.opts.root, {
        pool: this.opts.pool,
        cacheRoot: this.opts.cacheRoot,
        signal: controller.signal,
        onProgress,
      });
      const opened = { index, engine: new QueryEngine(index, this.opts.pool) };
      this.#opened = opened;
      const indexed = report.files.filter((f) => f.action === 'indexed').length;
      this.#state = {
        ...this.#state,
        status: 'ready',
        records: report.records,
        filesIndexed: indexed,
        filesReused: report.files.length - indexed,
      };
      this.opts.emit({ type: 'indexFinished', status: 'ready', error: null });
      return opened;
    } catch (e) {
      const cancelled = e instanceof TaskCancelledError || controller.signal.aborted;
      const error = cancelled ? 'indexing was cancelled' : e instanceof Error ? e.message : String(e);
      this.#state = { ...this.#state, status: cancelled ? 'cancelled' : 'failed', error };
      // The next request starts over.
      this.#opening = undefined;
      this.opts.emit({ type: 'indexFinished', status: cancelled ? 'cancelled' : 'failed', error });
      throw new IndexNotReadyError(cancelled ? 'The index is not open: indexing was cancelled. Open it again to search.' : `The index cannot be opened: ${error}`);
    } finally {
      this.#controller = undefined;
    }
  }
}

/** Milliseconds left at the rate so far; null until there is enough to go on. */
export function estimateLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs < 250 || done >= total) return null;
  return ((total - done) / done) * elapsedMs;
}
