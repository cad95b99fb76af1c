// The archive-level half of verification: from each day file's own result (made by a worker, or
// read back from the index cache, which stores the very same result) to the report of the whole
// archive: the chain stitched across days, archive-wide duplicate ids, the digests loaded and
// their signatures checked under the keys trusted now, each digest compared with its file, and the
// verdicts. `alog verify` and the index's verification both end here, so for the same archive and
// keys they give the same report.
import type { Finding, FindingKind, Notice, OmittedWarnings, Warning, WarningKind } from '../../../shared/findings';
import { CHAIN_GENESIS } from '../../../shared/seal';
import type {
  ArchiveVerdict,
  DigestReport,
  FileReport,
  FileStatus,
  FileVerdict,
  NewestDay,
  ReportFinding,
  ReportWarning,
  SigningKey,
  VerificationReport,
} from '../../../shared/verification-report';
import type { ArchiveLayout, DayFile } from '../archive/layout';
import { loadPublicKeyFile, type PublicKeyEntry } from '../keys/keys';
import { ActivationIdSet, unpackActivationId, type PackedIds } from './activation-id-set';
import { checkDigestChain, compareWithFile, digestHash, digestSignature, loadDigest, type LoadedDigest } from './digests';
import { checkLink, type ChainLink, type DayFileResult, type SchemaCheck } from './verify-file';
import { checkCalendar, checkCheckpoint, checkpointStatus, DEFAULT_SKEW_SECONDS, type CompletenessOptions } from './completeness';
import { WARNINGS_KEPT_PER_FILE, type TimedRecord } from './consistency';

/** A day file's own verification result, without the ids (which only the duplicate check needs). */
export type FileResult = Omit<DayFileResult, 'ids'>;
/** A day file's result, or why it could not be read. */
export type FileOutcome = FileResult | { error: string };

export interface AssembleInput {
  layout: ArchiveLayout;
  /** Every day file's outcome, by name. */
  outcomes: ReadonlyMap<string, FileOutcome>;
  /** Duplicate activation ids across files (`crossFileDuplicates`). */
  duplicates: readonly Finding[];
  trustedKeys: readonly PublicKeyEntry[];
  schema?: SchemaCheck;
  /** The expected period, the checkpoint and the timestamp tolerance (completeness-erasure.md, sections 1-2). */
  completeness?: CompletenessOptions;
  /** performance.now() when the verification began, for `summary.seconds`. */
  started: number;
}

/** What the report is assembled from, apart from the keys: kept to work the verdict out again when they change. */
export type AssemblyParts = Omit<AssembleInput, 'trustedKeys' | 'started'>;

const GENESIS_LINK: ChainLink = { line: 0, seq: -1, recordHash: '', chainHash: CHAIN_GENESIS };

