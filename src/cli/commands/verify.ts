import { FINDING_EXPLANATIONS, WARNING_EXPLANATIONS } from '../../shared/findings';
import type { Completeness, OmittedWarningsList, ReportFinding, ReportWarning, VerificationReport } from '../../shared/verification-report';
import { ArchiveNotFoundError } from '../../main/services/archive/layout';
import { checkpointOf, checkpointPathProblem, CheckpointFileError, writeCheckpointFile, type CheckpointRefusal } from '../../main/services/verify/checkpoint-file';
import { VerificationCancelledError, verifyArchive } from '../../main/services/verify/verify-archive';
import { UsageError, VERSION, abortOnInterrupt, createPool, loadTrustedKeys, progressLine, parseCommandLine } from '../cli-support';
import { COMPLETENESS_OPTIONS, completenessOptions } from '../completeness-options';
import { writeIntegrityReport } from '../../main/services/reports/integrity-report';
import { ExportDestinationError } from '../../main/services/export/safe-output';
import { TOOL_NAME } from '../../main/services/export/export-service';
import { formatBytes, safeForTerminal, table } from '../format';
import { verdictLines } from '../verdict';
import { FILE_VERDICT_WORDS } from '../../shared/integrity-class';

const SHOWN_PER_KIND = 20;

/** Exit code when `--write-checkpoint` was asked for and no checkpoint could be written (the report is still printed). */
export const EXIT_NO_CHECKPOINT = 3;

export async function runVerify(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'trust-key': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'line-cap': { type: 'string' },
    schema: { type: 'string' },
    report: { type: 'string' },
    overwrite: { type: 'boolean' },
    'write-checkpoint': { type: 'string' },
    ...COMPLETENESS_OPTIONS,
  });
  const [archive, ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('verify takes exactly one ARCHIVE folder');
  const lineCap = parsed.values['line-cap'] !== undefined ? Number(parsed.values['line-cap']) : undefined;
  if (lineCap !== undefined && !(Number.isInteger(lineCap) && lineCap > 0)) throw new UsageError('--line-cap takes a positive number of bytes');

  const schema = parsed.values.schema;
  if (schema !== undefined && schema !== 'all' && schema !== 'changed') throw new UsageError('--schema takes "all" or "changed"');

  const trustedKeys = await loadTrustedKeys(parsed.values['trust-key']);
  const completeness = await completenessOptions(parsed.values);
  const checkpointOut = parsed.values['write-checkpoint'];
  if (checkpointOut !== undefined) {
    const problem = checkpointPathProblem(checkpointOut, archive);
    if (problem) throw new UsageError(`--write-checkpoint: ${problem}`);
  }

  const pool = createPool();
  const cancel = abortOnInterrupt();
  const bar = progressLine('verifying');
  try {
    const report = await verifyArchive(archive, {
      pool,
      trustedKeys,
      lineCap,
      schema,
      completeness,
      signal: cancel.signal,
      onProgress: (p) => bar.update(p.doneBytes, p.totalBytes),
    });
    bar.clear();
    let written: Awaited<ReturnType<typeof writeIntegrityReport>> | undefined;
    if (parsed.values.report !== undefined) {
      try {
        written = await writeIntegrityReport(
          { report, verifiedAt: new Date().toISOString(), tool: { name: TOOL_NAME, version: VERSION }, trustedKeys: trustedKeys.map((k) => ({ keyId: k.keyId, source: k.source })) },
          parsed.values.report,
          { overwrite: parsed.values.overwrite ?? false },
        );
      } catch (e) {
        if (e instanceof ExportDestinationError) {
          process.stderr.write(`alog: ${safeForTerminal(e.message)}\n`);
          return 2;
        }
        throw e;
      }
    }
    let code = report.summary.ok ? 0 : 1;
    // The checkpoint is made from this very report (never from the archive read again).
    const made = checkpointOut !== undefined ? checkpointOf(report, new Date()) : undefined;
    if (made && 'refused' in made) code = EXIT_NO_CHECKPOINT;
    // Set before writing: a reader that closes the pipe early (`| head`) ends the process from the
    // EPIPE handler in alog.ts with process.exitCode, which must already be this verdict, not 0.
    process.exitCode = code;
    process.stdout.write(parsed.values.json ? JSON.stringify(report, withoutOffsets, 2) + '\n' : renderReport(report));
    if (written) process.stderr.write(`integrity report: ${safeForTerminal(written.file)} (${written.pages} page(s), ${formatBytes(written.bytes)})\n`);
    if (made && checkpointOut !== undefined) {
      if ('refused' in made) {
        process.stderr.write(`alog: checkpoint not written: ${refusalText(made.refused)}\n`);
      } else {
        try {
          await writeCheckpointFile(checkpointOut, made.checkpoint);
        } catch (e) {
          if (!(e instanceof CheckpointFileError)) throw e;
          process.stderr.write(`alog: ${e.message}\n`);
          process.exitCode = 2;
          return 2;
        }
        process.stderr.write(`checkpoint of ${made.checkpoint.date} written to ${safeForTerminal(checkpointOut)}\n`);
      }
    }
    return code;
  } catch (e) {
    bar.clear();
    if (e instanceof ArchiveNotFoundError) {
      process.stderr.write(`alog: ${e.message}\n`);
      return 2;
    }
    if (e instanceof VerificationCancelledError) {
      process.stderr.write('alog: verification cancelled\n');
      return 130;
    }
    throw e;
  } finally {
    await pool.close();
  }
}

