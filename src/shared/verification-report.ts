import { z } from 'zod';
import { FindingKind, Notice } from './findings';

// The `alog verify --json` contract of the sealed-archive spec, plus a few extra members
// (notices, counts) that consumers may ignore.

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

export const FileReport = z.object({
  file: z.string(),
  status: FileStatus,
  records: z.number().int(),
  lines: z.number().int(),
  bytes: z.number().int(),
  findings: z.array(ReportFinding),
});
export type FileReport = z.infer<typeof FileReport>;

export const DigestReport = z.object({
  digest: z.string(),
  file: z.string().nullable(),
  status: z.enum(['valid', 'invalid']),
  keyId: z.string().nullable(),
  findings: z.array(ReportFinding),
});
export type DigestReport = z.infer<typeof DigestReport>;

export const VerificationSummary = z.object({
  sealed: z.boolean(),
  dayFiles: z.number().int(),
  validFiles: z.number().int(),
  invalidFiles: z.number().int(),
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
  notices: z.array(Notice),
});
export type VerificationReport = z.infer<typeof VerificationReport>;
