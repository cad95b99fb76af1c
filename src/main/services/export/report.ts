// What an export knows once it has run: the archive's identity and how far it verifies, the
// selection, the profile and what each of its rules changed, statistics over the whole selection.
// The PDF's cover and the XLSX "About" sheet are rendered from it, the CLI summary too.
import type { Digest } from '../../../shared/seal';
import type { ExportFormat } from '../../../shared/export-manifest';
import type { QueryStats } from '../../../shared/query-stats';
import type { RedactionProfile } from '../../../shared/redaction-profile';
import type { RedactionRuleCount } from '../redaction/redactor';

/** Signature status of a day's digest under the keys the exporting user trusts. */
export type DigestTrust = 'trusted' | 'untrusted_key' | 'signature_invalid' | 'no_digest' | 'malformed_digest';

export interface DayVerification {
  date: string;
  file: string;
  digest: Digest | null;
  trust: DigestTrust;
  /** Leaves found in the day file, and whether their root is the digest's merkle_root. */
  leaves: number;
  rootMatches: boolean;
  exported: number;
}

export interface ExportReport {
  tool: { name: string; version: string };
  createdAt: string;
  format: ExportFormat;
  file: string;
  archive: { path: string; sealed: boolean; days: DayVerification[] };
  selection: { query: string; from: string | null; to: string | null; total: number };
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

/** One line saying how far the exported records are backed by the archive's seal. */
export function verificationVerdict(r: ExportReport): string {
  const n = r.records.exported;
  if (!r.archive.sealed) return `unsealed archive: the ${n} exported record(s) carry no seal and cannot be proven`;
  const untrusted = r.archive.days.filter((d) => d.trust !== 'trusted');
  const parts = [`${r.records.proven} of ${n} record(s) proven against their day's Merkle root`];
  if (r.records.contentMismatch > 0) parts.push(`${r.records.contentMismatch} record(s) do not match their record_hash (altered)`);
  if (r.records.unprovable > 0) parts.push(`${r.records.unprovable} record(s) not provable`);
  if (untrusted.length === 0) parts.push(`all ${r.archive.days.length} digest(s) signed by a trusted key`);
  else parts.push(`${untrusted.length} of ${r.archive.days.length} digest(s) not signed by a trusted key (${[...new Set(untrusted.map((d) => d.trust))].join(', ')})`);
  return parts.join('; ');
}

/** Whether everything the export claims holds under the exporting user's trusted keys. */
export function fullyVerified(r: ExportReport): boolean {
  return (
    r.archive.sealed &&
    r.records.proven === r.records.exported &&
    r.archive.days.every((d) => d.trust === 'trusted' && d.rootMatches)
  );
}

/** Key/value rows describing the export (the XLSX "About this export" sheet). */
export function aboutRows(r: ExportReport): [string, string][] {
  const rows: [string, string][] = [
    ['Tool', `${r.tool.name} ${r.tool.version}`],
    ['Created', r.createdAt],
    ['Archive', r.archive.path],
    ['Days', r.archive.days.map((d) => d.date).join(', ') || '(none)'],
    ['Query', r.selection.query || '(all records)'],
    ['From', r.selection.from ?? '(start)'],
    ['To', r.selection.to ?? '(end)'],
    ['Records', String(r.records.exported)],
    ['Verification', verificationVerdict(r)],
    ['Profile', r.profile.name],
    ['Profile description', r.profile.description],
    ['Values changed', String(r.valuesChanged)],
  ];
  for (const rule of r.rules) rows.push([`Rule ${rule.id}`, `${rule.action}${rule.label ? ` as ${rule.label}` : ''}: ${rule.count}`]);
  for (const d of r.archive.days) {
    rows.push([`Digest ${d.date}`, d.digest ? `key ${d.digest.key_id}, ${d.trust}, merkle_root ${d.digest.merkle_root}${d.rootMatches ? '' : ' (differs from the day file!)'}` : d.trust]);
  }
  rows.push(['Manifest', `${r.file}.manifest.json: the inclusion proof of every record; check it with alog verify-export`]);
  return rows;
}
