import { z } from 'zod';
import { FindingKind } from './findings';
import { CLASS_WORDS, dayIntegrity, intactRecordClass, recordClass, type IntegrityClass } from './integrity-class';
import { dayInPeriod, type Period } from './period';
import { DigestSignature, FileVerdict, ReportFinding, type VerificationReport } from './verification-report';

// What the archive's verification report says of a selection of records (an export's). Each
// record's standing is its integrity class (integrity-class.ts: what the grid's seal column, the
// record detail and `alog query` show), with `invalid` told apart by why, for the reports that mark
// each record: the record itself altered, another finding on its own line, or findings of its day
// file or digest. Each day's standing is the report's file verdict and digest signature. The export
// wizard, the PDF cover and table, the XLSX "About" sheet and `alog export` all word this one
// result; none of them classifies a record or a day on its own.

/** A record's integrity class, with `invalid` refined into `altered`, `finding` and `file_findings`. */
export const RECORD_STANDINGS = ['verified', 'untrusted_key', 'altered', 'finding', 'file_findings', 'unsealed', 'unknown'] as const;
export const RecordStanding = z.enum(RECORD_STANDINGS);
export type RecordStanding = z.infer<typeof RecordStanding>;

/** Findings of a record's own line that mean the record itself changed. */
const ALTERED_KINDS: ReadonlySet<FindingKind> = new Set(['record_hash_mismatch']);

/** Refines a record's class by the kinds of the findings on its own line. */
export function standingOf(cls: IntegrityClass, ownKinds: readonly FindingKind[]): RecordStanding {
  if (cls !== 'invalid') return cls;
  if (ownKinds.some((k) => ALTERED_KINDS.has(k))) return 'altered';
  return ownKinds.length > 0 ? 'finding' : 'file_findings';
}

/** The class a standing refines. */
export function classOfStanding(s: RecordStanding): IntegrityClass {
  return s === 'altered' || s === 'finding' || s === 'file_findings' ? 'invalid' : s;
}

/** A standing in a word: the class's word (CLASS_WORDS), `invalid` said with its reason. */
export const STANDING_WORDS: Record<RecordStanding, string> = {
  verified: CLASS_WORDS.verified,
  untrusted_key: CLASS_WORDS.untrusted_key,
  altered: 'ALTERED',
  finding: `${CLASS_WORDS.invalid} (finding)`,
  file_findings: `${CLASS_WORDS.invalid} (day)`,
  unsealed: CLASS_WORDS.unsealed,
  unknown: CLASS_WORDS.unknown,
};

/** What each standing word means, for a report's legend. */
export const STANDING_LEGEND: Record<RecordStanding, string> = {
  verified: 'intact, and its day is signed by a key you trust with no finding',
  untrusted_key: "intact, but its day is signed by a key you have not trusted: authentic only if that key is the publisher's",
  altered: 'the content no longer hashes to its record_hash: the record was changed',
  finding: "a verification finding names this record's line",
  file_findings: 'its day file or digest has findings, so no record of that day can be trusted',
  unsealed: 'the archive carries no seal: nothing could be checked',
  unknown: 'no verification result covers it',
};

export const FileFinding = ReportFinding.extend({
  /** The data file or digest file the finding names. */
  file: z.string(),
});
export type FileFinding = z.infer<typeof FileFinding>;

/** One involved day of a selection: the report's verdict on it and its selected records. */
export const SelectionDay = z.object({
  date: z.string(),
  file: z.string(),
  /** The report's verdict on the day file (null: the report does not cover it, or there is no report). */
  verdict: FileVerdict.nullable(),
  /** The day's digest file, when there is one, its key and how its signature checked. */
  digest: z.string().nullable(),
  keyId: z.string().nullable(),
  signature: DigestSignature.nullable(),
  /** Selected records of this day. */
  records: z.number().int().nonnegative(),
  /** Of those, altered themselves (a record_hash_mismatch on their line). */
  altered: z.number().int().nonnegative(),
  /** Of those, on a line with any other finding. */
  withFinding: z.number().int().nonnegative(),
  /** Findings of the file and of its digest, other than an untrusted key (which `signature` states). */
  findings: z.number().int().nonnegative(),
  findingKinds: z.array(FindingKind),
});
export type SelectionDay = z.infer<typeof SelectionDay>;

