// What an export knows once it has run: the archive's identity and how far it verifies, the
// selection, the profile and what each of its rules changed, statistics over the whole selection.
// The PDF's cover and the XLSX "About" sheet are rendered from it, the CLI summary too.
import type { Digest } from '../../../shared/seal';
import type { ExportFormat } from '../../../shared/export-manifest';
import type { QueryStats } from '../../../shared/query-stats';
import type { RedactionProfile } from '../../../shared/redaction-profile';
import type { RedactionRuleCount } from '../redaction/redactor';
import { integritySentences, selectionVerified, type FileFinding, type SelectionDay, type SelectionIntegrity } from '../../../shared/selection-integrity';
import type { DigestSignature } from '../../../shared/verification-report';
import { FILE_VERDICT_WORDS } from '../../../shared/integrity-class';
import { periodWords } from '../../../shared/period';

export interface DayVerification {
  date: string;
  file: string;
  digest: Digest | null;
  /** The signature of the digest as the export read it, under the exporting user's trusted keys. */
  trust: DigestSignature;
  /** Leaves found in the day file, and whether their root is the digest's merkle_root. */
  leaves: number;
  rootMatches: boolean;
  exported: number;
}

export interface ExportReport {
  tool: { name: string; version: string };
  createdAt: string;
  /** The archive's verification report on the exported records (counts as written, marks included). */
  integrity: SelectionIntegrity;
  /** Every finding of the exported days' files and digests, from the verification report. */
  integrityFindings: FileFinding[];
  /** The keys the exporting user trusts (ids). */
  trustedKeyIds: string[];
  format: ExportFormat;
  file: string;
  archive: { path: string; sealed: boolean; days: DayVerification[] };
  selection: { query: string; from: string | null; to: string | null; through: string | null; total: number };
  profile: RedactionProfile;
  rules: RedactionRuleCount[];
  valuesChanged: number;
  pseudonyms: Record<string, number>;
  /** Over every selected record (from the index), null when not computed. */
  stats: QueryStats | null;
  records: {
    exported: number;
    /** With a valid inclusion proof to a digest whose root matched. */
    proven: number;
    /** Whose content does not hash to its record_hash (altered in the archive). */
    contentMismatch: number;
    /** Not provable for another reason (unsealed, day root differs, no digest). */
    unprovable: number;
  };
}

/**
 * One line saying how far the exported records are backed: the archive's verification report on
 * them (with the export's own checks), then the inclusion proofs the manifest carries.
 */
export function verificationVerdict(r: ExportReport): string {
  const n = r.records.exported;
  if (!r.archive.sealed) return `unsealed archive: the ${n} exported record(s) carry no seal and cannot be proven`;
  const parts = [...integritySentences(r.integrity).lines];
  parts.push(`${r.records.proven} of ${n} record(s) carry an inclusion proof to their day's signed Merkle root in the manifest.`);
  if (r.records.unprovable > 0) parts.push(`${r.records.unprovable} record(s) have no proof.`);
  return parts.join(' ');
}

/** Whether everything the export claims holds: the report verifies every record, and the manifest's proofs prove them. */
export function fullyVerified(r: ExportReport): boolean {
  return (
    r.archive.sealed &&
    selectionVerified(r.integrity) &&
    r.records.proven === r.records.exported &&
    r.archive.days.every((d) => d.trust === 'trusted' && d.rootMatches)
  );
}

/** The selection's period as the user chose it. */
export function exportPeriod(r: ExportReport): string {
  return periodWords(r.selection);
}

/** Key/value rows describing the export (the XLSX "About this export" sheet). */
export function aboutRows(r: ExportReport): [string, string][] {
  const integrity = integritySentences(r.integrity);
  const rows: [string, string][] = [
    ['Tool', `${r.tool.name} ${r.tool.version}`],
    ['Created (UTC)', r.createdAt],
    ['Archive', r.archive.path],
    ['Days', r.archive.days.map((d) => d.date).join(', ') || '(none)'],
    ['Query', r.selection.query || '(all records)'],
    ['Period', exportPeriod(r)],
    ['Records', String(r.records.exported)],
    ['Verdict', fullyVerified(r) ? 'VERIFIED' : 'NOT FULLY VERIFIED'],
  ];
  integrity.lines.forEach((line, i) => rows.push([i === 0 ? 'Integrity' : '', line]));
  rows.push(['Inclusion proofs', `${r.records.proven} of ${r.records.exported} record(s) proven against their day's signed Merkle root (see the manifest)`]);
  rows.push(['Verification report', r.integrity.reportFinishedAt ? `made ${r.integrity.reportFinishedAt}` : 'made for this export']);
  rows.push(['Trusted keys', r.trustedKeyIds.join(', ') || '(none)']);
  for (const d of r.integrity.days) {
    rows.push([`Day ${d.date}`, dayIntegrityWords(d)]);
  }
  for (const f of r.integrityFindings) {
    rows.push([`Finding ${f.kind}`, `${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.seq !== undefined ? ` (seq ${f.seq})` : ''}: ${f.message}`]);
  }
  rows.push(['Profile', r.profile.name]);
  rows.push(['Profile description', r.profile.description]);
  rows.push(['Values changed', String(r.valuesChanged)]);
  for (const rule of r.rules) rows.push([`Rule ${rule.id}`, `${rule.action}${rule.label ? ` as ${rule.label}` : ''}: ${rule.count}`]);
  rows.push(['Manifest', `${r.file.split(/[\\/]/).pop() ?? r.file}.manifest.json: the inclusion proof of every record; check it with alog verify-export`]);
  return rows;
}

/** One day's standing in the report's words: what held, what failed, never a check that failed as passed. */
export function dayIntegrityWords(d: SelectionDay): string {
  const key = d.keyId ? `key ${d.keyId}` : 'no digest';
  const records = `${d.records} record(s) exported`;
  const verdict = d.verdict === null ? 'not verified' : FILE_VERDICT_WORDS[d.verdict];
  switch (d.verdict) {
    case 'verified':
      return `${verdict}: ${key}, signature valid, key trusted; every check of the day file passed (content hash, Merkle root, chain, record count); ${records}`;
    case 'untrusted_key':
      return d.signature === 'unknown_key'
        ? `${verdict}: signed by ${key}, which is neither trusted nor shipped in the archive: the signature could not be checked; no other finding; ${records}`
        : `${verdict}: ${key}, signature valid, but you have not trusted this key; no other finding; ${records}`;
    case 'invalid':
    case 'unreadable':
      return `${verdict}: ${d.findings} finding(s): ${d.findingKinds.join(', ')}${d.altered > 0 ? `; ${d.altered} exported record(s) altered` : ''}; ${key}; ${records}, none verified`;
    case 'unsealed':
      return `${verdict}: nothing can be verified; ${records}`;
    case null:
      return `${verdict}: not covered by the verification; ${records}`;
  }
}
