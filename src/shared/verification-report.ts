import { z } from 'zod';
import { FindingKind, Notice } from './findings';

// The `alog verify --json` contract of the sealed-archive spec, plus a few extra members
// (notices, counts, verdicts, trust) that consumers may ignore. The spec's `status` values stay
// as they are: a file whose digest verifies only under a key the user has not trusted is `invalid`
// there (the spec's `untrusted_key` finding); `verdict` and `signature` tell that apart from
// tampering, which is what every view and report words differently.

export const ReportFinding = z.object({
  kind: FindingKind,
  line: z.number().int().optional(),
  seq: z.number().int().optional(),
  /** Byte offset of the line in the uncompressed file (lets a reader jump straight to it). */
  offset: z.number().int().nonnegative().optional(),
  message: z.string(),
});
export type ReportFinding = z.infer<typeof ReportFinding>;

export const FileStatus = z.enum(['valid', 'invalid', 'unsealed', 'unreadable']);
export type FileStatus = z.infer<typeof FileStatus>;

/**
 * What a day file's verification amounts to:
 * - `verified`: no finding concerns the file or its digest, which a trusted key signed;
 * - `untrusted_key`: no finding but the key's: every record, chain link and digest value checks
 *   out, and the digest is signed by a key the user has not trusted (shipped in `keys/`, or
 *   unknown). Authentic if that key is the publisher's; nothing proves that it is;
 * - `invalid`: a finding concerns the file or its digest (altered, missing, malformed, ...);
 * - `unsealed`: an unsealed archive's file without findings: nothing in it can be verified;
 * - `unreadable`: the file could not be read.
 */
export const FileVerdict = z.enum(['verified', 'untrusted_key', 'invalid', 'unsealed', 'unreadable']);
export type FileVerdict = z.infer<typeof FileVerdict>;

/**
 * A digest's signature: `trusted` (verifies under a key the user trusts), `untrusted_key`
 * (verifies only under a key shipped in the archive), `unknown_key` (no trusted or shipped key has
 * its key id: not checked), `invalid` (does not verify), `none` (the digest is not readable).
 */
export const DigestSignature = z.enum(['trusted', 'untrusted_key', 'unknown_key', 'invalid', 'none']);
export type DigestSignature = z.infer<typeof DigestSignature>;

/** The archive's verdict: `verified`, `untrusted_key` (every finding is an untrusted key), `invalid`, `unsealed`. */
export const ArchiveVerdict = z.enum(['verified', 'untrusted_key', 'invalid', 'unsealed']);
export type ArchiveVerdict = z.infer<typeof ArchiveVerdict>;

export const FileReport = z.object({
  file: z.string(),
  status: FileStatus,
  verdict: FileVerdict,
  /** The digest that signs this file, if any. */
  digest: z.string().nullable(),
  records: z.number().int(),
  lines: z.number().int(),
  bytes: z.number().int(),
  findings: z.array(ReportFinding),
});
export type FileReport = z.infer<typeof FileReport>;

/** A digest's verdict: `untrusted_key` when its only finding is the key's (not tampering), else as its status. */
export const DigestVerdict = z.enum(['verified', 'untrusted_key', 'invalid']);
export type DigestVerdict = z.infer<typeof DigestVerdict>;

export const DigestReport = z.object({
  digest: z.string(),
  file: z.string().nullable(),
  status: z.enum(['valid', 'invalid']),
  verdict: DigestVerdict,
  keyId: z.string().nullable(),
  signature: DigestSignature,
  findings: z.array(ReportFinding),
});
export type DigestReport = z.infer<typeof DigestReport>;

/** A key that signs digests of the archive, and whether the user trusts it. */
export const SigningKey = z.object({
  keyId: z.string(),
  trusted: z.boolean(),
  /** The archive's `keys/` file holding this key, if it ships one (importing it trusts it). */
  shippedFile: z.string().nullable(),
  /** Digests signed with it (by their key_id). */
  digests: z.number().int(),
});
export type SigningKey = z.infer<typeof SigningKey>;

export const VerificationSummary = z.object({
  sealed: z.boolean(),
  verdict: ArchiveVerdict,
  dayFiles: z.number().int(),
  validFiles: z.number().int(),
  invalidFiles: z.number().int(),
  /** Files whose only problem is their digest's untrusted key (counted in invalidFiles too). */
  untrustedKeyFiles: z.number().int(),
  unsealedFiles: z.number().int(),
  unreadableFiles: z.number().int(),
  digests: z.number().int(),
  validDigests: z.number().int(),
  records: z.number().int(),
  findings: z.number().int(),
  findingsByKind: z.partialRecord(FindingKind, z.number().int()),
  bytes: z.number(),
  seconds: z.number(),
  /**
   * Which records were parsed and schema-checked: `all`, or only those off the fast path
   * (`changed`; an intact sealed line is byte for byte what the producer sealed).
   */
  schemaChecked: z.enum(['all', 'changed']).optional(),
  ok: z.boolean(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

export const VerificationReport = z.object({
  archive: z.string(),
  summary: VerificationSummary,
  files: z.array(FileReport),
  digests: z.array(DigestReport),
  /** Keys that sign the archive's digests, by key id. */
  keys: z.array(SigningKey),
  notices: z.array(Notice),
});
export type VerificationReport = z.infer<typeof VerificationReport>;
