import { z } from 'zod';
import { FindingKind } from './findings';
import { ReportFinding, type VerificationReport } from './verification-report';

// What the archive's verification report says about a selection of records (an export's): per
// involved day file, whether its records are proven (intact, the day signed by a trusted key),
// signed only by a key the user has not trusted, in a file with findings, altered themselves, or
// unsealed. The export wizard, the PDF cover, the XLSX "About" sheet and `alog export` all word
// this one result; none of them recomputes a check of its own. A mark is "proven" only where the
// report has no finding at all against the record's file and its digest.

/** How far one record is backed by the verification report. */
export const RECORD_TRUST = ['proven', 'untrusted_key', 'altered', 'finding', 'file_findings', 'unsealed', 'unknown'] as const;
export const RecordTrust = z.enum(RECORD_TRUST);
export type RecordTrust = z.infer<typeof RecordTrust>;

/** How far one day file is backed by the report (its own findings and its digest's). */
export const FileTrust = z.enum(['proven', 'untrusted_key', 'findings', 'unsealed', 'unknown']);
export type FileTrust = z.infer<typeof FileTrust>;

/** Findings of a record's own line that mean the record itself changed. */
const ALTERED_KINDS: ReadonlySet<FindingKind> = new Set(['record_hash_mismatch']);

export const FileFinding = ReportFinding.extend({
  /** The data file or digest file the finding names. */
  file: z.string(),
});
export type FileFinding = z.infer<typeof FileFinding>;

export const DayIntegrity = z.object({
  date: z.string(),
  file: z.string(),
  /** The day's digest file, when there is one. */
  digest: z.string().nullable(),
  keyId: z.string().nullable(),
  trust: FileTrust,
  /** Selected records of this day. */
  records: z.number().int().nonnegative(),
  /** Of those, on a line with a finding that says the record changed (record_hash_mismatch). */
  altered: z.number().int().nonnegative(),
  /** Of those, on a line with any other finding. */
  withFinding: z.number().int().nonnegative(),
  /** Every finding of the file and of its digest. */
  findings: z.number().int().nonnegative(),
  findingKinds: z.array(FindingKind),
});
export type DayIntegrity = z.infer<typeof DayIntegrity>;

export const SelectionIntegrity = z.object({
  /** Whether a verification report was there to read (false: nothing is known yet). */
  verified: z.boolean(),
  sealed: z.boolean(),
  records: z.number().int().nonnegative(),
  /** Per record trust, counted over the selection. */
  counts: z.record(RecordTrust, z.number().int().nonnegative()),
  days: z.array(DayIntegrity),
  /** Key ids that signed the involved days and are not trusted. */
  untrustedKeys: z.array(z.string()),
  /** Findings of the involved files and digests, at most `FINDINGS_LISTED`; `findingsTotal` counts all. */
  findings: z.array(FileFinding),
  findingsTotal: z.number().int().nonnegative(),
  /** When the report was made. */
  reportFinishedAt: z.string().nullable(),
});
export type SelectionIntegrity = z.infer<typeof SelectionIntegrity>;

/** Findings carried in a SelectionIntegrity for the wizard (a report lists them all from the report itself). */
export const FINDINGS_LISTED = 200;

/** The report's view of one day file: its findings, its digest's, and the trust that follows. */
export interface FileIntegrity {
  file: string;
  trust: FileTrust;
  digest: string | null;
  keyId: string | null;
  /** The file's findings, then its digest's. */
  findings: FileFinding[];
  /** Finding kinds per line of the file (1-based), for marking records. */
  lineKinds: Map<number, FindingKind[]>;
}

/** Reads one day file's standing out of the report. */
export function fileIntegrity(report: VerificationReport | null, file: string): FileIntegrity {
  const fr = report?.files.find((f) => f.file === file);
  const dr = report?.digests.find((d) => d.file === file) ?? null;
  if (!report || !fr) return { file, trust: 'unknown', digest: dr?.digest ?? null, keyId: dr?.keyId ?? null, findings: [], lineKinds: new Map() };
  const findings: FileFinding[] = [...fr.findings.map((f) => ({ ...f, file })), ...(dr?.findings ?? []).map((f) => ({ ...f, file: dr!.digest }))];
  const lineKinds = new Map<number, FindingKind[]>();
  for (const f of fr.findings) {
    if (f.line === undefined) continue;
    const kinds = lineKinds.get(f.line);
    if (kinds) kinds.push(f.kind);
    else lineKinds.set(f.line, [f.kind]);
  }
  let trust: FileTrust;
  if (fr.status === 'unsealed' || !report.summary.sealed) trust = findings.length > 0 ? 'findings' : 'unsealed';
  else if (fr.status === 'unreadable') trust = 'findings';
  else if (findings.some((f) => f.kind !== 'untrusted_key')) trust = 'findings';
  else if (findings.length > 0) trust = 'untrusted_key';
  else trust = fr.status === 'valid' ? 'proven' : 'findings';
  return { file, trust, digest: dr?.digest ?? null, keyId: dr?.keyId ?? null, findings, lineKinds };
}

/** One record's standing: its own line's findings first, then its file's. */
export function recordTrust(fi: FileIntegrity, line: number): RecordTrust {
  const kinds = fi.lineKinds.get(line);
  if (kinds?.some((k) => ALTERED_KINDS.has(k))) return 'altered';
  if (kinds && kinds.length > 0) return 'finding';
  switch (fi.trust) {
    case 'proven':
      return 'proven';
    case 'untrusted_key':
      return 'untrusted_key';
    case 'findings':
      return 'file_findings';
    case 'unsealed':
      return 'unsealed';
    case 'unknown':
      return 'unknown';
  }
}

