// What the verification report says of a selection: every record counted under exactly one
// standing, which refines the record's one integrity class (integrity-class.ts) and never
// contradicts it; "verified" only where the report has no finding against the record's file or
// its digest; an untrusted key told apart from tampering.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intactRecordClass, recordClass } from '../../../src/shared/integrity-class';
import {
  classOfStanding,
  dayLines,
  integritySentences,
  RECORD_STANDINGS,
  recordStanding,
  selectionIntegrity,
  selectionVerified,
  STANDING_WORDS,
} from '../../../src/shared/selection-integrity';
import type { DigestVerdict, FileVerdict, ReportFinding, VerificationReport } from '../../../src/shared/verification-report';

type DayFixture = { file: string; status?: 'valid' | 'invalid' | 'unsealed'; findings?: ReportFinding[]; digest?: ReportFinding[] };

/** The verdicts as the report's assembly gives them (src/main/services/verify/assemble-report.ts). */
function digestVerdict(findings: readonly ReportFinding[]): DigestVerdict {
  if (findings.length === 0) return 'verified';
  return findings.every((f) => f.kind === 'untrusted_key') ? 'untrusted_key' : 'invalid';
}

function fileVerdict(f: DayFixture, sealed: boolean): FileVerdict {
  const own = f.findings ?? [];
  if (!sealed || f.status === 'unsealed') return own.length > 0 ? 'invalid' : 'unsealed';
  return own.length > 0 ? 'invalid' : digestVerdict(f.digest ?? []);
}

function report(files: DayFixture[], sealed = true): VerificationReport {
  return {
    archive: '/a',
    summary: {
      sealed,
      verdict: 'invalid',
      dayFiles: files.length,
      validFiles: 0,
      invalidFiles: 0,
      untrustedKeyFiles: 0,
      unsealedFiles: 0,
      unreadableFiles: 0,
      digests: files.length,
      validDigests: 0,
      records: 0,
      findings: 0,
      findingsByKind: {},
      bytes: 0,
      seconds: 0,
      ok: false,
      warnings: 0,
      warningsByKind: {},
      skewSeconds: 0,
    },
    files: files.map((f) => ({
      file: f.file,
      status: f.status ?? ((f.findings?.length ?? 0) + (f.digest?.length ?? 0) === 0 ? 'valid' : 'invalid'),
      verdict: fileVerdict(f, sealed),
      digest: `digests/${f.file}.digest.json`,
      records: 10,
      lines: 10,
      bytes: 100,
      findings: f.findings ?? [],
      warnings: [],
      omittedWarnings: [],
    })),
    digests: files.map((f) => ({
      digest: `digests/${f.file}.digest.json`,
      file: f.file,
      status: f.digest?.length ? 'invalid' : 'valid',
      verdict: digestVerdict(f.digest ?? []),
      keyId: 'aaaaaaaaaaaaaaaa',
      signature: f.digest?.some((x) => x.kind === 'signature_invalid') ? 'invalid' : f.digest?.some((x) => x.kind === 'untrusted_key') ? 'untrusted_key' : 'trusted',
      findings: f.digest ?? [],
    })),
    keys: [
      {
        keyId: 'aaaaaaaaaaaaaaaa',
        trusted: !files.some((f) => f.digest?.some((x) => x.kind === 'untrusted_key')),
        shippedFile: 'keys/publisher.pem',
        digests: files.length,
      },
    ],
    completeness: { firstDay: null, lastDay: null, expected: null, missingDays: [], unlistedMissingDays: 0, checkpoint: null, newest: null, findings: [] },
    notices: [],
  };
}

const untrusted: ReportFinding = { kind: 'untrusted_key', message: 'signed by key aaaaaaaaaaaaaaaa, which is only shipped inside the archive' };
const altered = (line: number): ReportFinding => ({ kind: 'record_hash_mismatch', line, seq: line, message: 'altered' });