export async function assembleReport(input: AssembleInput): Promise<VerificationReport> {
  const { layout, outcomes } = input;
  const outcome = (f: DayFile): FileOutcome => outcomes.get(f.name) ?? { error: 'the file was not verified' };
  const shipped = new Map<string, PublicKeyEntry>();
  const notices: Notice[] = layout.notices.map((message) => ({ file: '', message }));
  for (const k of layout.keys) {
    try {
      const entry = await loadPublicKeyFile(k.path);
      shipped.set(entry.keyId, { ...entry, source: k.name });
    } catch (e) {
      notices.push({ file: k.name, message: (e as Error).message });
    }
  }
  const trusted = new Map(input.trustedKeys.map((k) => [k.keyId, k]));
  const sealed = layout.digests.length > 0 || layout.dayFiles.some((f) => {
    const r = outcome(f);
    return !('error' in r) && r.sealedRecords > 0;
  });

  const fileFindings = new Map<string, Finding[]>(layout.dayFiles.map((f) => [f.name, []]));
  const addFinding = (f: Finding) => fileFindings.get(f.file)?.push(f);

  // Per-file findings and notices, as the workers found them.
  for (const f of layout.dayFiles) {
    const r = outcome(f);
    if ('error' in r) continue;
    r.findings.forEach(addFinding);
    notices.push(...r.notices);
    if (sealed) {
      for (const line of r.unsealedLines) addFinding({ kind: 'unsealed_record', file: f.name, line, message: 'record has no integrity member in a sealed archive: it was added outside the producer' });
    }
  }

  const chainHeads = stitchChain(layout.dayFiles, outcome, addFinding);
  input.duplicates.forEach(addFinding);

  // Digests: load, signature, link, and comparison with their data files.
  const loaded: LoadedDigest[] = await Promise.all(layout.digests.map(loadDigest));
  const chainFindings = checkDigestChain(loaded);

  // Completeness: the calendar, the expected period, the checkpoint (no day file is read for them).
  const options = input.completeness ?? {};
  const calendar = checkCalendar(layout, options);
  const completenessFindings = [...calendar.findings];
  const lastSeqOn = (date: string): number | null => {
    const f = layout.dayFiles.filter((x) => x.date === date).at(-1);
    const link = f && chainHeads.get(f.name);
    return link && link.seq >= 0 ? link.seq : null;
  };
  const checkpoint = options.checkpoint ? checkCheckpoint(options.checkpoint, loaded, calendar.lastDay, lastSeqOn) : undefined;
  if (checkpoint?.finding) completenessFindings.push(checkpoint.finding);
  if (checkpoint?.onDigest) {
    const { digest, finding } = checkpoint.onDigest;
    chainFindings.set(digest, [...(chainFindings.get(digest) ?? []), finding]);
  }
  const digestOf = new Map<string, { loaded: LoadedDigest; report: DigestReport }>();
  const digestReports: DigestReport[] = loaded.map((ld) => {
    const signed = digestSignature(ld, trusted, shipped);
    const findings = [...ld.findings, ...signed.findings, ...(chainFindings.get(ld) ?? [])];
    let file: string | null = ld.digest?.file ?? null;
    let dayFile: DayFile | undefined;
    if (ld.digest) {
      dayFile = layout.dayFiles.find((f) => f.name === ld.digest!.file) ?? layout.dayFiles.find((f) => f.date === ld.digest!.date);
      if (!dayFile) {
        findings.push({ kind: 'missing_file', file: ld.source.name, message: `the digest names ${ld.digest.file}, which is not in the archive` });
      } else {
        file = dayFile.name;
        if (dayFile.name !== ld.digest.file) {
          notices.push({ file: dayFile.name, message: `the digest names ${ld.digest.file}; compared with ${dayFile.name}, the same day` });
        }
        const r = outcome(dayFile);
        if (!('error' in r)) compareWithFile(ld.digest, r, chainHeads.get(dayFile.name)?.chainHash).forEach(addFinding);
      }
    }
    ld.findings = findings;
    const report: DigestReport = {
      digest: ld.source.name,
      file,
      status: findings.length === 0 ? 'valid' : 'invalid',
      verdict: findings.length === 0 ? 'verified' : findings.every((f) => f.kind === 'untrusted_key') ? 'untrusted_key' : 'invalid',
      keyId: ld.digest?.key_id ?? null,
      signature: signed.signature,
      findings: findings.map(toReportFinding),
    };
    if (dayFile) digestOf.set(dayFile.name, { loaded: ld, report });
    return report;
  });
  if (sealed) {
    for (const f of layout.dayFiles) {
      if (!digestOf.has(f.name)) addFinding({ kind: 'missing_digest', file: f.name, message: `no digest signs this file (expected digests/activations-${f.date}.digest.json)` });
    }
  }
  const warnings = fileWarnings(layout.dayFiles, outcome, options.skewSeconds ?? DEFAULT_SKEW_SECONDS);

  const fileReports: FileReport[] = layout.dayFiles.map((f) => {
    const r = outcome(f);
    const findings = sortFindings(fileFindings.get(f.name)!);
    const digest = digestOf.get(f.name);
    let status: FileStatus;
    let verdict: FileVerdict;
    if ('error' in r) {
      status = 'unreadable';
      verdict = 'unreadable';
    } else if (!sealed) {
      status = findings.length > 0 ? 'invalid' : 'unsealed';
      verdict = findings.length > 0 ? 'invalid' : 'unsealed';
    } else {
      const intact = findings.length === 0 && r.complete && digest !== undefined;
      status = intact && digest.report.status === 'valid' ? 'valid' : 'invalid';
      verdict = intact ? digest.report.verdict : 'invalid';
    }
    if ('error' in r) findings.unshift({ kind: 'malformed_line', file: f.name, message: `cannot read the file: ${r.error}` });
    return {
      file: f.name,
      status,
      verdict,
      digest: digest?.report.digest ?? null,
      records: 'error' in r ? 0 : r.records,
      lines: 'error' in r ? 0 : r.lines,
      bytes: 'error' in r ? 0 : r.bytes,
      findings: findings.map(toReportFinding),
      warnings: warnings.get(f.name)!.kept.map(toReportWarning),
      omittedWarnings: warnings.get(f.name)!.omitted,
    };
  });

  // The checkpoint's outcome, once every day's findings are known.
  const dayKinds = new Map<string, string[]>();
  const addKinds = (date: string, kinds: readonly { kind: string }[]) => dayKinds.set(date, [...(dayKinds.get(date) ?? []), ...kinds.map((k) => k.kind)]);
  for (const f of layout.dayFiles) addKinds(f.date, fileReports.find((x) => x.file === f.name)!.findings);
  loaded.forEach((ld, i) => addKinds(ld.source.date, digestReports[i]!.findings));
  const checkpointCheck = options.checkpoint
    ? checkpointStatus(options.checkpoint, checkpoint!.matched, calendar.lastMissingDay, dayKinds, calendar.lastDay)
    : null;

  const newest = newestDay(calendar.lastDay, layout, fileReports, loaded, digestReports, lastSeqOn);

  const allFindings = [...fileReports.flatMap((f) => f.findings), ...digestReports.flatMap((d) => d.findings), ...completenessFindings];
  const findingsByKind: Partial<Record<FindingKind, number>> = {};
  for (const f of allFindings) findingsByKind[f.kind] = (findingsByKind[f.kind] ?? 0) + 1;
  if (calendar.unlistedMissingDays > 0) findingsByKind.missing_day = (findingsByKind.missing_day ?? 0) + calendar.unlistedMissingDays;
  const findingCount = allFindings.length + calendar.unlistedMissingDays;
  const warningsByKind: Partial<Record<WarningKind, number>> = {};
  let warningCount = 0;
  for (const f of fileReports) {
    for (const w of f.warnings) warningsByKind[w.kind] = (warningsByKind[w.kind] ?? 0) + 1;
    for (const o of f.omittedWarnings) warningsByKind[o.kind] = (warningsByKind[o.kind] ?? 0) + o.count;
  }
  for (const n of Object.values(warningsByKind)) warningCount += n;
  const count = (s: FileStatus) => fileReports.filter((f) => f.status === s).length;
  const ok = sealed && findingCount === 0 && fileReports.length > 0;
  let verdict: ArchiveVerdict;
  if (ok) verdict = 'verified';
  else if (!sealed) verdict = findingCount > 0 ? 'invalid' : 'unsealed';
  else verdict = fileReports.length > 0 && allFindings.every((f) => f.kind === 'untrusted_key') ? 'untrusted_key' : 'invalid';

  return {
    archive: layout.root,
    summary: {
      sealed,
      verdict,
      dayFiles: fileReports.length,
      validFiles: count('valid'),
      invalidFiles: count('invalid'),
      untrustedKeyFiles: fileReports.filter((f) => f.verdict === 'untrusted_key').length,
      unsealedFiles: count('unsealed'),
      unreadableFiles: count('unreadable'),
      digests: digestReports.length,
      validDigests: digestReports.filter((d) => d.status === 'valid').length,
      records: fileReports.reduce((n, f) => n + f.records, 0),
      findings: findingCount,
      findingsByKind,
      bytes: fileReports.reduce((n, f) => n + f.bytes, 0),
      seconds: (performance.now() - input.started) / 1000,
      schemaChecked: input.schema ?? 'changed',
      ok,
      warnings: warningCount,
      warningsByKind,
      skewSeconds: options.skewSeconds ?? DEFAULT_SKEW_SECONDS,
    },
    files: fileReports,
    digests: digestReports,
    keys: signingKeys(digestReports, trusted, shipped),
    completeness: {
      firstDay: calendar.firstDay,
      lastDay: calendar.lastDay,
      expected:
        options.expectFrom !== undefined || options.expectThrough !== undefined ? { from: options.expectFrom ?? null, through: options.expectThrough ?? null } : null,
      missingDays: calendar.missingDays,
      unlistedMissingDays: calendar.unlistedMissingDays,
      checkpoint: checkpointCheck,
      newest,
      findings: completenessFindings.map((f) => ({ ...toReportFinding(f), file: f.file })),
    },
    notices,
  };
}

