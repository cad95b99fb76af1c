// Completeness (completeness-erasure.md, section 1): the calendar, the expected period and the
// checkpoint, from the archive's layout and its digests alone: no day file is read, so these
// checks cost the same (a few microseconds per day) whether the per-file results come from
// `alog verify`'s workers or from the index cache.
import { dayNumber, dayOfNumber, isCalendarDay, type Checkpoint } from '../../../shared/checkpoint';
import type { Finding } from '../../../shared/findings';
import type { Completeness, CompletenessFinding } from '../../../shared/verification-report';
import type { ArchiveLayout } from '../archive/layout';
import { digestHash, type LoadedDigest } from './digests';

export interface CompletenessOptions {
  /** The first UTC day (YYYY-MM-DD) the archive must cover. */
  expectFrom?: string;
  /** The last UTC day the archive must cover. */
  expectThrough?: string;
  /** The user's checkpoint of an earlier verification. */
  checkpoint?: Checkpoint;
  /** How far back (seconds) a record's timestamp may step before it is `timestamp_out_of_order`. */
  skewSeconds?: number;
}

export const DEFAULT_SKEW_SECONDS = 5;

/** `missing_day` findings listed one by one; past this many they are counted (a hostile digest dated year 9999 must not make millions). */
export const MISSING_DAYS_LISTED = 1000;

/** Kinds that, on a day after the checkpoint's, mean the chain from it to the newest day is not whole. */
const CHAIN_KINDS = new Set(['digest_chain_break', 'malformed_digest', 'signature_invalid', 'missing_file', 'missing_digest']);

export function digestNameOf(date: string): string {
  return `digests/activations-${date}.digest.json`;
}

export interface CalendarResult {
  firstDay: string | null;
  lastDay: string | null;
  missingDays: string[];
  /** Missing days past MISSING_DAYS_LISTED, counted but not listed. */
  unlistedMissingDays: number;
  /** The latest missing day, listed or not. */
  lastMissingDay: string | null;
  findings: CompletenessFinding[];
}

/**
 * Days with neither a day file nor a digest: between the first and the last day present, and over
 * the expected period (each bound defaulting to the archive's own first or last day).
 */
export function checkCalendar(layout: ArchiveLayout, opts: CompletenessOptions): CalendarResult {
  const present = new Set<number>();
  for (const f of layout.dayFiles) if (isCalendarDay(f.date)) present.add(dayNumber(f.date));
  for (const d of layout.digests) if (isCalendarDay(d.date)) present.add(dayNumber(d.date));
  let first = Infinity;
  let last = -Infinity;
  for (const n of present) {
    if (n < first) first = n;
    if (n > last) last = n;
  }
  const firstDay = present.size > 0 ? dayOfNumber(first) : null;
  const lastDay = present.size > 0 ? dayOfNumber(last) : null;
  const from = opts.expectFrom !== undefined ? dayNumber(opts.expectFrom) : first;
  const through = opts.expectThrough !== undefined ? dayNumber(opts.expectThrough) : last;
  // The calendar runs over the archive's own days and the expected period alike.
  let lo = Math.min(first, Number.isFinite(from) ? from : through);
  let hi = Math.max(last, Number.isFinite(through) ? through : from);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { firstDay, lastDay, missingDays: [], unlistedMissingDays: 0, lastMissingDay: null, findings: [] };
  lo = Math.max(lo, dayNumber('0000-01-01'));
  hi = Math.min(hi, dayNumber('9999-12-31'));
  const missingDays: string[] = [];
  const findings: CompletenessFinding[] = [];
  let unlisted = 0;
  let lastMissing = NaN;
  for (let n = lo; n <= hi; n++) {
    if (present.has(n)) continue;
    const expected = n >= from && n <= through;
    const between = n > first && n < last;
    if (!expected && !between) continue;
    lastMissing = n;
    if (missingDays.length >= MISSING_DAYS_LISTED) {
      unlisted++;
      continue;
    }
    const date = dayOfNumber(n);
    missingDays.push(date);
    const why = between
      ? `no day file and no digest for ${date}, between the archive's first day ${firstDay} and last day ${lastDay}: the day was removed, or never written`
      : n > last || present.size === 0
        ? `no day file and no digest for ${date}, which the expected period covers (through ${dayOfNumber(through)}): ${present.size === 0 ? 'the archive holds no day at all' : `the archive ends on ${lastDay}`}`
        : `no day file and no digest for ${date}, which the expected period covers (from ${dayOfNumber(from)}): the archive starts on ${firstDay}`;
    findings.push({ kind: 'missing_day', file: `activations-${date}.jsonl`, date, message: why });
  }
  return { firstDay, lastDay, missingDays, unlistedMissingDays: unlisted, lastMissingDay: Number.isNaN(lastMissing) ? null : dayOfNumber(lastMissing), findings };
}

