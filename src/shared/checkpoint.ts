import { z } from 'zod';

// A checkpoint (completeness-erasure.md, section 1): the user's own record of the newest day they
// verified, kept outside the archive. Verifying later against it proves the archive is the same
// history, possibly extended. It is not secret and not signed.

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
export const DayString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a UTC day, YYYY-MM-DD')
  .refine((d) => isCalendarDay(d), 'not a calendar day');

export const Checkpoint = z.strictObject({
  v: z.literal(1),
  kind: z.literal('activationlog-checkpoint'),
  /** The archive folder's name when the checkpoint was written (informative only). */
  archive: z.string(),
  /** The newest day verified. */
  date: DayString,
  /** Hex SHA-256 of JCS(that day's digest, signature included), as `previous_digest` links digests. */
  digest_sha256: Hex64,
  chain_head: Hex64,
  /** The seq of the last record up to that day; null when no day so far held a record. */
  last_seq: z.number().int().min(0).nullable(),
  key_id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex characters'),
  verified_at: z.iso.datetime({ offset: true }),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/**
 * - `same_history`: the checkpoint's day has the very digest it recorded, and the digest chain runs
 *   unbroken from it to the newest day;
 * - `mismatch`: that digest is missing or differs (a `checkpoint_mismatch` finding);
 * - `chain_broken`: the digest matches, but the chain after it is broken (the findings say where).
 */
export const CheckpointStatus = z.enum(['same_history', 'mismatch', 'chain_broken']);
export type CheckpointStatus = z.infer<typeof CheckpointStatus>;

const DAY_MS = 86_400_000;

/** Whether `d` (YYYY-MM-DD) names a real calendar day. */
export function isCalendarDay(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** Days since 1970-01-01 of a UTC day YYYY-MM-DD. */
export function dayNumber(d: string): number {
  return Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
}

/** The UTC day YYYY-MM-DD of a day number. */
export function dayOfNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
