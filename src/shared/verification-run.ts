import { z } from 'zod';
import { VerificationReport } from './verification-report';

// One verification at a time per open archive: its progress, outcome and last report.

export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a run id');

export const VerificationProgress = z.object({
  runId: RunId,
  doneBytes: z.number(),
  totalBytes: z.number(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  elapsedMs: z.number(),
});
export type VerificationProgress = z.infer<typeof VerificationProgress>;

export const RunStatus = z.enum(['idle', 'running', 'done', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const VerificationState = z.object({
  status: RunStatus,
  /** The current or last run. */
  runId: RunId.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: VerificationProgress.nullable(),
  error: z.string().nullable(),
  /** The last completed report, which may be older than the current run. */
  report: VerificationReport.nullable(),
  reportFinishedAt: z.string().nullable(),
  /** Trusted keys changed after the report's run started, so its key findings may be out of date. */
  keysChangedSinceReport: z.boolean(),
});
export type VerificationState = z.infer<typeof VerificationState>;