/**
 * The newest day, with what a checkpoint of it records: verified when its day file(s) and its
 * digest are (no finding, signed by a trusted key).
 */
function newestDay(
  date: string | null,
  layout: ArchiveLayout,
  files: readonly FileReport[],
  loaded: readonly LoadedDigest[],
  digests: readonly DigestReport[],
  lastSeqOn: (date: string) => number | null,
): NewestDay | null {
  if (date === null) return null;
  const i = loaded.findIndex((d) => d.source.date === date);
  const d = i >= 0 ? loaded[i]!.digest : undefined;
  const dayFiles = layout.dayFiles.filter((f) => f.date === date).map((f) => files.find((r) => r.file === f.name)!);
  const verified = d !== undefined && digests[i]!.verdict === 'verified' && dayFiles.length > 0 && dayFiles.every((f) => f.verdict === 'verified');
  return {
    date,
    verified,
    digestSha256: d ? digestHash(d) : null,
    chainHead: d?.chain_head ?? null,
    keyId: d?.key_id ?? null,
    lastSeq: lastSeqOn(date),
  };
}

interface FileWarnings {
  kept: Warning[];
  omitted: OmittedWarnings[];
}

/**
 * Each day file's warnings: its own pass's, and its steps back in time beyond the tolerance, the
 * first record compared with the last of the day file before it; in line order, under the per-file cap.
 */
