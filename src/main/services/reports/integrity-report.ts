// The integrity report: an archive's verification report as a PDF an auditor reads without the
// tool (`alog verify --report FILE.pdf`, the Integrity view's "Save integrity report…"): the
// verdict, how verification works, the keys trusted, every day file and digest with its standing,
// every finding with its plain-words explanation, the notices, the tool's version and the time.
// Nothing in it is recomputed: it words the report it is given, and says "passed" only for checks
// with no finding. Written to a temp file and renamed into place (never half a report).
import { stat } from 'node:fs/promises';
import type { FindingKind } from '../../../shared/findings';
import { FINDING_EXPLANATIONS, WARNING_EXPLANATIONS, type WarningKind } from '../../../shared/findings';
import { FILE_VERDICT_WORDS } from '../../../shared/integrity-class';
import { dayFindings } from '../../../shared/selection-integrity';
import type { Completeness, DigestSignature, FileReport, FileVerdict, VerificationReport } from '../../../shared/verification-report';
import { checkDestination, removeStaleTemps, SafeOutput } from '../export/safe-output';
import { FileSink } from '../export/writers/file-sink';
import { renderPdf, type PdfReport, type Tone } from './pdf-document';

/** Warnings listed one by one (all are counted by kind). */
const WARNINGS_LISTED = 500;

export interface IntegrityReportInput {
  report: VerificationReport;
  /** When the verification finished (ISO), if known. */
  verifiedAt: string | null;
  tool: { name: string; version: string };
  /** Keys the verification trusted: id and where each came from. */
  trustedKeys: { keyId: string; source: string }[];
  /** When the report is written (ISO); default now. */
  createdAt?: string;
}

/** A day file's standing: the report's verdict in words, with what it rests on. */
function fileStanding(f: FileReport, signature: DigestSignature | undefined): string {
  const word = FILE_VERDICT_WORDS[f.verdict];
  switch (f.verdict) {
    case 'verified':
      return `${word}: every check passed`;
    case 'untrusted_key':
      return signature === 'unknown_key'
        ? `${word}: unknown key, signature not checked`
        : `${word}: authentic only if the key is the publisher's`;
    case 'invalid':
      return `${word.toUpperCase()}: findings`;
    case 'unsealed':
      return `${word}: nothing to check`;
    case 'unreadable':
      return word.toUpperCase();
  }
}

const VERDICT_COLOR: Record<FileVerdict, string> = {
  verified: '#1d5e20',
  untrusted_key: '#7a4b00',
  invalid: '#8a1c12',
  unreadable: '#8a1c12',
  unsealed: '#555555',
};

const SIGNATURE_WORDS: Record<DigestSignature, string> = {
  trusted: 'valid, key trusted',
  untrusted_key: 'valid, key NOT trusted',
  unknown_key: 'unknown key: not checked',
  invalid: 'INVALID',
  none: '(no digest to check)',
};

/** The archive's verdict in words: the report's verdict (VERIFIED only when it says so), with its figures. */
export function integrityVerdict(r: VerificationReport): { headline: string; tone: Tone; lines: string[] } {
  const s = r.summary;
  const bad = r.files.filter((f) => f.verdict === 'invalid' || f.verdict === 'unreadable').length;
  const lines = [
    `${s.dayFiles} day file(s), ${s.records.toLocaleString('en-US')} record(s), ${s.digests} digest(s); ${s.validFiles} file(s) and ${s.validDigests} digest(s) valid; ${s.findings.toLocaleString('en-US')} finding(s).`,
  ];
  switch (s.verdict) {
    case 'verified':
      return { headline: 'VERIFIED', tone: 'good', lines: [...lines, 'Every record, chain link and signed digest checks out under the trusted keys.'] };
    case 'untrusted_key':
      return {
        headline: 'NOT VERIFIED: signed by a key that is not trusted',
        tone: 'warn',
        lines: [...lines, `${s.untrustedKeyFiles} day file(s) are intact and signed, but by a key that was not trusted: they are authentic only if that key is the publisher's. Obtain the publisher's public key separately and verify again with it.`],
      };
    case 'unsealed':
      return { headline: 'UNSEALED: nothing could be verified', tone: 'warn', lines: [...lines, 'The archive carries no integrity seal: its records cannot be proven.'] };
    case 'invalid': {
      const why: string[] = [];
      if (bad > 0) why.push(`${bad} day file(s) have findings (listed below); their records cannot be trusted as sealed.`);
      if (s.untrustedKeyFiles > 0) why.push(`${s.untrustedKeyFiles} ${bad > 0 ? 'more are' : 'day file(s) are'} intact but signed by a key that was not trusted.`);
      const missing = r.completeness.missingDays.length + r.completeness.unlistedMissingDays;
      if (missing > 0) why.push(`${missing} day(s) of the period are missing: neither a day file nor a digest.`);
      const k = r.completeness.checkpoint;
      if (k && k.status !== 'same_history') why.push(`The archive is not the history verified on ${k.checkpoint.verified_at} (checkpoint of ${k.checkpoint.date}).`);
      return { headline: 'NOT VERIFIED: the archive has findings', tone: 'bad', lines: [...lines, ...why] };
    }
  }
}

