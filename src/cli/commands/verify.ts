import { FINDING_EXPLANATIONS } from '../../shared/findings';
import type { ReportFinding, VerificationReport } from '../../shared/verification-report';
import { ArchiveNotFoundError } from '../../main/services/archive/layout';
import { VerificationCancelledError, verifyArchive } from '../../main/services/verify/verify-archive';
import { UsageError, VERSION, abortOnInterrupt, createPool, loadTrustedKeys, progressLine, parseCommandLine } from '../cli-support';
import { writeIntegrityReport } from '../../main/services/reports/integrity-report';
import { ExportDestinationError } from '../../main/services/export/safe-output';
import { TOOL_NAME } from '../../main/services/export/export-service';
import { formatBytes, safeForTerminal, table } from '../format';
import { verdictLines } from '../verdict';
import { FILE_VERDICT_WORDS } from '../../shared/integrity-class';

const SHOWN_PER_KIND = 20;

export async function runVerify(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'trust-key': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'line-cap': { type: 'string' },
    schema: { type: 'string' },
    report: { type: 'string' },
    overwrite: { type: 'boolean' },
  });
  const [archive, ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('verify takes exactly one ARCHIVE folder');
  const lineCap = parsed.values['line-cap'] !== undefined ? Number(parsed.values['line-cap']) : undefined;
  if (lineCap !== undefined && !(Number.isInteger(lineCap) && lineCap > 0)) throw new UsageError('--line-cap takes a positive number of bytes');

  const schema = parsed.values.schema;
  if (schema !== undefined && schema !== 'all' && schema !== 'changed') throw new UsageError('--schema takes "all" or "changed"');

  const trustedKeys = await loadTrustedKeys(parsed.values['trust-key']);

  const pool = createPool();
  const cancel = abortOnInterrupt();
  const bar = progressLine('verifying');
  try {
    const report = await verifyArchive(archive, {
      pool,
      trustedKeys,
      lineCap,
      schema,
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
          process.stderr.write(`alog: ${safeForTerminal(e.message.replace('(pass --overwrite to replace it)', '(pass --overwrite to replace it)'))}\n`);
          return 2;
        }
        throw e;
      }
    }
    const code = report.summary.ok ? 0 : 1;
    // Set before writing: a reader that closes the pipe early (`| head`) ends the process from the
    // EPIPE handler in alog.ts with process.exitCode, which must already be this verdict, not 0.
    process.exitCode = code;
    process.stdout.write(parsed.values.json ? JSON.stringify(report, withoutOffsets, 2) + '\n' : renderReport(report));
    if (written) process.stderr.write(`integrity report: ${safeForTerminal(written.file)} (${written.pages} page(s), ${formatBytes(written.bytes)})\n`);
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
  let out = '';
  const shownByKind = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const f of findings) {
    const n = shownByKind.get(f.kind) ?? 0;
    if (n >= SHOWN_PER_KIND) {
      hidden.set(f.kind, (hidden.get(f.kind) ?? 0) + 1);
      continue;
    }
    shownByKind.set(f.kind, n + 1);
    out += renderFinding(file, f);
  }
  for (const [kind, n] of hidden) out += `  … ${n} more ${kind} in ${safeForTerminal(file)} (alog verify --json lists them all)\n`;
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

  const withFindings = [...r.files.map((f) => [f.file, f.findings] as const), ...r.digests.map((d) => [d.digest, d.findings] as const)].filter(
    ([, fs]) => fs.length > 0,
  );
  if (withFindings.length > 0) {
    out += '\nFindings\n';
    for (const [file, findings] of withFindings) out += renderFindings(file, findings);
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
  out += `  (${s.seconds.toFixed(2)} s)\n`;
  if (s.schemaChecked === 'changed') out += 'Schema checked on records off the fast path; --schema all checks every record.\n';
  out += verdictLines(r, true);
  return out;
}
