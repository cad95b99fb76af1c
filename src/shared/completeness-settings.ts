import { z } from 'zod';
import { Checkpoint, DayString } from './checkpoint';

// What the app remembers per archive for its completeness checks (completeness-erasure.md,
// section 1): the expected period the user set, and checkpoints of earlier verifications.

/** The UTC days the archive must cover, inclusive; either bound may be left open. */
export const ExpectedPeriod = z
  .object({ from: DayString.nullable(), through: DayString.nullable() })
  .refine((p) => p.from === null || p.through === null || p.from <= p.through, 'the period must start on or before its last day');
export type ExpectedPeriod = z.infer<typeof ExpectedPeriod>;

export const CompletenessSettings = z.object({
  expected: ExpectedPeriod.nullable(),
  /**
   * The checkpoint this session checks the archive against: the one recorded by the last
   * verification here before the archive was opened, or null (none yet, or forgotten).
   */
  checkedAgainst: Checkpoint.nullable(),
  /** The checkpoint the next open of this archive will be checked against. */
  stored: Checkpoint.nullable(),
});
export type CompletenessSettings = z.infer<typeof CompletenessSettings>;