function layout(r: PdfReport, input: IntegrityReportInput, createdAt: string): void {
  const rep = input.report;
  r.heading('Integrity report', 20);
  r.paragraph(`${input.tool.name} ${input.tool.version} · report written ${createdAt} (UTC) · verification finished ${input.verifiedAt ?? createdAt} (UTC)`, { color: '#555555' });
  r.gap(0.5);
  const v = integrityVerdict(rep);
  r.verdictBox(v.headline, v.lines, v.tone);
  r.heading('Archive', 12);
  r.keyValue('Path', rep.archive);
  r.keyValue('Sealed', rep.summary.sealed ? 'yes: records carry a hash and a chain link; each day has a signed digest' : 'no');
  r.keyValue('Verified', `${rep.summary.bytes.toLocaleString('en-US')} bytes (uncompressed) in ${rep.summary.seconds.toFixed(2)} s; schema checked on ${rep.summary.schemaChecked === 'all' ? 'every record' : 'records off the fast path'}`);
  r.keyValue('Keys trusted', input.trustedKeys.length > 0 ? input.trustedKeys.map((k) => `${k.keyId} (${k.source})`).join('; ') : 'none: no digest signature can be proven authentic');
  for (const k of rep.keys) {
    r.keyValue(
      `Signing key ${k.keyId}`,
      `signs ${k.digests} digest(s); ${k.trusted ? 'trusted' : 'NOT trusted'}; ${k.shippedFile ? `shipped in the archive as ${k.shippedFile} (a shipped key alone proves nothing)` : 'not shipped in the archive'}`,
      k.trusted ? '#222222' : '#7a4b00',
    );
  }
  completeness(r, rep.completeness);
  r.gap(0.5);
  r.heading('How to read this report', 12);
  r.paragraph(
    'Each record of a sealed archive carries a record_hash (SHA-256 of its canonical JSON) and a chain_hash linking it to the record before. ' +
      'Each day file has a digest, signed with Ed25519 by the publisher, that records the file\'s content hash, the Merkle root of its record hashes, its chain head and record count. ' +
      'Verification recomputes all of these from the files and checks each digest\'s signature under the trusted keys only: a key shipped inside the archive proves nothing, since whoever can rewrite the archive can also add a key. ' +
      'A day file is valid only when no finding concerns it or its digest.',
    { size: 8.5 },
  );
  r.gap(0.6);

  r.heading('Day files', 12);
  r.table(
    [
      { label: 'Day file', width: 210 },
      { label: 'Standing', width: 250 },
      { label: 'Records', width: 60, align: 'right' },
      { label: 'Lines', width: 60, align: 'right' },
      { label: 'Bytes', width: 90, align: 'right' },
      { label: 'Findings', width: r.width - 670, align: 'right' },
    ],
    rep.files.map((f) => {
      const signature = f.digest === null ? undefined : rep.digests.find((d) => d.digest === f.digest)?.signature;
      return {
        cells: [f.file, fileStanding(f, signature), String(f.records), String(f.lines), String(f.bytes), String(dayFindings(rep, f.file).length)],
        colors: [undefined, VERDICT_COLOR[f.verdict]],
      };
    }),
    { fontSize: 8 },
  );
  if (rep.digests.length > 0) {
    r.heading('Digests', 12);
    r.table(
      [
        { label: 'Digest', width: 220 },
        { label: 'Day file', width: 190 },
        { label: 'Verdict', width: 70 },
        { label: 'Key id', width: 110, mono: true },
        { label: 'Signature', width: 100 },
        { label: 'Findings', width: r.width - 690 },
      ],
      rep.digests.map((d) => ({
        cells: [d.digest, d.file ?? '(none)', FILE_VERDICT_WORDS[d.verdict], d.keyId ?? '', SIGNATURE_WORDS[d.signature], d.findings.map((f) => f.kind).join(', ') || 'none'],
        colors: [undefined, undefined, VERDICT_COLOR[d.verdict], undefined, d.signature === 'trusted' ? '#1d5e20' : d.signature === 'invalid' ? '#8a1c12' : '#7a4b00'],
      })),
      { fontSize: 8 },
    );
  }

  const all = [
    ...rep.files.flatMap((f) => f.findings.map((x) => ({ ...x, file: f.file }))),
    ...rep.digests.flatMap((d) => d.findings.map((x) => ({ ...x, file: d.digest }))),
    // Completeness findings name a day the archive lacks, by the file expected for it.
    ...rep.completeness.findings.map((x) => ({ ...x, file: `${x.file} (not in the archive)` })),
  ];
  r.heading(`Findings (${all.length.toLocaleString('en-US')})`, 12);
  if (all.length === 0) r.paragraph(rep.summary.sealed ? 'None: every check passed.' : 'None; the archive is unsealed, so there was nothing to check.');
  const kinds = [...new Set(all.map((f) => f.kind))] as FindingKind[];
  for (const kind of kinds) {
    const of = all.filter((f) => f.kind === kind);
    r.ensureRoom(60);
    r.paragraph(`${kind} (${of.length.toLocaleString('en-US')})`, { bold: true, size: 10, color: kind === 'untrusted_key' ? '#7a4b00' : '#8a1c12' });
    r.paragraph(FINDING_EXPLANATIONS[kind], { size: 8.5, color: '#333333' });
    r.gap(0.2);
    r.table(
      [
        { label: 'File', width: 230 },
        { label: 'Line', width: 50, align: 'right' },
        { label: 'Seq', width: 60, align: 'right' },
        { label: 'What was found', width: r.width - 340 },
      ],
      of.map((f) => ({ cells: [f.file, f.line !== undefined ? String(f.line) : '', f.seq !== undefined ? String(f.seq) : '', f.message] })),
      { fontSize: 7.5 },
    );
  }
  if (rep.completeness.unlistedMissingDays > 0) {
    r.paragraph(`${rep.completeness.unlistedMissingDays.toLocaleString('en-US')} more missing_day finding(s), not listed (the first 1,000 are).`, { size: 8.5, color: '#8a1c12' });
  }
  warnings(r, rep);
  if (rep.notices.length > 0) {
    r.heading(`Notes (${rep.notices.length})`, 12);
    r.paragraph('Worth knowing, but not findings: they do not make a file invalid.', { size: 8, color: '#555555' });
    r.table(
      [
        { label: 'Where', width: 250 },
        { label: 'Note', width: r.width - 250 },
      ],
      rep.notices.map((n) => ({ cells: [n.file ? (n.line ? `${n.file}:${n.line}` : n.file) : '(archive)', n.message] })),
      { fontSize: 7.5 },
    );
  }
  r.heading('What each kind of finding means', 12);
  for (const [k, text] of Object.entries(FINDING_EXPLANATIONS)) r.keyValue(k, text, '#222222', 170);
}

