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
}

/**
 * Findings by file (data files in date order, then digests), and within a file by kind in the
 * spec's order: record-level kinds first, then what they cause at file and digest level.
 */
export function groupFindings(report: VerificationReport): FindingGroup[] {
  const groups: FindingGroup[] = [];
  const add = (name: string, dataFile: string | null, verdict: FileVerdict, findings: readonly ReportFinding[]) => {
    if (findings.length === 0) return;
    const byKind = new Map<FindingKind, ReportFinding[]>();
    for (const f of findings) {
      const list = byKind.get(f.kind);
      if (list) list.push(f);
      else byKind.set(f.kind, [f]);
    }
    groups.push({ name, dataFile, verdict, kinds: FINDING_KINDS.filter((k) => byKind.has(k)).map((kind) => ({ kind, findings: byKind.get(kind)! })), total: findings.length });
  };
  for (const f of report.files) add(f.file, f.file, f.verdict, f.findings);
  for (const d of report.digests) add(d.digest, null, d.verdict, d.findings);
  return groups;
}
