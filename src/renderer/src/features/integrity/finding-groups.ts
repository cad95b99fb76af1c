import { FINDING_KINDS, type FindingKind } from '../../../../shared/findings';
import type { FileVerdict, ReportFinding, VerificationReport } from '../../../../shared/verification-report';

export interface KindGroup {
  kind: FindingKind;
  findings: ReportFinding[];
}

export interface FindingGroup {
  /** The data file or digest the findings concern. */
  name: string;
  /** Findings of a data file can lead to its lines; a digest's cannot. */
  dataFile: string | null;
  /** The file's verdict; a digest's is `untrusted_key` when that is its only finding. */
  verdict: FileVerdict;
  kinds: KindGroup[];
  total: number;
  /** The file is expected but not in the archive (a completeness finding: a missing day, a checkpoint's day gone). */
  missing?: boolean;
}

/**
 * Findings by file (data files in date order, then digests, then the files the completeness checks
 * expected and did not find), and within a file by kind in the spec's order: record-level kinds
 * first, then what they cause at file and digest level.
 */
export function groupFindings(report: VerificationReport): FindingGroup[] {
  const groups: FindingGroup[] = [];
  const add = (name: string, dataFile: string | null, verdict: FileVerdict, findings: readonly ReportFinding[], missing = false) => {
    if (findings.length === 0) return;
    const byKind = new Map<FindingKind, ReportFinding[]>();
    for (const f of findings) {
      const list = byKind.get(f.kind);
      if (list) list.push(f);
      else byKind.set(f.kind, [f]);
    }
    const kinds = FINDING_KINDS.filter((k) => byKind.has(k)).map((kind) => ({ kind, findings: byKind.get(kind)! }));
    groups.push({ name, dataFile, verdict, kinds, total: findings.length, ...(missing ? { missing } : {}) });
  };
  for (const f of report.files) add(f.file, f.file, f.verdict, f.findings);
  for (const d of report.digests) add(d.digest, null, d.verdict, d.findings);
  // Files the completeness checks expected and did not find, in date order.
  const expected = new Map<string, ReportFinding[]>();
  for (const f of report.completeness.findings) expected.set(f.file, [...(expected.get(f.file) ?? []), f]);
  for (const [file, findings] of [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) add(file, null, 'invalid', findings, true);
  return groups;
}