/** The calendar the archive covers, the period it must cover and the checkpoint it was checked against. */
function completeness(r: PdfReport, c: Completeness): void {
  const missing = c.missingDays.length + c.unlistedMissingDays;
  r.keyValue('Days', c.firstDay && c.lastDay ? `${c.firstDay} to ${c.lastDay}` : 'no day in the archive');
  if (c.expected) {
    const { from, through } = c.expected;
    r.keyValue('Expected period', from !== null && through !== null ? `${from} to ${through}` : from !== null ? `from ${from}` : `through ${through}`);
  }
  r.keyValue(
    'Missing days',
    missing === 0 ? 'none: every day of the period has a day file or a digest' : `${missing.toLocaleString('en-US')} MISSING: ${c.missingDays.slice(0, 60).join(', ')}${missing > 60 ? ', …' : ''}`,
    missing === 0 ? '#222222' : '#8a1c12',
  );
  const k = c.checkpoint;
  if (k) {
    const as = `${k.checkpoint.date} (checkpoint made ${k.checkpoint.verified_at})`;
    if (k.status === 'same_history') {
      r.keyValue('Checkpoint', `same history as on ${as}, extended by ${k.extendedBy} day(s)${k.newestDay && k.extendedBy > 0 ? ` through ${k.newestDay}` : ''}`);
    } else if (k.status === 'mismatch') {
      r.keyValue('Checkpoint', `MISMATCH: the archive is not the history of ${as} (checkpoint_mismatch below)`, '#8a1c12');
    } else {
      r.keyValue('Checkpoint', `the history up to ${as} matches, but the days after it do not chain to it without findings (see the findings)`, '#8a1c12');
    }
  } else {
    r.keyValue('Checkpoint', 'none: the history was not compared with an earlier verification');
  }
}

