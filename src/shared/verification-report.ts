import { z } from 'zod';
import { Checkpoint, CheckpointStatus } from './checkpoint';
import { FindingKind, Notice, OmittedWarnings, WarningKind } from './findings';

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
  /** The UTC day a completeness finding concerns (`missing_day`, `checkpoint_mismatch`). */
  date: z.string().optional(),
  message: z.string(),
});
export type ReportFinding = z.infer<typeof ReportFinding>;

/** A consistency warning (never a finding: it changes no status, verdict or exit code). */
export const ReportWarning = z.object({
  kind: WarningKind,
  line: z.number().int().optional(),
  seq: z.number().int().optional(),
  offset: z.number().int().nonnegative().optional(),
  /** For `inconsistent_record`: the rule the record breaks. */
  rule: z.string().optional(),
  message: z.string(),
});
export type ReportWarning = z.infer<typeof ReportWarning>;

/** A completeness finding that concerns no file present in the archive: the file it names is expected, not there. */
export const CompletenessFinding = ReportFinding.extend({ file: z.string() });
export type CompletenessFinding = z.infer<typeof CompletenessFinding>;

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
  /** Consistency warnings of the file's records, apart from its findings. */
  warnings: z.array(ReportWarning),
  /** Warnings past the per-file cap, counted by kind (`summary.warningsByKind` counts them too). */
  omittedWarnings: z.array(OmittedWarnings),
});
export type FileReport = z.infer<typeof FileReport>;
export type OmittedWarningsList = FileReport['omittedWarnings'];

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
  /** Consistency warnings (never counted in `findings`; they change no verdict). */
  warnings: z.number().int(),
  warningsByKind: z.partialRecord(WarningKind, z.number().int()),
  /** How far back (seconds) a timestamp may step before it is `timestamp_out_of_order`. */
  skewSeconds: z.number(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

/** The checkpoint the archive was checked against, and what came of it. */
export const CheckpointCheck = z.object({
  checkpoint: Checkpoint,
  status: CheckpointStatus,
  /** Days after the checkpoint's day, through the archive's newest day. */
  extendedBy: z.number().int(),
  newestDay: z.string().nullable(),
});
export type CheckpointCheck = z.infer<typeof CheckpointCheck>;

/** The archive's newest day, and what a checkpoint of it records (`verified`: its day file and digest are). */
export const NewestDay = z.object({
  date: z.string(),
  verified: z.boolean(),
  /** Hex SHA-256 of JCS(its digest), null without a readable digest. */
  digestSha256: z.string().nullable(),
  chainHead: z.string().nullable(),
  keyId: z.string().nullable(),
  /** The seq of the last record through that day, as the chain was followed; null when none so far. */
  lastSeq: z.number().int().nullable(),
});
export type NewestDay = z.infer<typeof NewestDay>;

/**
 * Completeness (completeness-erasure.md, section 1): the calendar between the first and the last
 * day, the expected period, and the checkpoint. Its findings count in the summary like any other.
 */
export const Completeness = z.object({
  /** The first and last day present (a day file or a digest), or null when there is none. */
  firstDay: z.string().nullable(),
  lastDay: z.string().nullable(),
  /** The period the archive must cover (each bound optional), or null when none was given. */
  expected: z.object({ from: z.string().nullable(), through: z.string().nullable() }).nullable(),
  /** Days with neither a day file nor a digest, each a `missing_day` finding. */
  missingDays: z.array(z.string()),
  /** Missing days past the first 1000, counted (in the summary too) but not listed. */
  unlistedMissingDays: z.number().int(),
  checkpoint: CheckpointCheck.nullable(),
  newest: NewestDay.nullable(),
  /**
   * `missing_day` findings, and a `checkpoint_mismatch` whose day has no digest in the archive (one
   * whose digest is there is listed with that digest, whose file it makes invalid).
   */
  findings: z.array(CompletenessFinding),
});
export type Completeness = z.infer<typeof Completeness>;

export const VerificationReport = z.object({
  archive: z.string(),
  summary: VerificationSummary,
  files: z.array(FileReport),
  digests: z.array(DigestReport),
  /** Keys that sign the archive's digests, by key id. */
  keys: z.array(SigningKey),
  completeness: Completeness,
  notices: z.array(Notice),
});
export type VerificationReport = z.infer<typeof VerificationReport>;