function refusalText(r: CheckpointRefusal): string {
  switch (r.reason) {
    case 'no_day':
      return 'the archive holds no day';
    case 'newest_day_not_verified':
      return `the newest day, ${r.date}, did not verify (a finding concerns its file or digest, or its key is not trusted): a checkpoint records only a verified day`;
    case 'checkpoint_mismatch':
      return `the archive does not match the checkpoint of ${r.date}: writing a new one would record the changed history as the same`;
    case 'chain_broken':
      return `the digest chain after the checkpoint of ${r.date} is broken: writing a new one would record it as whole`;
  }
}

/** `--json` keeps to the spec's finding shape; byte offsets are for the app's record reader. */
function withoutOffsets(key: string, value: unknown): unknown {
  return key === 'offset' ? undefined : value;
}

function renderFinding(file: string, f: ReportFinding): string {
  const where = f.line !== undefined ? `${file}:${f.line}` : file;
  const seq = f.seq !== undefined ? `  (seq ${f.seq})` : '';
  return `  ${safeForTerminal(where)}  ${f.kind}${seq}\n      ${FINDING_EXPLANATIONS[f.kind]}\n      ${safeForTerminal(f.message)}\n`;
}

function renderFindings(file: string, findings: readonly ReportFinding[]): string {
  return renderCapped(file, findings, (f) => renderFinding(file, f));
}

function renderWarnings(file: string, warnings: readonly ReportWarning[], omitted: OmittedWarningsList): string {
  const render = (w: ReportWarning) => {
    const where = w.line !== undefined ? `${file}:${w.line}` : file;
    return `  ${safeForTerminal(where)}  ${w.kind}${w.rule ? ` (${w.rule})` : ''}${w.seq !== undefined ? `  (seq ${w.seq})` : ''}\n      ${safeForTerminal(w.message)}\n`;
  };
  return renderCapped(file, warnings, render, new Map(omitted.map((o) => [o.kind, o.count])));
}

/** Items of a file, at most SHOWN_PER_KIND of each kind, then a count of the rest (and of `unlisted` ones) per kind. */
function renderCapped<T extends { kind: string }>(file: string, items: readonly T[], render: (item: T) => string, unlisted = new Map<string, number>()): string {
  let out = '';
  const shownByKind = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const item of items) {
    const n = shownByKind.get(item.kind) ?? 0;
    if (n >= SHOWN_PER_KIND) {
      hidden.set(item.kind, (hidden.get(item.kind) ?? 0) + 1);
      continue;
    }
    shownByKind.set(item.kind, n + 1);
    out += render(item);
  }
  for (const [kind, n] of unlisted) hidden.set(kind, (hidden.get(kind) ?? 0) + n);
  for (const [kind, n] of hidden) out += `  … ${n} more ${kind} in ${safeForTerminal(file)} (alog verify --json lists them${unlisted.size > 0 ? ', up to 1000 per file' : ' all'})\n`;
  return out;
}

/** The calendar, the expected period and the checkpoint, in a few lines. */
export function renderCompleteness(c: Completeness): string {
  let out = '';
  if (c.firstDay && c.lastDay) out += `Period   ${c.firstDay} to ${c.lastDay}`;
  else out += 'Period   no day in the archive';
  if (c.expected) {
    const { from, through } = c.expected;
    out += from !== null && through !== null ? `; expected ${from} to ${through}` : from !== null ? `; expected from ${from}` : `; expected through ${through}`;
  }
  const missing = c.missingDays.length + c.unlistedMissingDays;
  out += missing === 0 ? '; no day missing\n' : `; ${missing} day(s) MISSING: ${c.missingDays.slice(0, 10).join(', ')}${missing > 10 ? ', …' : ''}\n`;
  const k = c.checkpoint;
  if (k) {
    const as = `${k.checkpoint.date} (checkpoint made ${k.checkpoint.verified_at})`;
    if (k.status === 'same_history') out += `Checkpoint  same history as on ${as}, extended by ${k.extendedBy} day(s)${k.newestDay && k.extendedBy > 0 ? ` through ${k.newestDay}` : ''}\n`;
    else if (k.status === 'mismatch') out += `Checkpoint  MISMATCH: the archive is not the history of ${as} (checkpoint_mismatch below)\n`;
    else out += `Checkpoint  the history up to ${as} matches, but the days after it do not chain to it without findings (see below)\n`;
  }
  return out;
}