function emptyCounts(): Record<RecordTrust, number> {
  return Object.fromEntries(RECORD_TRUST.map((k) => [k, 0])) as Record<RecordTrust, number>;
}

/**
 * The report's view of a selection: `days` holds, per involved day file, the selected line
 * numbers. Every record is counted under exactly one trust.
 */
export function selectionIntegrity(
  report: VerificationReport | null,
  days: readonly { date: string; file: string; lines: ArrayLike<number> }[],
  reportFinishedAt: string | null = null,
): SelectionIntegrity {
  const counts = emptyCounts();
  const out: DayIntegrity[] = [];
  const untrusted = new Set<string>();
  const findings: FileFinding[] = [];
  let findingsTotal = 0;
  let records = 0;
  for (const day of days) {
    const fi = fileIntegrity(report, day.file);
    let altered = 0;
    let withFinding = 0;
    for (let i = 0; i < day.lines.length; i++) {
      const t = recordTrust(fi, day.lines[i]!);
      counts[t]++;
      if (t === 'altered') altered++;
      else if (t === 'finding') withFinding++;
    }
    records += day.lines.length;
    if (fi.keyId && fi.findings.some((f) => f.kind === 'untrusted_key')) untrusted.add(fi.keyId);
    findingsTotal += fi.findings.length;
    for (const f of fi.findings) if (findings.length < FINDINGS_LISTED) findings.push(f);
    const kinds = [...new Set(fi.findings.map((f) => f.kind))];
    out.push({
      date: day.date,
      file: day.file,
      digest: fi.digest,
      keyId: fi.keyId,
      trust: fi.trust,
      records: day.lines.length,
      altered,
      withFinding,
      findings: fi.findings.length,
      findingKinds: kinds,
    });
  }
  return {
    verified: report !== null,
    sealed: report?.summary.sealed ?? false,
    records,
    counts,
    days: out,
    untrustedKeys: [...untrusted].sort(),
    findings,
    findingsTotal,
    reportFinishedAt,
  };
}

/** True only when the report proves every record of the selection. */
export function selectionProven(s: SelectionIntegrity): boolean {
  return s.verified && s.sealed && s.records > 0 && s.counts.proven === s.records;
}

/** Short words for a record's trust, as every report and view writes them. */
export const RECORD_TRUST_WORDS: Record<RecordTrust, string> = {
  proven: 'proven',
  untrusted_key: 'key not trusted',
  altered: 'ALTERED',
  finding: 'finding',
  file_findings: 'unproven',
  unsealed: 'unsealed',
  unknown: 'not verified',
};

/**
 * The selection's integrity in plain sentences, worst first. The first line is the verdict; a
 * green word ("proven") appears only when every record is.
 */
export function integritySentences(s: SelectionIntegrity): { tone: 'good' | 'warn' | 'bad' | 'neutral'; lines: string[] } {
  const n = (k: number, one: string, many = `${one}s`): string => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;
  if (!s.verified) return { tone: 'neutral', lines: ['Integrity not known yet: the archive has not been verified.'] };
  if (s.records === 0) return { tone: 'neutral', lines: ['No records selected.'] };
  if (!s.sealed) return { tone: 'warn', lines: [`Unsealed archive: none of the ${n(s.records, 'record')} can be proven.`] };
  if (selectionProven(s)) {
    return { tone: 'good', lines: [`All ${n(s.records, 'record')} proven: intact, and every involved day is signed by a trusted key with no finding.`] };
  }
  const c = s.counts;
  const lines: string[] = [];
  const bad = c.altered + c.finding + c.file_findings;
  lines.push(
    bad > 0
      ? `${n(s.records - c.proven, 'record')} of ${s.records.toLocaleString('en-US')} not proven; ${n(c.proven, 'record')} proven.`
      : `${n(s.records - c.proven, 'record')} of ${s.records.toLocaleString('en-US')} not proven (key not trusted); ${n(c.proven, 'record')} proven.`,
  );
  if (c.altered > 0) lines.push(`${n(c.altered, 'record')} altered: the content no longer hashes to its record_hash.`);
  if (c.finding > 0) lines.push(`${n(c.finding, 'record')} with a verification finding on its own line.`);
  if (c.file_findings > 0) {
    const kinds = [...new Set(s.days.filter((d) => d.trust === 'findings').flatMap((d) => d.findingKinds))].filter((k) => k !== 'untrusted_key');
    lines.push(`${n(c.file_findings, 'record')} in day files with findings (${kinds.join(', ')}): unproven.`);
  }
  if (c.untrusted_key > 0) {
    lines.push(
      `${n(c.untrusted_key, 'record')} signed by ${s.untrustedKeys.length === 1 ? `key ${s.untrustedKeys[0]}` : `keys ${s.untrustedKeys.join(', ')}`}, which you have not trusted: authentic only if that is the publisher's key.`,
    );
  }
  if (c.unsealed > 0) lines.push(`${n(c.unsealed, 'record')} unsealed: cannot be proven.`);
  if (c.unknown > 0) lines.push(`${n(c.unknown, 'record')} in files the verification did not cover.`);
  return { tone: bad > 0 ? 'bad' : 'warn', lines };
}
