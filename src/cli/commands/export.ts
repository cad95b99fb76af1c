// `alog export`: a redacted, verifiable export of a query's selection, as FILE plus FILE.manifest.json.
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPORT_FORMATS, ExportFormat } from '../../shared/export-manifest';
import { ColumnSpecError, columnFor } from '../../main/services/export/columns';
import { ExportCancelledError, ExportDestinationError, runExport, type ExportResult } from '../../main/services/export/export-service';
import { dayIntegrityWords, fullyVerified, verificationVerdict } from '../../main/services/export/report';
import { loadProfile } from '../../main/services/redaction/profiles';
import { KeyPairError, readPrivateKey } from '../../main/services/keys/key-pair';
import { QueryRequestError, QuerySyntaxError } from '../../main/services/query/query-engine';
import type { ExportProgress } from '../../shared/export-manifest';
import { UsageError, VERSION, parseCommandLine, trustedKeyMap } from '../cli-support';
import { formatBytes, safeForTerminal, table } from '../format';
import { CliExit, EXIT_CANCELLED, EXIT_UNREADABLE, openIndexForCli, VERIFICATION_OPTIONS, withIndexPool } from './index';
import { completenessOptions } from '../completeness-options';
import { queryError } from './query';

const PHASES: Record<ExportProgress['phase'], string> = {
  selecting: 'selecting',
  verifying: 'verifying archive',
  collecting: 'collecting names',
  writing: 'exporting',
  finishing: 'finishing',
};

