import { z } from 'zod';

// Finding kinds of the sealed-archive spec ("What verification reports"), with these exact names.
export const FINDING_KINDS = [
  'malformed_line',
  'schema_violation',
  'unsealed_record',
  'record_hash_mismatch',
  'chain_break',
  'seq_gap',
  'duplicate_activation_id',
  'decompress_error',
  'content_hash_mismatch',
  'merkle_root_mismatch',
  'chain_head_mismatch',
  'record_count_mismatch',
  'signature_invalid',
  'untrusted_key',
  'digest_chain_break',
  'malformed_digest',
  'missing_file',
  'missing_digest',
  // Completeness (completeness-erasure.md, section 1): archive-level, not read from any one file.
  'missing_day',
  'checkpoint_mismatch',
] as const;

export const FindingKind = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof FindingKind>;

/** Plain-words explanation of each kind, for people who do not read the spec. */
export const FINDING_EXPLANATIONS: Record<FindingKind, string> = {
  malformed_line: 'The line is not one complete JSON object (truncated, garbage, or invalid UTF-8).',
  schema_violation: 'The record is valid JSON but does not follow the ActivationLog schema.',
  unsealed_record: 'The record carries no integrity seal although the rest of the archive is sealed.',
  record_hash_mismatch: 'The record was changed after it was sealed: its content no longer hashes to its record_hash.',
  chain_break: 'The hash chain is broken here: a record before this one was deleted, inserted, altered or reordered.',
  seq_gap: 'The sequence number does not follow the previous one: records were deleted, inserted or reordered.',
  duplicate_activation_id: 'This activation_id already appeared earlier in the archive.',
  decompress_error: 'The gzip file is corrupt or truncated; records before the error were read but cannot be trusted.',
  content_hash_mismatch: "The file's bytes differ from what the signed digest recorded.",
  merkle_root_mismatch: "The file's records do not produce the Merkle root recorded in the signed digest.",
  chain_head_mismatch: "The file's last chain hash differs from the one recorded in the signed digest.",
  record_count_mismatch: 'The file holds a different number of records than the signed digest recorded.',
  signature_invalid: 'The digest signature does not verify: the digest was altered or signed with another key.',
  untrusted_key: 'The digest is signed by a key you have not trusted (or an unknown key); import the publisher\'s key to trust it.',
  digest_chain_break: "The digest does not link to the previous day's digest: a day was removed, replaced or reordered.",
  malformed_digest: 'The digest file is not a valid digest object.',
  missing_file: 'A signed digest names a data file that is not in the archive: the file was deleted or renamed.',
  missing_digest: 'A data file of a sealed archive has no signed digest.',
  missing_day: 'A calendar day inside the archive\'s period (or the expected period) has neither a day file nor a digest: it was removed, or never written.',
  checkpoint_mismatch: 'The archive is not the history your checkpoint recorded: the digest of that day is missing or differs from the one you verified.',
};

// Consistency warnings (completeness-erasure.md, section 2): the producer sealed something that
// cannot be right. They never make a file invalid and never change the verdict or an exit code.
export const WARNING_KINDS = ['timestamp_out_of_order', 'wrong_day_file', 'inconsistent_record'] as const;
export const WarningKind = z.enum(WARNING_KINDS);
export type WarningKind = z.infer<typeof WarningKind>;

export function isWarningKind(kind: string): kind is WarningKind {
  return (WARNING_KINDS as readonly string[]).includes(kind);
}

/** The plain-words explanation of a finding or warning kind. */
export function explainKind(kind: FindingKind | WarningKind): string {
  return isWarningKind(kind) ? WARNING_EXPLANATIONS[kind] : FINDING_EXPLANATIONS[kind];
}

export const WARNING_EXPLANATIONS: Record<WarningKind, string> = {
  timestamp_out_of_order: "The record's timestamp is earlier than the previous record's by more than the tolerance: records of a day are written in time order.",
  wrong_day_file: "The record's timestamp (UTC date) is not the day of the file that holds it.",
  inconsistent_record: 'The record contradicts itself (the message names the rule): sealed as written, but it cannot be right.',
};

export const Finding = z.object({
  kind: FindingKind,
  /** Archive-relative name of the data file or digest file concerned. */
  file: z.string(),
  /** 1-based physical line of the uncompressed data file, when the finding concerns a line. */
  line: z.number().int().positive().optional(),
  seq: z.number().int().nonnegative().optional(),
  /** Byte offset of the line in the uncompressed file. */
  offset: z.number().int().nonnegative().optional(),
  /** The UTC day a completeness finding concerns (`missing_day`, `checkpoint_mismatch`). */
  date: z.string().optional(),
  message: z.string(),
});
export type Finding = z.infer<typeof Finding>;

/** A consistency warning: the shape of a finding, with the rule an `inconsistent_record` breaks. */
export const Warning = z.object({
  kind: WarningKind,
  file: z.string(),
  line: z.number().int().positive().optional(),
  seq: z.number().int().nonnegative().optional(),
  offset: z.number().int().nonnegative().optional(),
  /** For `inconsistent_record`: the id of the rule (verify/consistency-rules.ts). */
  rule: z.string().optional(),
  message: z.string(),
});
export type Warning = z.infer<typeof Warning>;

/** Warnings of one kind past a file's cap: how many, and the lines they span. */
export const OmittedWarnings = z.object({
  kind: WarningKind,
  count: z.number().int().positive(),
  firstLine: z.number().int().positive(),
  lastLine: z.number().int().positive(),
});
export type OmittedWarnings = z.infer<typeof OmittedWarnings>;

/** Notes that are worth showing but are not findings of the spec (CRLF, BOM, ...). */
export const Notice = z.object({
  file: z.string(),
  line: z.number().int().positive().optional(),
  message: z.string(),
});
export type Notice = z.infer<typeof Notice>;
