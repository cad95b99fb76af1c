// `alog verify-export MANIFEST [--trust-key PEM]... [--archive ARCHIVE]`: checks an export, without its
// archive or (with --archive) cell by cell against it, and says what it proved and what it could not.
// Exit 0 when everything holds, 1 when anything does not, 2 when the manifest cannot be read.
import { ManifestUnreadableError, verifyExport, type VerifyExportReport } from '../../main/services/export/verify-export';
import { stat } from 'node:fs/promises';
import { UsageError, abortOnInterrupt, parseCommandLine, trustedKeyMap } from '../cli-support';
import { safeForTerminal } from '../format';

export async function runVerifyExport(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'trust-key': { type: 'string', multiple: true },
    file: { type: 'string' },
    archive: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [manifest, ...extra] = parsed.positionals;
  if (!manifest || extra.length > 0) throw new UsageError('verify-export takes exactly one MANIFEST (FILE.manifest.json)');
  const trusted = await trustedKeyMap(parsed.values['trust-key']);
  let report: VerifyExportReport;
  try {
    const archive = parsed.values.archive;
    if (archive !== undefined && !(await stat(archive).then((st) => st.isDirectory(), () => false))) {
      process.stderr.write(`alog: --archive ${safeForTerminal(archive)} is not a folder\n`);
      return 2;
    }
    const cancel = abortOnInterrupt();
    report = await verifyExport(manifest, trusted, { exportFile: parsed.values.file, archive, signal: cancel.signal });
  } catch (e) {
    if (e instanceof ManifestUnreadableError) {
      process.stderr.write(`alog: ${safeForTerminal(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  const code = report.ok ? 0 : 1;
  process.exitCode = code;
  process.stdout.write(parsed.values.json ? JSON.stringify(report, null, 2) + '\n' : renderVerifyExport(report, trusted.size));
  return code;
}

const mark = (ok: boolean): string => (ok ? 'ok  ' : 'FAIL');

export function renderVerifyExport(r: VerifyExportReport, trustedKeys: number): string {
  let out = `export   ${safeForTerminal(r.file)} (${r.format})\nmanifest ${safeForTerminal(r.manifest)}\n\n`;
  out += `${mark(r.fileCheck.ok)} file: ${safeForTerminal(r.fileCheck.message)}\n`;
  out += `${r.exporter.status === 'unsigned' ? '-   ' : mark(r.exporter.status === 'trusted')} exporter signature: ${safeForTerminal(r.exporter.message)}\n`;
  for (const d of r.digests) out += `${mark(d.status === 'trusted')} digest ${d.date}: ${safeForTerminal(d.message)}\n`;
  out += `${mark(r.chain.ok)} digest links: ${r.chain.message}\n`;
  out += `${mark(r.proofs.invalid === 0 && r.proofs.valid === r.proofs.total)} inclusion proofs: ${r.proofs.valid} of ${r.proofs.total} valid\n`;
  out += `${r.rows.checked ? mark(r.rows.ok) : '-   '} rows: ${safeForTerminal(r.rows.message)}\n`;
  out += `${r.values.checked ? mark(r.values.changed === 0) : '-   '} values: ${safeForTerminal(r.values.message)}\n`;
  if (r.archive) out += `${mark(r.archive.checked && r.archive.differing === 0)} cells against the archive: ${safeForTerminal(r.archive.message)}\n`;
  if (r.problems.length > 0) {
    out += `\nproblems:\n`;
    for (const p of r.problems) out += `  - ${safeForTerminal(p)}\n`;
    if (r.more > 0) out += `  ... and ${r.more} more\n`;
  }
  if (trustedKeys === 0 && r.digests.some((d) => d.status === 'untrusted_key')) {
    out += `\nno --trust-key given: a signature proves something only under the publisher's key, obtained separately from the export\n`;
  }
  out += `\nproven:\n`;
  for (const p of r.proven) out += `  + ${safeForTerminal(p)}\n`;
  if (r.proven.length === 0) out += '  (nothing)\n';
  out += `not proven:\n`;
  for (const p of r.notProven) out += `  - ${safeForTerminal(p)}\n`;
  out += `\n${r.ok ? 'VERIFIED: everything listed as proven holds' : 'NOT VERIFIED: see the problems above'}\n`;
  return out;
}