/** A records progress line on stderr, only on a terminal. */
function recordProgress(): { update: (p: ExportProgress) => void; clear: () => void } {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let last = 0;
  let phaseStart = started;
  let phase = '';
  return {
    update(p) {
      if (!tty) return;
      const now = performance.now();
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStart = now;
      } else if (now - last < 100) return;
      last = now;
      const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
      const secs = (now - phaseStart) / 1000;
      const rate = secs > 0 ? p.done / secs : 0;
      const eta = rate > 0 ? Math.max(0, (p.total - p.done) / rate) : 0;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${PHASES[p.phase].padEnd(16)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}%  ${p.done}/${p.total} records  ${rate.toFixed(0)}/s  ETA ${eta.toFixed(0)}s  (Ctrl-C cancels) `,
      );
    },
    clear() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * The bundled redaction worker beside the bundled CLI, when the build made one (scripts/build-cli.mjs
 * entry `export-worker`). ALOG_EXPORT_WORKER=0 keeps redaction on the main thread.
 */
export function redactionWorkerFile(): string | undefined {
  if (process.env.ALOG_EXPORT_WORKER === '0') return undefined;
  const file = path.join(__dirname, 'export-worker.cjs');
  return existsSync(file) ? file : undefined;
}

export async function runExportCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    fields: { type: 'string' },
    'cache-dir': { type: 'string' },
    ...VERIFICATION_OPTIONS,
    bom: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'pdf-max-rows': { type: 'string' },
    key: { type: 'string' },
    operator: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [archive, query = '', ...extra] = parsed.positionals;
  const v = parsed.values;
  if (!archive || extra.length > 0) throw new UsageError('export takes ARCHIVE and at most one QUERY (quote it)');
  const format = ExportFormat.safeParse(v.format);
  if (!format.success) throw new UsageError(`--format takes one of ${EXPORT_FORMATS.join(', ')}`);
  if (!v.out) throw new UsageError('--out FILE is required');
  const fields = v.fields?.split(',').map((f) => f.trim()).filter(Boolean);
  try {
    fields?.forEach(columnFor);
  } catch (e) {
    if (e instanceof ColumnSpecError) throw new UsageError(`--fields: ${e.message}`);
    throw e;
  }
  let pdfMaxRows: number | undefined;
  if (v['pdf-max-rows'] !== undefined) {
    pdfMaxRows = Number(v['pdf-max-rows']);
    if (!Number.isInteger(pdfMaxRows) || pdfMaxRows < 1 || pdfMaxRows > 100_000) throw new UsageError('--pdf-max-rows takes a whole number from 1 to 100000');
  }
  // A ProfileError reaches alog.ts, which prints it and exits 2.
  const profile = await loadProfile(v.profile ?? 'external-auditor');
  const trustedKeys = await trustedKeyMap(v['trust-key']);
  const completeness = await completenessOptions(v);
  if (v.operator !== undefined && v.key === undefined) throw new UsageError('--operator names who signs the manifest: give --key EXPORTER.pem too');
  let exporter: { privateKey: KeyObject; operator: string } | undefined;
  if (v.key !== undefined) {
    try {
      exporter = { privateKey: await readPrivateKey(v.key), operator: v.operator ?? os.userInfo().username };
    } catch (e) {
      if (e instanceof KeyPairError) throw new UsageError(`--key: ${e.message}`);
      throw e;
    }
  }

  return withIndexPool(async (pool, interrupted) => {
    // SIGTERM cancels like Ctrl-C: the temp file is removed, nothing half-written stays behind.
    const cancel = new AbortController();
    const onTerm = (): void => cancel.abort();
    interrupted.addEventListener('abort', onTerm, { once: true });
    process.once('SIGTERM', onTerm);
    // The index pass verifies the files it reads (the others' results come from its cache): that
    // report, the one `alog query` and `stats` answer under, is every integrity statement's.
    const { index, verification } = await openIndexForCli(archive, v['cache-dir'], v['trust-key'], pool, cancel.signal, completeness);
    const verifiedAt = new Date().toISOString();
    const bar = recordProgress();
    let result: ExportResult;
    try {
      result = await runExport(
        {
          index,
          pool,
          trustedKeys,
          toolVersion: VERSION,
          signal: cancel.signal,
          onProgress: (p) => bar.update(p),
          redactionWorker: redactionWorkerFile(),
          exporter,
          verification: async () => ({ report: verification, finishedAt: verifiedAt }),
        },
        { query, from: v.from, to: v.to, format: format.data, out: v.out!, fields, bom: v.bom ?? false, overwrite: v.overwrite ?? false, pdfMaxRows },
        profile,
      );
    } catch (e) {
      if (e instanceof QuerySyntaxError || e instanceof QueryRequestError) queryError(e, query);
      if (e instanceof ExportCancelledError || cancel.signal.aborted) throw new CliExit(EXIT_CANCELLED, 'export cancelled; nothing was written');
      if (e instanceof ExportDestinationError) throw new CliExit(EXIT_UNREADABLE, e.message);
      throw e;
    } finally {
      bar.clear();
      process.removeListener('SIGTERM', onTerm);
    }
    process.stdout.write(v.json ? JSON.stringify(summaryJson(result), null, 2) + '\n' : renderSummary(result));
    return 0;
  });
}

function summaryJson(r: ExportResult): unknown {
  const rep = r.report;
  return {
    file: r.file,
    manifest: r.manifest,
    format: rep.format,
    bytes: r.bytes,
    sha256: r.sha256,
    seconds: r.seconds,
    records: rep.records,
    verified: fullyVerified(rep),
    verification: verificationVerdict(rep),
    profile: rep.profile.name,
    values_changed: rep.valuesChanged,
    rules: rep.rules.map((x) => ({ id: x.id, action: x.action, label: x.label, count: x.count })),
    pseudonyms: rep.pseudonyms,
    days: rep.archive.days.map((d) => ({ date: d.date, key_id: d.digest?.key_id ?? null, trust: d.trust, root_matches: d.rootMatches, exported: d.exported })),
    integrity: rep.integrity,
    findings: rep.integrityFindings,
    notices: r.notices,
    exported_by: r.exporter ? { operator: r.exporter.operator, key_id: r.exporter.keyId } : null,
  };
}

export function renderSummary(r: ExportResult): string {
  const rep = r.report;
  const n = rep.records.exported;
  const rate = r.seconds > 0 ? Math.round(n / r.seconds) : n;
  let out = `exported ${n} record(s) to ${safeForTerminal(r.file)} (${formatBytes(r.bytes)}, sha256 ${r.sha256.slice(0, 16)}…) in ${r.seconds.toFixed(2)} s, ${rate} records/s\n`;
  out += `manifest: ${safeForTerminal(r.manifest)}${r.exporter ? `, signed by "${safeForTerminal(r.exporter.operator)}" with exporter key ${r.exporter.keyId}` : ' (not signed: pass --key EXPORTER.pem to sign it)'}\n\n`;
  out += `profile ${safeForTerminal(rep.profile.name)}: ${rep.valuesChanged} value(s) changed\n`;
  const rows = rep.rules.map((x) => [`  ${x.id}`, `${x.action}${x.label ? ` as ${x.label}` : ''}`, String(x.count)]);
  if (rows.length > 0) out += table(['  rule', 'action', 'count'], rows, ['left', 'left', 'right']);
  const pseudo = Object.entries(rep.pseudonyms);
  if (pseudo.length > 0) out += `distinct pseudonyms: ${pseudo.map(([k, c]) => `${k} ${c}`).join(', ')}\n`;
  out += `\n${fullyVerified(rep) ? 'VERIFIED' : 'NOT FULLY VERIFIED'}: ${verificationVerdict(rep)}\n`;
  for (const d of rep.integrity.days) out += `  ${d.date}: ${safeForTerminal(dayIntegrityWords(d))}\n`;
  for (const f of rep.integrityFindings.slice(0, 20)) {
    out += `  finding ${f.kind} ${safeForTerminal(f.file)}${f.line !== undefined ? `:${f.line}` : ''}${f.seq !== undefined ? ` (seq ${f.seq})` : ''}: ${safeForTerminal(f.message)}\n`;
  }
  if (rep.integrityFindings.length > 20) out += `  … ${rep.integrityFindings.length - 20} more finding(s) (alog verify lists them all)\n`;
  if (rep.archive.days.some((d) => d.trust === 'untrusted_key' || d.trust === 'unknown_key')) out += '  (pass --trust-key PUBLISHER.pem to check the signatures against the publisher\'s key)\n';
  for (const notice of r.notices.slice(0, 20)) out += `notice: ${safeForTerminal(notice)}\n`;
  if (r.notices.length > 20) out += `notice: ${r.notices.length - 20} more\n`;
  return out;
}