/** Consistency warnings: what the producer sealed that cannot be right. They change no verdict. */
function warnings(r: PdfReport, rep: VerificationReport): void {
  const total = rep.summary.warnings;
  if (total === 0) return;
  r.heading(`Consistency warnings (${total.toLocaleString('en-US')})`, 12);
  r.paragraph('Records sealed as the producer wrote them, but that cannot be right. Warnings are not findings: they make no file invalid and change no verdict.', { size: 8, color: '#555555' });
  for (const [kind, count] of Object.entries(rep.summary.warningsByKind) as [WarningKind, number][]) {
    r.keyValue(`${kind} (${count.toLocaleString('en-US')})`, WARNING_EXPLANATIONS[kind], '#7a4b00', 170);
  }
  const listed = rep.files.flatMap((f) => f.warnings.map((w) => ({ ...w, file: f.file })));
  const shown = listed.slice(0, WARNINGS_LISTED);
  r.table(
    [
      { label: 'Warning', width: 130 },
      { label: 'File', width: 190 },
      { label: 'Line', width: 45, align: 'right' },
      { label: 'Seq', width: 55, align: 'right' },
      { label: 'What was found', width: r.width - 420 },
    ],
    shown.map((w) => ({ cells: [w.kind, w.file, w.line !== undefined ? String(w.line) : '', w.seq !== undefined ? String(w.seq) : '', w.message] })),
    { fontSize: 7.5 },
  );
  if (total > shown.length) r.paragraph(`${(total - shown.length).toLocaleString('en-US')} more warning(s) not listed here (alog verify --json lists the kept ones, and counts all).`, { size: 8, color: '#555555' });
}

/** Writes the integrity report PDF to `out` (refusing a place inside the archive), atomically. */
export async function writeIntegrityReport(input: IntegrityReportInput, out: string, opts: { overwrite?: boolean } = {}): Promise<{ file: string; bytes: number; pages: number }> {
  const file = await checkDestination(out, { archiveRoot: input.report.archive, overwrite: opts.overwrite ?? false });
  await removeStaleTemps(file);
  const createdAt = input.createdAt ?? new Date().toISOString();
  const output = await SafeOutput.create(file, opts.overwrite ?? false);
  try {
    const sink = new FileSink(output.tempPath, file);
    const { pages } = await renderPdf(
      sink.stream,
      {
        title: `Integrity report: ${input.report.archive}`,
        footer: `${input.tool.name} ${input.tool.version} · integrity report of ${input.report.archive} · ${createdAt}`,
        creator: `${input.tool.name} ${input.tool.version}`,
      },
      (r) => layout(r, input, createdAt),
      (e) => sink.fail(e),
    );
    await sink.closePiped();
    const { size } = await stat(output.tempPath);
    await output.commit();
    return { file, bytes: size, pages };
  } finally {
    await output.discard();
  }
}
