import { randomUUID } from 'node:crypto';
import type { AppEvent } from '../../../shared/ipc-contract';
import type { VerificationReport } from '../../../shared/verification-report';
import type { RunStatus, VerificationProgress, VerificationState } from '../../../shared/verification-run';
import type { PublicKeyEntry } from '../keys/keys';
import { VerificationCancelledError, verifyArchive } from '../verify/verify-archive';
import type { WorkerPool } from '../workers/worker-pool';

/** Progress events are coalesced to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 100;

interface Run {
  runId: string;
  controller: AbortController;
  startedAt: Date;
  keysVersion: number;
  done: Promise<void>;
}

export interface VerificationRunnerOptions {
  root: string;
  pool: WorkerPool;
  trustedKeys: () => Promise<PublicKeyEntry[]>;
  /** Bumped by the owner whenever the trusted keys change. */
  keysVersion: () => number;
  emit: (event: AppEvent) => void;
}

/** One verification at a time: starting a new run cancels the one going. */
export class VerificationRunner {
  #run: Run | undefined;
  #state: Omit<VerificationState, 'keysChangedSinceReport'> = {
    status: 'idle',
    runId: null,
    startedAt: null,
    finishedAt: null,
    progress: null,
    error: null,
    report: null,
    reportFinishedAt: null,
  };
  #reportKeysVersion = 0;

  constructor(private readonly opts: VerificationRunnerOptions) {}

  get lastReport(): VerificationReport | null {
    return this.#state.report;
  }

  get lastReportFinishedAt(): string | null {
    return this.#state.reportFinishedAt;
  }

  state(): VerificationState {
    const keysChangedSinceReport = this.#state.report !== null && this.#reportKeysVersion !== this.opts.keysVersion();
    return { ...this.#state, keysChangedSinceReport };
  }

  start(): { runId: string } {
    this.#run?.controller.abort();
    const run: Run = {
      runId: randomUUID(),
      controller: new AbortController(),
      startedAt: new Date(),
      keysVersion: this.opts.keysVersion(),
      done: Promise.resolve(),
    };
    this.#run = run;
    this.#state = {
      ...this.#state,
      status: 'running',
      runId: run.runId,
      startedAt: run.startedAt.toISOString(),
      finishedAt: null,
      progress: null,
      error: null,
    };
    this.opts.emit({ type: 'verificationStarted', runId: run.runId });
    run.done = this.#execute(run);
    return { runId: run.runId };
  }

  cancel(runId?: string): boolean {
    const run = this.#run;
    if (!run || (runId !== undefined && runId !== run.runId)) return false;
    run.controller.abort();
    return true;
  }

  /** Resolves when the current run (if any) has finished, however it ends. */
  async settled(): Promise<void> {
    await this.#run?.done;
  }

  async #execute(run: Run): Promise<void> {
    let lastEmit = 0;
    const onProgress = (p: { doneBytes: number; totalBytes: number; filesDone: number; filesTotal: number }): void => {
      if (this.#run !== run) return;
      const progress: VerificationProgress = { runId: run.runId, ...p, elapsedMs: Date.now() - run.startedAt.getTime() };
      this.#state.progress = progress;
      const now = Date.now();
      if (now - lastEmit >= PROGRESS_INTERVAL_MS || p.filesDone === p.filesTotal) {
        lastEmit = now;
        this.opts.emit({ type: 'verificationProgress', progress });
      }
    };

    let status: Exclude<RunStatus, 'idle' | 'running'>;
    let error: string | null = null;
    let report: VerificationReport | undefined;
    try {
      const trustedKeys = await this.opts.trustedKeys();
      if (run.controller.signal.aborted) throw new VerificationCancelledError();
      report = await verifyArchive(this.opts.root, { pool: this.opts.pool, trustedKeys, signal: run.controller.signal, onProgress });
      status = 'done';
    } catch (e) {
      if (e instanceof VerificationCancelledError || run.controller.signal.aborted) status = 'cancelled';
      else {
        status = 'failed';
        error = e instanceof Error ? e.message : String(e);
      }
    }

    // A run replaced by a newer one only reports that it ended; the state belongs to the new run.
    if (this.#run === run) {
      const finishedAt = new Date().toISOString();
      this.#state = { ...this.#state, status, finishedAt, error };
      if (report) {
        this.#state.report = report;
        this.#state.reportFinishedAt = finishedAt;
        this.#reportKeysVersion = run.keysVersion;
      }
    }
    this.opts.emit({ type: 'verificationFinished', runId: run.runId, status, error });
  }
}