describe('selectionIntegrity', () => {
  it('an intact archive under a trusted key: every record verified, and only then', () => {
    const s = selectionIntegrity(report([{ file: 'd1' }, { file: 'd2' }]), [
      { date: '1', file: 'd1', lines: [1, 2, 3] },
      { date: '2', file: 'd2', lines: [4] },
    ]);
    expect(s.counts.verified).toBe(4);
    expect(s.days.map((d) => [d.verdict, d.signature])).toEqual([
      ['verified', 'trusted'],
      ['verified', 'trusted'],
    ]);
    expect(selectionVerified(s)).toBe(true);
    expect(integritySentences(s)).toMatchObject({ tone: 'good' });
  });

  it('an untrusted key is not tampering: amber, "key not trusted", authentic only if it is the publisher\'s', () => {
    const s = selectionIntegrity(report([{ file: 'd1', digest: [untrusted] }]), [{ date: '1', file: 'd1', lines: [1, 2] }]);
    expect(s.counts).toMatchObject({ untrusted_key: 2, verified: 0, file_findings: 0, altered: 0 });
    expect(s.untrustedKeys).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(s.days[0]).toMatchObject({ verdict: 'untrusted_key', signature: 'untrusted_key', findings: 0 });
    const words = integritySentences(s);
    expect(words.tone).toBe('warn');
    expect(words.lines.join(' ')).toMatch(/authentic only if that is the publisher's key/);
    expect(selectionVerified(s)).toBe(false);
  });

  it('an altered record, and the other records of its file: altered and invalid, red; other files stay verified', () => {
    const merkle: ReportFinding = { kind: 'merkle_root_mismatch', message: 'root differs' };
    const s = selectionIntegrity(report([{ file: 'd1', findings: [altered(2), merkle] }, { file: 'd2' }]), [
      { date: '1', file: 'd1', lines: [1, 2, 3] },
      { date: '2', file: 'd2', lines: [1] },
    ]);
    expect(s.counts).toMatchObject({ altered: 1, file_findings: 2, verified: 1 });
    expect(s.days[0]).toMatchObject({ verdict: 'invalid', altered: 1, findings: 2, findingKinds: ['record_hash_mismatch', 'merkle_root_mismatch'] });
    expect(s.findingsTotal).toBe(2);
    const words = integritySentences(s);
    expect(words.tone).toBe('bad');
    expect(words.lines.join(' ')).toMatch(/1 record altered/);
    expect(words.lines.join(' ')).toMatch(/2 records in day files with findings \(record_hash_mismatch, merkle_root_mismatch\): invalid/);
    expect(words.lines.join(' ')).not.toMatch(/\bverified:/);
  });

  it('without a report nothing is known, and an unsealed archive verifies nothing', () => {
    const none = selectionIntegrity(null, [{ date: '1', file: 'd1', lines: [1] }]);
    expect(none.counts.unknown).toBe(1);
    expect(integritySentences(none).tone).toBe('neutral');
    const unsealed = selectionIntegrity(report([{ file: 'd1', status: 'unsealed' }], false), [{ date: '1', file: 'd1', lines: [1] }]);
    expect(unsealed.counts.unsealed).toBe(1);
    expect(selectionVerified(unsealed)).toBe(false);
    // A finding in an unsealed archive names its own line only: the file's other records stay unsealed.
    const malformed = selectionIntegrity(report([{ file: 'd1', findings: [{ kind: 'malformed_line', line: 2, message: 'x' }] }], false), [{ date: '1', file: 'd1', lines: [1, 2] }]);
    expect(malformed.counts).toMatchObject({ unsealed: 1, finding: 1 });
    expect(integritySentences(malformed).tone).toBe('bad');
  });

  it('a digest signed by a key neither trusted nor shipped: key not trusted, and the signature is said to be unchecked', () => {
    const unknown: ReportFinding = { kind: 'untrusted_key', message: 'signed by unknown key aaaaaaaaaaaaaaaa' };
    const r = report([{ file: 'd1', digest: [unknown] }]);
    r.digests[0]!.signature = 'unknown_key';
    r.keys = [{ keyId: 'aaaaaaaaaaaaaaaa', trusted: false, shippedFile: null, digests: 1 }];
    const s = selectionIntegrity(r, [{ date: '1', file: 'd1', lines: [1] }]);
    expect(s.counts.untrusted_key).toBe(1);
    expect(s).toMatchObject({ untrustedKeys: [], unknownKeys: ['aaaaaaaaaaaaaaaa'] });
    const words = integritySentences(s).lines.join(' ');
    expect(words).toMatch(/could not be checked/);
    expect(words).not.toMatch(/authentic only if/);
  });

  it("a day of the period missing from the archive: never green, said with its date; rows given by id claim no period", () => {
    const r = report([{ file: 'activations-2026-11-18.jsonl' }, { file: 'activations-2026-11-20.jsonl' }]);
    r.completeness = {
      ...r.completeness,
      missingDays: ['2026-11-19'],
      findings: [{ kind: 'missing_day', date: '2026-11-19', file: 'activations-2026-11-19.jsonl', message: 'no day file and no digest' }],
    };
    const days = [
      { date: '2026-11-18', file: 'activations-2026-11-18.jsonl', lines: [1, 2] },
      { date: '2026-11-20', file: 'activations-2026-11-20.jsonl', lines: [1] },
    ];
    const whole = selectionIntegrity(r, days, null, {});
    expect(whole.missingDays).toEqual(['2026-11-19']);
    expect(whole.findingsTotal).toBe(1);
    expect(selectionVerified(whole)).toBe(false);
    const words = integritySentences(whole);
    expect(words.tone).toBe('bad');
    expect(words.lines.join(' ')).toMatch(/1 day of the period missing from the archive \(2026-11-19\)/);
    // A period that ends before the missing day, or starts after it, lacks nothing.
    expect(selectionIntegrity(r, days, null, { to: '2026-11-19T00:00:00Z' }).missingDays).toEqual([]);
    expect(selectionIntegrity(r, days, null, { from: '2026-11-20' }).missingDays).toEqual([]);
    expect(selectionIntegrity(r, days, null, { from: '2026-11-19T23:59:59Z' }).missingDays).toEqual(['2026-11-19']);
    const rows = selectionIntegrity(r, days, null, null);
    expect(rows.missingDays).toEqual([]);
    expect(selectionVerified(rows)).toBe(true);
  });

  it('the words refine the class words: a standing never reads as a better class than its own', () => {
    expect(STANDING_WORDS.verified).toBe('verified');
    for (const k of RECORD_STANDINGS) {
      if (classOfStanding(k) === 'invalid') expect(STANDING_WORDS[k]).toMatch(/^(ALTERED|invalid)/);
    }
  });

  it('property: every record counted once; its standing refines recordClass; verified never where the file or its digest has a finding', () => {
    const kinds = ['record_hash_mismatch', 'chain_break', 'merkle_root_mismatch', 'untrusted_key', 'signature_invalid'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lines: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 12 }),
            findings: fc.array(fc.record({ kind: fc.constantFrom(...kinds), line: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }) }), { maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (days) => {
          const files = days.map((d, i) => {
            const onFile = d.findings.filter((f) => f.kind !== 'untrusted_key' && f.kind !== 'signature_invalid').map((f) => ({ kind: f.kind, line: f.line, message: 'x' }));
            const onDigest = d.findings.filter((f) => f.kind === 'untrusted_key' || f.kind === 'signature_invalid').map((f) => ({ kind: f.kind, message: 'x' }));
            return { file: `d${i}`, findings: onFile, digest: onDigest };
          });
          const r = report(files);
          const s = selectionIntegrity(r, days.map((d, i) => ({ date: String(i), file: `d${i}`, lines: d.lines })));
          const total = days.reduce((n, d) => n + d.lines.length, 0);
          expect(RECORD_STANDINGS.reduce((n, k) => n + s.counts[k], 0)).toBe(total);
          const cleanRecords = days.reduce((n, d) => n + (d.findings.length === 0 ? d.lines.length : 0), 0);
          expect(s.counts.verified).toBe(cleanRecords);
          expect(selectionVerified(s)).toBe(total > 0 && cleanRecords === total);
          // Each record's standing is a refinement of the class every view shows.
          days.forEach((d, i) => {
            const lines = dayLines(r, `d${i}`);
            for (const line of d.lines) {
              const own = files[i]!.findings.some((f) => f.line === line);
              expect(classOfStanding(recordStanding(lines, line))).toBe(recordClass(intactRecordClass(r, `d${i}`), own));
            }
          });
        },
      ),
    );
  });
});
