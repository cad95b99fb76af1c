import { randomUUID } from 'node:crypto';
import type { AppEvent } from '../../../shared/ipc-contract';
import type { IndexProgress } from '../../../shared/record-search';
import type { VerificationReport } from '../../../shared/verification-report';
import {
  stateVerdict,
  type ReportSource,
  type RunStatus,
  type VerificationPhase,
  type VerificationProgress,
  type VerificationState,
} from '../../../shared/verification-run';
import { applyVerification, indexAssemblyParts } from '../index/index-verification';
import type { PublicKeyEntry } from '../keys/keys';
import { assembleReport, type AssemblyParts } from '../verify/assemble-report';
import type { CompletenessOptions } from '../verify/completeness';
import { duplicatesOf, VerificationCancelledError, verifyDayFiles, withoutIds, type VerifiedFiles } from '../verify/verify-archive';
import type { WorkerPool } from '../workers/worker-pool';
import type { IndexRunner, OpenedIndex } from './index-runner';

/** Progress events are coalesced to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 100;

interface Run {
  runId: string;
  phase: VerificationPhase;
  /** Stops a reread (an index pass is stopped through the index runner). */
  controller: AbortController;
  startedAt: Date;
  started: number;
  lastEmit: number;
  done: Promise<void>;
}

export interface VerificationRunnerOptions {
  root: string;
  pool: WorkerPool;
  /** The archive's index: its opening pass is the verification of every new or changed day file. */
  index: IndexRunner;
  trustedKeys: () => Promise<PublicKeyEntry[]>;
  /** Bumped by the owner whenever the trusted keys change. */
  keysVersion: () => number;
  emit: (event: AppEvent) => void;
  /** A new report is in force: whatever answered from the old one (pages of rows) is stale. */
  onReport?: (report: VerificationReport) => void;
  /** The expected period and checkpoint to check the archive against (asked at every assembly). */
  completeness?: () => Promise<CompletenessOptions>;
}

/**
 * The archive's one verification state. Its runs:
 * - `index`: follows every build of the index (which verifies the files it reads, and takes the
 *   others' results from the cache) and assembles the archive's report from the segments;
 * - `reread`: "verify again": every day file read and verified as `alog verify` does; a file whose
 *   bytes differ from what the index holds makes the index build that file again;
 * - `keys`: after trusted keys change, the report assembled again from the per-file results already
 *   known (no day file read), with the signatures checked under the new keys.
 * One run at a time; a run replaced by a newer one only reports that it ended.
 */