export const SelectionIntegrity = z.object({
  /** Whether a verification report was there to read (false: nothing is known yet). */
  verified: z.boolean(),
  sealed: z.boolean(),
  records: z.number().int().nonnegative(),
  /** Records by standing, over the selection. */
  counts: z.record(RecordStanding, z.number().int().nonnegative()),
  days: z.array(SelectionDay),
  /** Key ids that signed involved days and are not trusted: shipped in the archive (signature valid), or unknown (not checked). */
  untrustedKeys: z.array(z.string()),
  unknownKeys: z.array(z.string()),
  /**
   * Days of the selection's period that the archive lacks (no day file and no digest: the report's
   * `missing_day` findings): records of those days cannot be in the selection. Empty for a
   * selection of given rows, which claims no period.
   */
  missingDays: z.array(z.string()),
  /** Findings of the involved files and digests, and the completeness findings of the period, at most `FINDINGS_LISTED`; `findingsTotal` counts all. */
  findings: z.array(FileFinding),
  findingsTotal: z.number().int().nonnegative(),
  /** When the report was made. */
  reportFinishedAt: z.string().nullable(),
});
export type SelectionIntegrity = z.infer<typeof SelectionIntegrity>;

/** Findings carried in a SelectionIntegrity for the wizard (a report lists them all from the report itself). */
export const FINDINGS_LISTED = 200;

/** Every finding of a day file and of its digest, each naming the file it concerns. */
export function dayFindings(report: VerificationReport | null, file: string): FileFinding[] {
  const fr = report?.files.find((f) => f.file === file);
  if (!fr) return [];
  const dr = fr.digest === null ? undefined : report!.digests.find((d) => d.digest === fr.digest);
  return [...fr.findings.map((f) => ({ ...f, file })), ...(dr?.findings ?? []).map((f) => ({ ...f, file: dr!.digest }))];
}

/**
 * The report's completeness findings (a missing day, a checkpoint day without its digest) inside a
 * selection's period: they name a day, not a file of the selection. None for a selection without a
 * period (given rows).
 */
export function periodFindings(report: VerificationReport | null, period: Period | null): FileFinding[] {
  if (!report || !period) return [];
  return report.completeness.findings.filter((f) => f.date !== undefined && dayInPeriod(f.date, period));
}

/** What a selection's marking needs of one day: the class of its intact records and the finding kinds per line. */
export interface DayLines {
  intact: IntegrityClass;
  /** Finding kinds per line of the file (1-based). */
  lineKinds: ReadonlyMap<number, readonly FindingKind[]>;
}

export function dayLines(report: VerificationReport | null, file: string): DayLines {
  const lineKinds = new Map<number, FindingKind[]>();
  for (const f of report?.files.find((x) => x.file === file)?.findings ?? []) {
    if (f.line === undefined) continue;
    const kinds = lineKinds.get(f.line);
    if (kinds) kinds.push(f.kind);
    else lineKinds.set(f.line, [f.kind]);
  }
  return { intact: intactRecordClass(report, file), lineKinds };
}

/** One record's standing: its class (recordClass, as the index gives it) refined by its line's findings. */
export function recordStanding(day: DayLines, line: number): RecordStanding {
  const own = day.lineKinds.get(line) ?? [];
  return standingOf(recordClass(day.intact, own.length > 0), own);
}

function emptyCounts(): Record<RecordStanding, number> {
  return Object.fromEntries(RECORD_STANDINGS.map((k) => [k, 0])) as Record<RecordStanding, number>;
}

/**
 * The report's view of a selection: `days` holds, per involved day file, the selected line
 * numbers. Every record is counted under exactly one standing.
 */
export function selectionIntegrity(
  report: VerificationReport | null,
  days: readonly { date: string; file: string; lines: ArrayLike<number> }[],
  reportFinishedAt: string | null = null,
  period: Period | null = null,
): SelectionIntegrity {
  const counts = emptyCounts();
  const out: SelectionDay[] = [];
  const untrusted = new Set<string>();
  const unknownKeys = new Set<string>();
  const findings: FileFinding[] = [];
  let findingsTotal = 0;
  let records = 0;
  for (const day of days) {
    const lines = dayLines(report, day.file);
    let altered = 0;
    let withFinding = 0;
    for (let i = 0; i < day.lines.length; i++) {
      const s = recordStanding(lines, day.lines[i]!);
      counts[s]++;
      if (s === 'altered') altered++;
      else if (s === 'finding') withFinding++;
    }
    records += day.lines.length;
    const d = dayIntegrity(report, day.file);
    const keyId = d.key?.keyId ?? null;
    if (keyId && d.signature === 'untrusted_key') untrusted.add(keyId);
    if (keyId && d.signature === 'unknown_key') unknownKeys.add(keyId);
    const all = dayFindings(report, day.file);
    findingsTotal += all.length;
    for (const f of all) if (findings.length < FINDINGS_LISTED) findings.push(f);
    out.push({
      date: day.date,
      file: day.file,
      verdict: d.verdict,
      digest: d.digest,
      keyId,
      signature: d.signature,
      records: day.lines.length,
      altered,
      withFinding,
      findings: all.filter((f) => f.kind !== 'untrusted_key').length,
      findingKinds: d.findingKinds,
    });
  }
  const missingDays = new Set<string>();
  for (const f of periodFindings(report, period)) {
    if (f.kind === 'missing_day' && f.date !== undefined) missingDays.add(f.date);
    findingsTotal++;
    if (findings.length < FINDINGS_LISTED) findings.push(f);
  }
  return {
    verified: report !== null,
    sealed: report?.summary.sealed ?? false,
    records,
    counts,
    days: out,
    untrustedKeys: [...untrusted].sort(),
    unknownKeys: [...unknownKeys].sort(),
    missingDays: [...missingDays].sort(),
    findings,
    findingsTotal,
    reportFinishedAt,
  };
}

