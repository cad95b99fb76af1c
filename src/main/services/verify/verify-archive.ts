import { setMaxListeners } from 'node:events';
import type { VerificationReport } from '../../../shared/verification-report';
import { discoverArchive, type ArchiveLayout } from '../archive/layout';
import type { PublicKeyEntry } from '../keys/keys';
import { inflateModeFor } from '../archive/line-scanner';
import { TaskCancelledError, type WorkerPool } from '../workers/worker-pool';
import { assembleReport, crossFileDuplicates, type FileOutcome } from './assemble-report';
import type { DayFileResult, SchemaCheck } from './verify-file';
import type { CompletenessOptions } from './completeness';

export interface VerifyProgress {
  doneBytes: number;
  totalBytes: number;
  filesDone: number;
  filesTotal: number;
}

export interface VerifyFilesOptions {
  pool: WorkerPool;
  lineCap?: number;
  /** Parse and schema-check every record, not only those off the fast path. */
  schema?: SchemaCheck;
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
}

export interface VerifyArchiveOptions extends VerifyFilesOptions {
  trustedKeys: readonly PublicKeyEntry[];
  /** The expected period, the checkpoint and the timestamp tolerance. */
  completeness?: CompletenessOptions;
}

export { TaskCancelledError as VerificationCancelledError };

/** A day file's result with its ids, or why it could not be read. */
export type FileOutcomeWithIds = DayFileResult | { error: string };

/** Every day file of an archive verified on its own, in the worker pool. */
export interface VerifiedFiles {
  layout: ArchiveLayout;
  outcomes: Map<string, FileOutcomeWithIds>;
  started: number;
}

/**
 * Verifies a whole archive: one worker task per day file (largest first, so the pool stays busy),
 * then the archive-level part (assembleReport) on this thread.
 */
export async function verifyArchive(root: string, opts: VerifyArchiveOptions): Promise<VerificationReport> {
  const files = await verifyDayFiles(root, opts);
  return assembleReport({
    layout: files.layout,
    outcomes: withoutIds(files.outcomes),
    duplicates: duplicatesOf(files),
    trustedKeys: opts.trustedKeys,
    schema: opts.schema,
    completeness: opts.completeness,
    started: files.started,
  });
}

/** Archive-wide duplicate ids from the files' own id lists. */
export function duplicatesOf(files: VerifiedFiles) {
  return crossFileDuplicates(files.layout.dayFiles, (f) => {
    const r = files.outcomes.get(f.name);
    return r && !('error' in r) ? r.ids : undefined;
  });
}

/** The outcomes as the assembly takes them. */
export function withoutIds(outcomes: ReadonlyMap<string, FileOutcomeWithIds>): Map<string, FileOutcome> {
  const out = new Map<string, FileOutcome>();
  for (const [name, r] of outcomes) {
    if ('error' in r) out.set(name, r);
    else {
      const { ids: _ids, ...rest } = r;
      out.set(name, rest);
    }
  }
  return out;
}

/** The per-file half of verification: every day file read and verified in the worker pool. */
export async function verifyDayFiles(root: string, opts: VerifyFilesOptions): Promise<VerifiedFiles> {
  const started = performance.now();
  const layout = await discoverArchive(root);
  const archiveSealed = layout.digests.length > 0;
  const totalBytes = layout.dayFiles.reduce((n, f) => n + f.size, 0);
  const done = new Map<string, number>();
  let filesDone = 0;
  const report = () => {
    let doneBytes = 0;
    for (const v of done.values()) doneBytes += v;
    opts.onProgress?.({ doneBytes, totalBytes, filesDone, filesTotal: layout.dayFiles.length });
  };
  const bySizeDesc = [...layout.dayFiles].sort((a, b) => b.size - a.size);
  const inflate = inflateModeFor(layout.dayFiles.length, opts.pool.size);
  const outcomes = new Map<string, FileOutcomeWithIds>();
  // Every queued task listens for the abort until the run ends: a month of day files is over Node's
  // default of 10 listeners per signal (MaxListenersExceededWarning on stderr). Tasks listen on a
  // signal of this run's own, sized for them and dropped afterwards.
  const run = new AbortController();
  setMaxListeners(layout.dayFiles.length + 10, run.signal);
  const forward = () => run.abort();
  if (opts.signal?.aborted) run.abort();
  else opts.signal?.addEventListener('abort', forward, { once: true });
  try {
    await Promise.all(
      bySizeDesc.map(async (f) => {
        if (f.unreadable) {
          outcomes.set(f.name, { error: f.unreadable });
          filesDone++;
          return;
        }
        try {
          const r = await opts.pool.run(
            { kind: 'verifyFile', path: f.path, file: f.name, gzip: f.gzip, archiveSealed, lineCap: opts.lineCap, schema: opts.schema, inflate },
            {
              signal: run.signal,
              onProgress: (b) => {
                done.set(f.name, b);
                report();
              },
            },
          );
          outcomes.set(f.name, r);
        } catch (e) {
          if (e instanceof TaskCancelledError) throw e;
          outcomes.set(f.name, { error: (e as Error).message });
        }
        done.set(f.name, f.size);
        filesDone++;
        report();
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
  return { layout, outcomes, started };
}
