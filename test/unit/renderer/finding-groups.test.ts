import { describe, expect, it } from 'vitest';
import { groupFindings } from '../../../src/renderer/src/features/integrity/finding-groups';
import type { VerificationReport } from '../../../src/shared/verification-report';

const summary = {
  sealed: true, verdict: 'invalid' as const, untrustedKeyFiles: 0, dayFiles: 2, validFiles: 1, invalidFiles: 1, unsealedFiles: 0, unreadableFiles: 0, digests: 1, validDigests: 0,
  records: 10, findings: 4, findingsByKind: {}, bytes: 1, seconds: 1, ok: false, warnings: 0, warningsByKind: {}, skewSeconds: 5,
};

describe('groupFindings', () => {
  it('groups by file, then kind in the spec order, and skips files without findings', () => {
    const report: VerificationReport = {
      archive: '/a',
      summary,
      files: [
        { file: 'activations-2026-01-01.jsonl.gz', status: 'valid', verdict: 'verified', digest: null, records: 5, lines: 5, bytes: 1, findings: [], warnings: [], omittedWarnings: [] },
        {
          file: 'activations-2026-01-02.jsonl',
          status: 'invalid',
          verdict: 'invalid',
          digest: 'digests/activations-2026-01-02.digest.json',
          records: 5,
          lines: 5,
          bytes: 1,
          warnings: [],
          omittedWarnings: [],
          findings: [
            { kind: 'content_hash_mismatch', message: 'm1' },
            { kind: 'record_hash_mismatch', line: 3, seq: 7, message: 'm2' },
            { kind: 'record_hash_mismatch', line: 4, seq: 8, message: 'm3' },
          ],
        },
      ],
      digests: [{ digest: 'digests/activations-2026-01-02.digest.json', file: 'activations-2026-01-02.jsonl', status: 'invalid', verdict: 'untrusted_key', keyId: null, signature: 'unknown_key', findings: [{ kind: 'untrusted_key', message: 'm4' }] }],
      keys: [],
      completeness: { firstDay: '2026-01-01', lastDay: '2026-01-02', expected: null, missingDays: [], unlistedMissingDays: 0, checkpoint: null, newest: null, findings: [] },
      notices: [],
    };
    const groups = groupFindings(report);
    expect(groups.map((g) => [g.name, g.dataFile, g.total])).toEqual([
      ['activations-2026-01-02.jsonl', 'activations-2026-01-02.jsonl', 3],
      ['digests/activations-2026-01-02.digest.json', null, 1],
    ]);
    expect(groups[0]!.kinds.map((k) => [k.kind, k.findings.length])).toEqual([
      ['record_hash_mismatch', 2],
      ['content_hash_mismatch', 1],
    ]);
    // The file is invalid; its digest's only finding is the key's: amber, not red.
    expect(groups.map((g) => g.verdict)).toEqual(['invalid', 'untrusted_key']);
  });
});
