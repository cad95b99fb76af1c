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
  /** Every build, as it starts (the archive's verification follows it). */
  onBuild?: (build: Promise<OpenedIndex>) => void;
  onProgress?: (progress: IndexProgress) => void;
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
  /** Counts builds: only the latest one may set or clear what is open. */
  #generation = 0;

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
    this.#opening ??= this.#startBuild();
    return this.#opening;
  }

  /**
   * Builds the index again, reading `reindex` again whatever their segments say (their bytes were
   * found to differ from what was indexed); a build going is cancelled first. Until the new build
   * is done, nothing is open.
   */
  reopen(reindex: ReadonlySet<string>): void {
    if (this.#closed) return;
    const previous = this.#opening?.catch(() => undefined) ?? Promise.resolve();
    this.cancel();
    this.#opened = undefined;
    this.#opening = this.#startBuild(previous, reindex);
    this.#opening.catch(() => undefined);
  }

  /** Starts a build (after `after` settles, if given), and tells `onBuild`. */
  #startBuild(after?: Promise<unknown>, reindex?: ReadonlySet<string>): Promise<OpenedIndex> {
    const generation = ++this.#generation;
    // Without a build to wait for, this one starts now: its state is `indexing` when open() returns.
    const build = after ? after.then(() => this.#build(generation, reindex)) : this.#build(generation, reindex);
    this.opts.onBuild?.(build);
    return build;
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

  async #build(generation: number, reindex?: ReadonlySet<string>): Promise<OpenedIndex> {
    if (generation !== this.#generation) throw new IndexNotReadyError('The index is not open: indexing was cancelled (a newer build replaced it).');
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
      this.opts.onProgress?.(progress);
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
        reindex,
        signal: controller.signal,
        onProgress,
      });
      const opened = { index, engine: new QueryEngine(index, this.opts.pool) };
      if (generation !== this.#generation) throw new TaskCancelledError();
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
      // The next request starts over (unless a newer build already took this one's place).
      if (generation === this.#generation) this.#opening = undefined;
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