function fileWarnings(dayFiles: readonly DayFile[], outcome: (f: DayFile) => FileOutcome, skewSeconds: number): Map<string, FileWarnings> {
  const out = new Map<string, FileWarnings>();
  const skew = skewSeconds * 1_000_000;
  const back = (micros: number) => `${(micros / 1_000_000).toFixed(3)} s`;
  let previous: { file: string; timed: TimedRecord } | undefined;
  for (const f of dayFiles) {
    const r = outcome(f);
    if ('error' in r) {
      out.set(f.name, { kept: [], omitted: [] });
      continue;
    }
    const list: Warning[] = [...r.warnings];
    const omitted = new Map<WarningKind, OmittedWarnings>(r.omittedWarnings.map((o) => [o.kind, { ...o }]));
    const first = r.firstTimed;
    if (first && previous && previous.timed.micros - first.micros > skew) {
      list.push({
        kind: 'timestamp_out_of_order',
        file: f.name,
        line: first.line,
        ...(first.seq !== undefined ? { seq: first.seq } : {}),
        message: `the timestamp is ${back(previous.timed.micros - first.micros)} earlier than that of the last record of ${previous.file} (line ${previous.timed.line}); the tolerance is ${skewSeconds} s`,
      });
    }
    const steps = r.timestampSteps;
    for (let i = 0; i + 3 < steps.length; i += 4) {
      const [line, seq, previousLine, micros] = [steps[i]!, steps[i + 1]!, steps[i + 2]!, steps[i + 3]!];
      if (micros <= skew) continue;
      list.push({
        kind: 'timestamp_out_of_order',
        file: f.name,
        line,
        ...(seq >= 0 ? { seq } : {}),
        message: `the timestamp is ${back(micros)} earlier than that of the previous record (line ${previousLine}); the tolerance is ${skewSeconds} s`,
      });
    }
    list.sort((a, b) => a.line! - b.line!);
    const kept = list.slice(0, WARNINGS_KEPT_PER_FILE);
    for (const w of list.slice(WARNINGS_KEPT_PER_FILE)) {
      const o = omitted.get(w.kind);
      if (o) {
        o.count++;
        o.firstLine = Math.min(o.firstLine, w.line!);
        o.lastLine = Math.max(o.lastLine, w.line!);
      } else omitted.set(w.kind, { kind: w.kind, count: 1, firstLine: w.line!, lastLine: w.line! });
    }
    out.set(f.name, { kept, omitted: [...omitted.values()] });
    if (r.lastTimed) previous = { file: f.name, timed: r.lastTimed };
  }
  return out;
}