const SIGNATURE_WORD: Record<VerificationReport['digests'][number]['signature'], string> = {
  trusted: 'valid, trusted key',
  untrusted_key: 'valid, key not trusted',
  unknown_key: 'unknown key, not checked',
  invalid: 'INVALID',
  none: '-',
};

export function renderReport(r: VerificationReport): string {
  const s = r.summary;
  let out = `Archive  ${safeForTerminal(r.archive)}\n`;
  out += `         ${s.sealed ? 'sealed' : 'UNSEALED (no integrity seal: nothing can be verified)'}, ${s.dayFiles} day file(s), ${s.records} record(s), ${formatBytes(s.bytes)} uncompressed\n\n`;

  const digestProblem = new Map(r.digests.filter((d) => d.file && d.findings.length > 0).map((d) => [d.file!, d.findings.map((f) => f.kind).join(', ')]));
  out += table(
    ['FILE', 'STATUS', 'RECORDS', 'FINDINGS', 'NOTE'],
    r.files.map((f) => [
      safeForTerminal(f.file),
      FILE_VERDICT_WORDS[f.verdict],
      String(f.records),
      String(f.findings.length),
      digestProblem.has(f.file) ? `its digest: ${digestProblem.get(f.file)}` : '',
    ]),
    ['left', 'left', 'right', 'right', 'left'],
  );
  if (r.digests.length > 0) {
    out += '\n' + table(
      ['DIGEST', 'STATUS', 'KEY', 'SIGNATURE', 'FINDINGS'],
      r.digests.map((d) => [safeForTerminal(d.digest), FILE_VERDICT_WORDS[d.verdict], d.keyId ?? '-', SIGNATURE_WORD[d.signature], String(d.findings.length)]),
      ['left', 'left', 'left', 'left', 'right'],
    );
  }

  out += '\n' + renderCompleteness(r.completeness);

  const missing = new Map<string, ReportFinding[]>();
  for (const f of r.completeness.findings) missing.set(f.file, [...(missing.get(f.file) ?? []), f]);
  const withFindings = [
    ...r.files.map((f) => [f.file, f.findings] as const),
    ...r.digests.map((d) => [d.digest, d.findings] as const),
    ...[...missing].map(([file, fs]) => [`${file} (not in the archive)`, fs] as const),
  ].filter(([, fs]) => fs.length > 0);
  if (withFindings.length > 0) {
    out += '\nFindings\n';
    for (const [file, findings] of withFindings) out += renderFindings(file, findings);
  }
  if (r.completeness.unlistedMissingDays > 0) out += `  … ${r.completeness.unlistedMissingDays} more missing_day, not listed (the first 1000 are)\n`;
  const withWarnings = r.files.filter((f) => f.warnings.length > 0 || f.omittedWarnings.length > 0);
  if (withWarnings.length > 0) {
    out += '\nWarnings (consistency: sealed as written but implausible; they change no status, verdict or exit code)\n';
    for (const f of withWarnings) out += renderWarnings(f.file, f.warnings, f.omittedWarnings);
  }
  if (r.notices.length > 0) {
    out += '\nNotes\n';
    for (const n of r.notices) out += `  ${safeForTerminal(n.file ? (n.line ? `${n.file}:${n.line}` : n.file) : '(archive)')}  ${safeForTerminal(n.message)}\n`;
  }

  const kinds = Object.entries(s.findingsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  out += `\n${s.validFiles}/${s.dayFiles} day files valid, ${s.validDigests}/${s.digests} digests valid`;
  out += s.findings > 0 ? `, ${s.findings} finding(s): ${kinds}` : s.sealed ? ', no findings' : '';
  if (s.warnings > 0) out += `, ${s.warnings} warning(s)`;
  out += `  (${s.seconds.toFixed(2)} s)\n`;
  if (s.schemaChecked === 'changed') out += 'Schema checked on records off the fast path; --schema all checks every record.\n';
  out += verdictLines(r, true);
  return out;
}
