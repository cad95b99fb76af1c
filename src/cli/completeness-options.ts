// The completeness and consistency flags every command that reports a verification takes
// (`verify`, `index`, `query`, `stats`, `export`), so that they all report the same for the same archive.
import { isCalendarDay } from '../shared/checkpoint';
import { CheckpointFileError, readCheckpointFile } from '../main/services/verify/checkpoint-file';
import { DEFAULT_SKEW_SECONDS, type CompletenessOptions } from '../main/services/verify/completeness';
import { UsageError } from './cli-support';

export const COMPLETENESS_OPTIONS = {
  'expect-from': { type: 'string' },
  'expect-through': { type: 'string' },
  checkpoint: { type: 'string' },
  skew: { type: 'string' },
} as const;

/** Longer than any clock can be wrong by: a typo, not a tolerance. */
const MAX_SKEW_SECONDS = 366 * 86_400;

export interface CompletenessFlags {
  'expect-from'?: string;
  'expect-through'?: string;
  checkpoint?: string;
  skew?: string;
}

/** The options the flags name; a bad date, tolerance or checkpoint file is a usage error (exit 2). */
export async function completenessOptions(v: CompletenessFlags): Promise<CompletenessOptions> {
  const day = (name: string, raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    if (!isCalendarDay(raw)) throw new UsageError(`--${name} takes a UTC day YYYY-MM-DD, not "${raw}"`);
    return raw;
  };
  const expectFrom = day('expect-from', v['expect-from']);
  const expectThrough = day('expect-through', v['expect-through']);
  if (expectFrom !== undefined && expectThrough !== undefined && expectFrom > expectThrough) {
    throw new UsageError(`--expect-from ${expectFrom} is after --expect-through ${expectThrough}`);
  }
  let skewSeconds = DEFAULT_SKEW_SECONDS;
  if (v.skew !== undefined) {
    skewSeconds = Number(v.skew);
    if (v.skew.trim() === '' || !Number.isFinite(skewSeconds) || skewSeconds < 0 || skewSeconds > MAX_SKEW_SECONDS) {
      throw new UsageError(`--skew takes a number of seconds from 0 to ${MAX_SKEW_SECONDS}, not "${v.skew}"`);
    }
  }
  const out: CompletenessOptions = { skewSeconds };
  if (expectFrom !== undefined) out.expectFrom = expectFrom;
  if (expectThrough !== undefined) out.expectThrough = expectThrough;
  if (v.checkpoint !== undefined) {
    try {
      out.checkpoint = await readCheckpointFile(v.checkpoint);
    } catch (e) {
      if (e instanceof CheckpointFileError) throw new UsageError(e.message);
      throw e;
    }
  }
  return out;
}