function toReportWarning(w: Warning): ReportWarning {
  const out: ReportWarning = { kind: w.kind, message: w.message, ...placeOf(w) };
  if (w.rule !== undefined) out.rule = w.rule;
  return out;
}

/** The keys the digests name, in the order they first sign a day. */
function signingKeys(digests: readonly DigestReport[], trusted: ReadonlyMap<string, PublicKeyEntry>, shipped: ReadonlyMap<string, PublicKeyEntry>): SigningKey[] {
  const keys = new Map<string, SigningKey>();
  for (const d of digests) {
    if (d.keyId === null) continue;
    const k = keys.get(d.keyId);
    if (k) k.digests++;
    else keys.set(d.keyId, { keyId: d.keyId, trusted: trusted.has(d.keyId), shippedFile: shipped.get(d.keyId)?.source ?? null, digests: 1 });
  }
  return [...keys.values()];
}

/**
 * The chain runs across day files in date order, from 32 zero bytes at seq 0. Returns each file's
 * chain head: its last record's chain_hash, or, for a day without sealed records, the head carried
 * over from the day before (what a producer signs for an empty day).
 */
function stitchChain(dayFiles: readonly DayFile[], outcome: (f: DayFile) => FileOutcome, addFinding: (f: Finding) => void): Map<string, ChainLink> {
  const heads = new Map<string, ChainLink>();
  let prev = GENESIS_LINK;
  let prevFile = '(start of the archive)';
  for (const f of dayFiles) {
    const r = outcome(f);
    if (!('error' in r) && r.head && r.tail) {
      checkLink(prev, r.head, (x) => addFinding({ ...x, file: f.name }), prevFile);
      prev = r.tail;
      prevFile = f.name;
    }
    heads.set(f.name, prev);
  }
  return heads;
}

/**
 * Activation ids seen in an earlier day file, reported at their first sighting in each later file.
 * `idsOf` gives a file's ids, each the first sighting within that file (its in-file duplicates are
 * the file's own findings), or undefined for a file that could not be read.
 */
export function crossFileDuplicates(dayFiles: readonly DayFile[], idsOf: (file: DayFile) => PackedIds | undefined): Finding[] {
  const out: Finding[] = [];
  const all = dayFiles.map(idsOf);
  // Sized for every id at once: growing the table rehashes everything seen so far.
  const seen = new ActivationIdSet(all.reduce((n, ids) => n + (ids ? ids.lines.length + ids.otherIds.length : 0), 0));
  dayFiles.forEach((f, fileIndex) => {
    const ids = all[fileIndex];
    if (!ids) return;
    const report = (id: string, line: number, earlier: number) =>
      out.push({ kind: 'duplicate_activation_id', file: f.name, line, message: `activation_id ${id} already appears in ${dayFiles[earlier]!.name}` });
    const { bytes: b, lines, otherIds, otherLines } = ids;
    for (let i = 0, o = 0; i < lines.length; i++, o += 16) {
      const earlier = seen.addWords(word(b, o), word(b, o + 4), word(b, o + 8), word(b, o + 12), fileIndex);
      if (earlier !== undefined && earlier !== fileIndex) report(unpackActivationId(b, o), lines[i]!, earlier);
    }
    otherIds.forEach((id, i) => {
      const earlier = seen.addIfAbsent(id, fileIndex);
      if (earlier !== undefined && earlier !== fileIndex) report(id, otherLines[i]!, earlier);
    });
  });
  return out;
}

/** The big-endian 32-bit word at `b[o, o + 4)`, as ActivationIdSet keys packed ids. */
function word(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Line findings in line order, then the file-level ones they explain (counts, roots, heads). */
function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

function toReportFinding(f: Finding): ReportFinding {
  const out: ReportFinding = { kind: f.kind, message: f.message, ...placeOf(f) };
  if (f.date !== undefined) out.date = f.date;
  return out;
}

/** Where a finding or warning is, its absent members left out (the report's entry names the file). */
function placeOf(x: { line?: number; seq?: number; offset?: number }): { line?: number; seq?: number; offset?: number } {
  const out: { line?: number; seq?: number; offset?: number } = {};
  if (x.line !== undefined) out.line = x.line;
  if (x.seq !== undefined) out.seq = x.seq;
  if (x.offset !== undefined) out.offset = x.offset;
  return out;
}
