// `alog verify-export MANIFEST [--trust-key PEM]...`: checks an export without its archive.
// Exit 0 when everything holds, 1 when anything does not, 2 when the manifest cannot be read.
import { ManifestUnreadableError, verifyExport, type VerifyExportReport } from '../../main/services/export/verify-export';
import { UsageError, parseCommandLine, trustedKeyMap } from '../cli-support';
import { safeForTerminal } from '../format';

export async function runVerifyExport(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, { 'trust-key': { type: 'string', multiple: true }, file: { type: 'string' }, json: { type: 'boolean' } });
  const [manifest, ...extra] = parsed.positionals;
  if (!manifest || extra.length > 0) throw new UsageError('verify-export takes exactly one MANIFEST (FILE.manifest.json)');
  const trusted = await trustedKeyMap(parsed.values['trust-key']);
  let report: VerifyExportReport;
  try {
    report = await verifyExport(manifest, trusted, { exportFile: parsed.values.file });
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
  for (const d of r.digests) out += `${mark(d.status === 'trusted')} digest ${d.date}: ${safeForTerminal(d.message)}\n`;
  out += `${mark(r.chain.ok)} digest links: ${r.chain.message}\n`;
  out += `${mark(r.proofs.invalid === 0 && r.proofs.valid === r.proofs.total)} inclusion proofs: ${r.proofs.valid} of ${r.proofs.total} valid\n`;
  out += `${r.rows.checked ? mark(r.rows.ok) : '-   '} rows: ${safeForTerminal(r.rows.message)}\n`;
  if (r.problems.length > 0) {
    out += `\nproblems:\n`;
    for (const p of r.problems) out += `  - ${safeForTerminal(p)}\n`;
    if (r.more > 0) out += `  ... and ${r.more} more\n`;
  }
  if (trustedKeys === 0 && r.digests.some((d) => d.status === 'untrusted_key')) {
    out += `\nno --trust-key given: a signature proves something only under the publisher's key, obtained separately from the export\n`;
  }
  out += `\n${r.ok ? 'VERIFIED: the export is the one described, and every record is in the signed archive' : 'NOT VERIFIED'}\n`;
  return out;
}