export class VerificationRunner {
  #run: Run | undefined;
  #state: Omit<VerificationState, 'keysChangedSinceReport' | 'verdict'> = {
    status: 'idle',
    runId: null,
    phase: null,
    startedAt: null,
    finishedAt: null,
    progress: null,
    error: null,
    report: null,
    reportFinishedAt: null,
    reportSource: null,
  };
  /** The keys version the report was assembled under. */
  #reportKeysVersion = 0;
  /** What the last report was assembled from, for assembling it again under other keys. */
  #parts: AssemblyParts | undefined;
  #closed = false;
  readonly #progressListeners = new Set<(p: VerificationProgress) => void>();
  /** The completeness settings changed while a run went on: its end assembles the report again. */
  #settingsChanged = false;

  constructor(private readonly opts: VerificationRunnerOptions) {}

  get lastReport(): VerificationReport | null {
    return this.#state.report;
  }

  get lastReportFinishedAt(): string | null {
    return this.#state.reportFinishedAt;
  }

  state(): VerificationState {
    const keysChangedSinceReport = this.#state.report !== null && this.#reportKeysVersion !== this.opts.keysVersion();
    return { ...this.#state, verdict: stateVerdict(this.#state.status, this.#state.report), keysChangedSinceReport };
  }

  /**
   * Verifies the archive: through the index pass when the index is not open (the pass verifies),
   * else by reading every day file again. An index pass already going is that verification.
   */
  start(): { runId: string } {
    if (this.#run?.phase === 'index' && this.#state.status === 'running') return { runId: this.#run.runId };
    // An index that cannot be built (an unusable cache folder) does not stop a verification: the
    // reread needs no index.
    if (!this.opts.index.opened && this.opts.index.state().status !== 'failed') {
      this.opts.index.open();
      // open() starts a build, which starts an index run (indexBuildStarted) before returning.
      if (this.#run?.phase === 'index' && this.#state.status === 'running') return { runId: this.#run.runId };
    }
    return this.#begin('reread', (run) => this.#reread(run));
  }

  /**
   * The report in force for what states the archive's integrity (exports, reports): the last one,
   * when no run is going and the trusted keys have not changed since it was made; else null.
   */
  reportInForce(): CurrentReport | null {
    const s = this.state();
    return s.status !== 'running' && s.report && !s.keysChangedSinceReport ? { report: s.report, finishedAt: s.reportFinishedAt } : null;
  }

  /**
   * Starts what makes a report in force, unless one is or a run is going: after a change of the
   * trusted keys, the `keys` run (no day file read); else start() (the index pass, or, with the
   * index open and no report, every file read again).
   */
  ensureCurrent(): void {
    const s = this.state();
    if (s.status === 'running' || this.reportInForce()) return;
    if (s.keysChangedSinceReport && this.#parts) this.keysChanged();
    else this.start();
  }

  /**
   * The report in force, waiting for the run going (or the one ensureCurrent starts), with its
   * progress. Rejects with VerificationUnavailableError when the run ends without one (failed,
   * cancelled), and with VerificationCancelledError on `signal` (the run itself goes on: it is the
   * archive's, not the caller's).
   */
  async currentReport(opts: { signal?: AbortSignal; onProgress?: (doneBytes: number, totalBytes: number) => void } = {}): Promise<CurrentReport> {
    const onProgress = (p: VerificationProgress): void => opts.onProgress?.(p.doneBytes, p.totalBytes);
    this.#progressListeners.add(onProgress);
    try {
      // A run that ends with the keys changed under it leads to a `keys` run (settled() waits for
      // it too); a few rounds cover keys changed again meanwhile.
      for (let round = 0; round < 4; round++) {
        const inForce = this.reportInForce();
        if (inForce) return inForce;
        const s = this.state();
        if (s.status !== 'running') {
          if (round > 0 && (s.status === 'failed' || s.status === 'cancelled')) break;
          this.ensureCurrent();
        }
        if (opts.signal?.aborted) throw new VerificationCancelledError();
        await abortable(this.settled(), opts.signal);
      }
      const inForce = this.reportInForce();
      if (inForce) return inForce;
      const s = this.state();
      throw new VerificationUnavailableError(s.status === 'cancelled' ? null : (s.error ?? 'no report came of it'));
    } finally {
      this.#progressListeners.delete(onProgress);
    }
  }

  cancel(runId?: string): boolean {
    const run = this.#run;
    if (!run || this.#state.status !== 'running' || (runId !== undefined && runId !== run.runId)) return false;
    // An index run is cancelled through its build; once the build is done, its report is still
    // being assembled (findings, duplicates, signatures), which the run's own signal stops.
    if (run.phase === 'index') this.opts.index.cancel();
    run.controller.abort();
    return true;
  }

  /** The trusted keys changed: the verdict is worked out again (unless a run will do it anyway). */
  keysChanged(): void {
    if (this.#state.status === 'running') return; // the run's end checks the keys version
    if (this.#parts) this.#begin('keys', (run) => this.#assemble(run, this.#parts!, this.#state.reportSource!));
  }

  /** The expected period or the checkpoint changed: the report is assembled again (no day file read). */
  settingsChanged(): void {
    if (this.#state.status === 'running') {
      this.#settingsChanged = true;
      return;
    }
    this.#settingsChanged = false;
    if (this.#parts) this.#begin('settings', (run) => this.#assemble(run, this.#parts!, this.#state.reportSource!));
  }

  /** Resolves when the runs going (and those they lead to) have finished, however they end. */
  async settled(): Promise<void> {
    for (let run = this.#run; run; ) {
      await run.done;
      if (this.#run === run) break;
      run = this.#run;
    }
  }

  close(): void {
    this.#closed = true;
    this.cancel();
  }

  // Index builds (wired by the store to the index runner's hooks).

  /** A build of the index began: its pass is this archive's verification. */
  indexBuildStarted(build: Promise<OpenedIndex>): void {
    this.#begin('index', (run) => this.#fromIndex(run, build));
  }

  indexBuildProgress(p: IndexProgress): void {
    if (this.#run?.phase === 'index') this.#progress(this.#run, p);
  }

  #begin(phase: VerificationPhase, body: (run: Run) => Promise<void>): { runId: string } {
    const previous = this.#run;
    if (previous && previous.phase !== 'index' && this.#state.status === 'running') previous.controller.abort();
    const run: Run = {
      runId: randomUUID(),
      phase,
      controller: new AbortController(),
      startedAt: new Date(),
      started: performance.now(),
      lastEmit: 0,
      done: Promise.resolve(),
    };
    this.#run = run;
    this.#state = { ...this.#state, status: 'running', runId: run.runId, phase, startedAt: run.startedAt.toISOString(), finishedAt: null, progress: null, error: null };
    this.opts.emit({ type: 'verificationStarted', runId: run.runId });
    run.done = this.#execute(run, body);
    return { runId: run.runId };
  }

  #progress(run: Run, p: { doneBytes: number; totalBytes: number; filesDone: number; filesTotal: number }): void {
    if (this.#run !== run) return;
    const progress: VerificationProgress = {
      runId: run.runId,
      phase: run.phase,
      doneBytes: p.doneBytes,
      totalBytes: p.totalBytes,
      filesDone: p.filesDone,
      filesTotal: p.filesTotal,
      elapsedMs: Date.now() - run.startedAt.getTime(),
    };
    this.#state.progress = progress;
    for (const listener of this.#progressListeners) listener(progress);
    const now = Date.now();
    if (now - run.lastEmit >= PROGRESS_INTERVAL_MS || p.filesDone === p.filesTotal) {
      run.lastEmit = now;
      this.opts.emit({ type: 'verificationProgress', progress });
    }
  }

  async #execute(run: Run, body: (run: Run) => Promise<void>): Promise<void> {
    let status: Exclude<RunStatus, 'idle' | 'running'> = 'done';
    let error: string | null = null;
    try {
      await body(run);
    } catch (e) {
      if (e instanceof VerificationCancelledError || run.controller.signal.aborted || isCancelled(e)) status = 'cancelled';
      else {
        status = 'failed';
        error = e instanceof Error ? e.message : String(e);
      }
    }
    const current = this.#run === run;
    if (current) this.#state = { ...this.#state, status, finishedAt: new Date().toISOString(), error };
    this.opts.emit({ type: 'verificationFinished', runId: run.runId, status, error });
    // Keys or settings changed while this run worked under the old ones: work the verdict out again.
    if (current && status === 'done' && !this.#closed && this.#reportKeysVersion !== this.opts.keysVersion()) this.keysChanged();
    else if (current && !this.#closed && this.#settingsChanged) this.settingsChanged();
  }

  async #fromIndex(run: Run, build: Promise<OpenedIndex>): Promise<void> {
    const opened = await build;
    if (this.#run !== run) return;
    if (run.controller.signal.aborted) throw new VerificationCancelledError();
    const parts = await indexAssemblyParts(opened.index);
    if (run.controller.signal.aborted) throw new VerificationCancelledError();
    const s = this.opts.index.state();
    await this.#assemble(run, parts, { phase: 'index', filesRead: s.filesIndexed ?? 0, filesFromCache: s.filesReused ?? 0 }, opened);
  }

  async #reread(run: Run): Promise<void> {
    if (this.#closed) throw new Error('the archive was closed');
    const files = await verifyDayFiles(this.opts.root, {
      pool: this.opts.pool,
      signal: run.controller.signal,
      onProgress: (p) => this.#progress(run, p),
    });
    if (run.controller.signal.aborted) throw new VerificationCancelledError();
    const parts: AssemblyParts = { layout: files.layout, outcomes: withoutIds(files.outcomes), duplicates: duplicatesOf(files) };
    await this.#assemble(run, parts, { phase: 'reread', filesRead: files.layout.dayFiles.length, filesFromCache: 0 });
    // The index must hold what was just read: a file whose bytes differ from its segment (changed
    // in a way its size, time and ends did not show), or a file new or gone, makes it build again.
    const opened = this.opts.index.opened;
    if (this.#run === run && opened) {
      const stale = staleFiles(opened, files);
      if (stale) this.opts.index.reopen(stale);
    }
  }

  /** Assembles the report under the keys trusted now and puts it in force. */
  async #assemble(run: Run, parts: AssemblyParts, source: ReportSource, opened = this.opts.index.opened): Promise<void> {
    const keysVersion = this.opts.keysVersion();
    const trustedKeys = await this.opts.trustedKeys();
    const completeness = await this.opts.completeness?.();
    const report = await assembleReport({ ...parts, trustedKeys, completeness, started: run.started });
    if (this.#run !== run) return;
    if (run.controller.signal.aborted) throw new VerificationCancelledError();
    this.#parts = parts;
    this.#reportKeysVersion = keysVersion;
    this.#state.report = report;
    this.#state.reportFinishedAt = new Date().toISOString();
    this.#state.reportSource = source;
    if (opened) {
      applyVerification(opened.index, report);
      // Selections of `verified:` queries were made under the old classes.
      opened.engine.forgetSelections();
    }
    this.opts.onReport?.(report);
  }
}

/** A report and when it was made. */
export interface CurrentReport {
  report: VerificationReport;
  finishedAt: string | null;
}

/** The verification ended without a report in force: `error` when it failed, null when it was cancelled. */
export class VerificationUnavailableError extends Error {
  constructor(readonly error: string | null) {
    super(`the archive's verification ${error !== null ? `failed: ${error}` : 'was cancelled'}; its integrity cannot be stated`);
    this.name = 'VerificationUnavailableError';
  }
}

/** `done`, or a VerificationCancelledError as soon as `signal` aborts. */
function abortable(done: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return done;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(new VerificationCancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TaskCancelledError' || e.name === 'IndexNotReadyError') && /cancel/i.test(e.message);
}

/**
 * Day files whose fresh result differs from what the open index holds (their bytes changed), or
 * undefined when the index holds exactly these files as read. New and vanished files count too.
 */
function staleFiles(opened: OpenedIndex, files: VerifiedFiles): Set<string> | undefined {
  const stale = new Set<string>();
  const segments = new Map(opened.index.segments.map((s) => [s.file.name, s.segment.header.verify]));
  const names = new Set(files.layout.dayFiles.map((f) => f.name));
  let layoutChanged = opened.index.layout.dayFiles.some((f) => !names.has(f.name));
  for (const f of files.layout.dayFiles) {
    const fresh = files.outcomes.get(f.name);
    const held = segments.get(f.name);
    const wasUnreadable = opened.index.unreadable.has(f.name);
    if (!held && !wasUnreadable) layoutChanged = true;
    if (!fresh || 'error' in fresh) {
      if (held) stale.add(f.name);
    } else if (!held || held.contentSha256 !== fresh.contentSha256 || held.lines !== fresh.lines || held.bytes !== fresh.bytes) {
      stale.add(f.name);
    }
  }
  return stale.size > 0 || layoutChanged ? stale : undefined;
}