export interface CheckpointResult {
  /** A mismatch on a digest present in the archive (listed with that digest). */
  onDigest?: { digest: LoadedDigest; finding: Finding };
  /** A mismatch whose day has no digest in the archive. */
  finding?: CompletenessFinding;
  matched: boolean;
}

/**
 * Whether the digest of the checkpoint's day is the one it recorded (its JCS hash, and the chain
 * head, key and last seq the checkpoint copied from it). The chain from it to the newest day is
 * judged afterwards from the digests' own findings (`checkpointStatus`).
 */
export function checkCheckpoint(
  cp: Checkpoint,
  loaded: readonly LoadedDigest[],
  lastDay: string | null,
  /** The seq of the last record through a day, as the chain was followed. */
  lastSeqOn: (date: string) => number | null,
): CheckpointResult {
  const digestFile = digestNameOf(cp.date);
  const mismatch = (message: string): CompletenessFinding => ({ kind: 'checkpoint_mismatch', file: digestFile, date: cp.date, message });
  const ld = loaded.find((d) => d.source.date === cp.date);
  if (!ld) {
    if (lastDay === null) return { matched: false, finding: mismatch(`the checkpoint of ${cp.date} names a digest, but the archive holds no day at all`) };
    if (cp.date > lastDay) {
      return {
        matched: false,
        finding: mismatch(`the archive ends on ${lastDay}, before the checkpoint's day ${cp.date}: the days after ${lastDay} were removed from its end`),
      };
    }
    return { matched: false, finding: mismatch(`the archive has no digest for ${cp.date}, the day the checkpoint recorded: it was removed`) };
  }
  const onDigest = (message: string): CheckpointResult => ({
    matched: false,
    onDigest: { digest: ld, finding: { kind: 'checkpoint_mismatch', file: ld.source.name, date: cp.date, message } },
  });
  if (!ld.digest) return onDigest(`the digest of ${cp.date} cannot be read as a digest, so it is not the one the checkpoint recorded`);
  const hash = digestHash(ld.digest);
  if (hash !== cp.digest_sha256) {
    return onDigest(
      `the digest of ${cp.date} hashes to ${hash.slice(0, 16)}…, the checkpoint recorded ${cp.digest_sha256.slice(0, 16)}…: the day was rewritten or its digest replaced after the checkpoint`,
    );
  }
  const d = ld.digest;
  if (d.chain_head !== cp.chain_head || d.key_id !== cp.key_id || lastSeqOn(cp.date) !== cp.last_seq) {
    return onDigest(`the checkpoint's chain_head, key_id or last_seq differ from the digest whose hash it records: the checkpoint file was altered`);
  }
  return { matched: true };
}

/**
 * The checkpoint's outcome once every digest's findings are known: `mismatch` unless its digest
 * matched; `chain_broken` when a day after it has no digest or file, or its digest a finding other
 * than an untrusted key (`digestFindings`: the findings of each day's digest, by date).
 */
export function checkpointStatus(
  cp: Checkpoint,
  matched: boolean,
  lastMissingDay: string | null,
  dayFindings: ReadonlyMap<string, readonly string[]>,
  lastDay: string | null,
): Completeness['checkpoint'] {
  const extendedBy = lastDay !== null && lastDay > cp.date ? dayNumber(lastDay) - dayNumber(cp.date) : 0;
  const base = { checkpoint: cp, extendedBy, newestDay: lastDay };
  if (!matched) return { ...base, status: 'mismatch' };
  const broken =
    (lastMissingDay !== null && lastMissingDay > cp.date) ||
    [...dayFindings].some(([date, kinds]) => date > cp.date && kinds.some((k) => CHAIN_KINDS.has(k)));
  return { ...base, status: broken ? 'chain_broken' : 'same_history' };
}