/** True only when the report verifies every record of the selection, and its period lacks no day. */
export function selectionVerified(s: SelectionIntegrity): boolean {
  return s.verified && s.sealed && s.records > 0 && s.counts.verified === s.records && s.missingDays.length === 0;
}

/** The selection's standing in the header's colours: green, amber (key not trusted, unsealed), red, grey. */
export type SelectionTone = 'good' | 'warn' | 'bad' | 'neutral';

/**
 * The selection's integrity in plain sentences, worst first. The first line is the verdict; the
 * green word "verified" appears only when every record is.
 */
export function integritySentences(s: SelectionIntegrity): { tone: SelectionTone; lines: string[] } {
  const n = (k: number, one: string, many = `${one}s`): string => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;
  const keys = (ids: readonly string[]): string => (ids.length === 1 ? `key ${ids[0]}` : `keys ${ids.join(', ')}`);
  if (!s.verified) return { tone: 'neutral', lines: ['Integrity not known yet: the archive has not been verified.'] };
  const missing =
    s.missingDays.length > 0
      ? [
          `${n(s.missingDays.length, 'day')} of the period missing from the archive (${s.missingDays.slice(0, 5).join(', ')}${s.missingDays.length > 5 ? ', …' : ''}): no day file and no digest, so records of ${s.missingDays.length === 1 ? 'that day' : 'those days'} cannot be in this export.`,
        ]
      : [];
  if (s.records === 0) return missing.length > 0 ? { tone: 'bad', lines: ['No records selected.', ...missing] } : { tone: 'neutral', lines: ['No records selected.'] };
  if (!s.sealed) {
    const bad = s.counts.altered + s.counts.finding;
    const lines = [`Unsealed archive: none of the ${n(s.records, 'record')} can be verified.`];
    if (bad > 0) lines.push(`${n(bad, 'record')} with a verification finding on its own line.`);
    lines.push(...missing);
    return { tone: bad > 0 || missing.length > 0 ? 'bad' : 'warn', lines };
  }
  if (s.counts.verified === s.records && missing.length > 0) {
    return { tone: 'bad', lines: [`All ${n(s.records, 'record')} verified, but the period is not complete.`, ...missing] };
  }
  if (selectionVerified(s)) {
    return { tone: 'good', lines: [`All ${n(s.records, 'record')} verified: intact, and every involved day is signed by a key you trust, with no finding.`] };
  }
  const c = s.counts;
  const lines: string[] = [];
  const bad = c.altered + c.finding + c.file_findings;
  const notVerified = s.records - c.verified;
  lines.push(
    bad > 0
      ? `${n(notVerified, 'record')} of ${s.records.toLocaleString('en-US')} not verified (${bad.toLocaleString('en-US')} invalid); ${n(c.verified, 'record')} verified.`
      : `${n(notVerified, 'record')} of ${s.records.toLocaleString('en-US')} not verified (key not trusted); ${n(c.verified, 'record')} verified.`,
  );
  if (c.altered > 0) lines.push(`${n(c.altered, 'record')} altered: the content no longer hashes to its record_hash.`);
  if (c.finding > 0) lines.push(`${n(c.finding, 'record')} with a verification finding on its own line.`);
  if (c.file_findings > 0) {
    const kinds = [...new Set(s.days.filter((d) => d.verdict === 'invalid' || d.verdict === 'unreadable').flatMap((d) => d.findingKinds))];
    lines.push(`${n(c.file_findings, 'record')} in day files with findings (${kinds.join(', ')}): invalid.`);
  }
  if (c.untrusted_key > 0) {
    const parts: string[] = [];
    if (s.untrustedKeys.length > 0) parts.push(`${keys(s.untrustedKeys)}, which you have not trusted: authentic only if that is the publisher's key`);
    if (s.unknownKeys.length > 0) parts.push(`${keys(s.unknownKeys)}, which is neither trusted nor shipped in the archive: the signature could not be checked`);
    lines.push(`${n(c.untrusted_key, 'record')} signed by ${parts.join('; and by ')}.`);
  }
  if (c.unsealed > 0) lines.push(`${n(c.unsealed, 'record')} unsealed: cannot be verified.`);
  if (c.unknown > 0) lines.push(`${n(c.unknown, 'record')} in files the verification did not cover.`);
  lines.push(...missing);
  return { tone: bad > 0 || missing.length > 0 ? 'bad' : 'warn', lines };
}
