import { z } from 'zod';
import { ArchiveVerdict, VerificationReport } from './verification-report';

// One verification state per open archive, owned by the main process and read by every view:
// the current run (progress, cancel), the last report and the verdict it gives.

export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a run id');

/**
 * What a run does:
 * - `index`: the pass that opens the archive's index, which verifies in the same pass: day files
 *   that are new or changed since the cache was made are read, the others' results come from it;
 * - `reread`: every day file read and verified again (what `alog verify` does);
 * - `keys`: the trusted keys changed: the digests' signatures and the verdict are worked out again
 *   from the per-file results already known, without reading a day file;
 * - `settings`: the expected period changed, or the checkpoint was forgotten: the report is
 *   assembled again the same way, without reading a day file.
 * Every phase checks the digests and signatures anew, under the keys trusted at that moment.
 */
export const VerificationPhase = z.enum(['index', 'reread', 'keys', 'settings']);
export type VerificationPhase = z.infer<typeof VerificationPhase>;

export const VerificationProgress = z.object({
  runId: RunId,
  phase: VerificationPhase,
  /** Bytes (on disk) of the day files this run reads, and how many of them are done. */
  doneBytes: z.number(),
  totalBytes: z.number(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  elapsedMs: z.number(),
});
export type VerificationProgress = z.infer<typeof VerificationProgress>;

export const RunStatus = z.enum(['idle', 'running', 'done', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The archive's state in one word: `verifying` only while a run goes on and no result exists yet. */
export const StateVerdict = z.enum(['not_verified', 'verifying', ...ArchiveVerdict.options]);
export type StateVerdict = z.infer<typeof StateVerdict>;

/** Where the last report's per-file results came from. */
export const ReportSource = z.object({
  phase: VerificationPhase,
  /** Day files read (and verified) for it. */
  filesRead: z.number().int(),
  /** Day files whose result came from the index cache (unchanged since they were verified). */
  filesFromCache: z.number().int(),
});
export type ReportSource = z.infer<typeof ReportSource>;

export const VerificationState = z.object({
  status: RunStatus,
  verdict: StateVerdict,
  /** The current or last run. */
  runId: RunId.nullable(),
  phase: VerificationPhase.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: VerificationProgress.nullable(),
  error: z.string().nullable(),
  /** The last completed report, which may be older than the current run. */
  report: VerificationReport.nullable(),
  reportFinishedAt: z.string().nullable(),
  reportSource: ReportSource.nullable(),
  /** Trusted keys changed after the report was made and it has not been worked out again yet. */
  keysChangedSinceReport: z.boolean(),
});
export type VerificationState = z.infer<typeof VerificationState>;

/** The state's verdict: what the header badge and every summary say. */
export function stateVerdict(status: RunStatus, report: VerificationReport | null): StateVerdict {
  if (report) return report.summary.verdict;
  return status === 'running' ? 'verifying' : 'not_verified';
}
