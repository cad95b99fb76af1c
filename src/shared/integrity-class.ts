import { z } from 'zod';
import type { FindingKind } from './findings';
import type { DigestSignature, FileVerdict, SigningKey, VerificationReport } from './verification-report';

/**
 * How far one record (or a day file's records) can be trusted, as every view and report shows it:
 * - `verified`: intact, and its day is signed by a trusted key (green);
 * - `untrusted_key`: intact, but its day's digest is signed by a key the user has not trusted:
 *   authentic only if that key is the publisher's (amber);
 * - `invalid`: a finding concerns the record, or its file, or its file's digest (red);
 * - `unsealed`: the archive is unsealed, so nothing about the record can be verified;
 * - `unknown`: no verification result exists yet (grey). Nothing is green before one does.
 */
export const IntegrityClass = z.enum(['verified', 'untrusted_key', 'invalid', 'unsealed', 'unknown']);
export type IntegrityClass = z.infer<typeof IntegrityClass>;

/**
 * The class of a record of `file` that no finding names: its file decides it. A file with findings
 * makes all its records `invalid` (a malformed line, a count, root or head mismatch cast doubt on
 * the whole day), except in an unsealed archive, where nothing was verifiable to begin with.
 */
export function intactRecordClass(report: VerificationReport | null | undefined, file: string): IntegrityClass {
  const f = report?.files.find((x) => x.file === file);
  if (!report || !f) return 'unknown';
  switch (f.verdict) {
    case 'verified':
      return 'verified';
    case 'untrusted_key':
      return 'untrusted_key';
    case 'unsealed':
      return 'unsealed';
    case 'unreadable':
      return 'invalid';
    case 'invalid':
      return report.summary.sealed ? 'invalid' : 'unsealed';
  }
}

/** A record's class: a finding on the record itself makes it `invalid`, whatever its file. */
export function recordClass(intact: IntegrityClass, ownFinding: boolean): IntegrityClass {
  return ownFinding ? 'invalid' : intact;
}

/** What the report says of one day file: what the record detail and an export's cover state. */
export interface DayIntegrity {
  file: string;
  /** Null before a verification result exists (or for a file the report does not know). */
  verdict: FileVerdict | null;
  /** Kinds of the findings of the file and of its digest, each once, in the order found; an untrusted key is not one. */
  findingKinds: FindingKind[];
  digest: string | null;
  signature: DigestSignature | null;
  /** The key that signs the file's digest, and whether it is trusted (and shipped). */
  key: SigningKey | null;
}

export function dayIntegrity(report: VerificationReport | null | undefined, file: string): DayIntegrity {
  const f = report?.files.find((x) => x.file === file);
  if (!report || !f) return { file, verdict: null, findingKinds: [], digest: null, signature: null, key: null };
  const d = f.digest === null ? undefined : report.digests.find((x) => x.digest === f.digest);
  const kinds = [...f.findings, ...(d?.findings ?? [])].map((x) => x.kind).filter((k) => k !== 'untrusted_key');
  return {
    file,
    verdict: f.verdict,
    findingKinds: [...new Set(kinds)],
    digest: f.digest,
    signature: d?.signature ?? null,
    key: (d?.keyId && report.keys.find((k) => k.keyId === d.keyId)) || null,
  };
}

/** A record's class in a word, as the seal column, the record detail, the CLI and the reports write it. */
export const CLASS_WORDS: Record<IntegrityClass, string> = {
  verified: 'verified',
  untrusted_key: 'key not trusted',
  invalid: 'invalid',
  unsealed: 'unsealed',
  unknown: 'not verified yet',
};

/** A day file's verdict in a word (Overview, Integrity, `alog verify`, the reports). */
export const FILE_VERDICT_WORDS: Record<FileVerdict, string> = {
  verified: 'valid',
  untrusted_key: 'key not trusted',
  invalid: 'invalid',
  unsealed: 'unsealed',
  unreadable: 'unreadable',
};
