import { z } from 'zod';
import { FileStatus, FileVerdict } from './verification-report';

// What the Overview screen shows of one open archive: its layout from the file system, merged with
// the last verification's per-file result when there is one.

export const FileIntegrity = z.object({
  status: FileStatus,
  verdict: FileVerdict,
  records: z.number().int(),
  lines: z.number().int(),
  /** Uncompressed bytes read by the verifier. */
  uncompressedBytes: z.number().int(),
  findings: z.number().int(),
});
export type FileIntegrity = z.infer<typeof FileIntegrity>;

export const OverviewFile = z.object({
  file: z.string(),
  date: z.string(),
  compressed: z.boolean(),
  /** Size on disk. */
  bytes: z.number().int(),
  /** Archive-relative name of the digest that signs this day, or null. */
  digest: z.string().nullable(),
  /** From the last completed verification; null before one has run. */
  integrity: FileIntegrity.nullable(),
});
export type OverviewFile = z.infer<typeof OverviewFile>;

export const ShippedKey = z.object({
  file: z.string(),
  keyId: z.string().nullable(),
  /** The user has imported this key (shipping it in keys/ alone never trusts it). */
  trusted: z.boolean(),
  error: z.string().nullable(),
});
export type ShippedKey = z.infer<typeof ShippedKey>;

export const ArchiveOverview = z.object({
  root: z.string(),
  name: z.string(),
  /** The archive has signed digests; records may still be checked for seals without them. */
  hasDigests: z.boolean(),
  bytes: z.number().int(),
  files: z.array(OverviewFile),
  shippedKeys: z.array(ShippedKey),
  notices: z.array(z.string()),
  /** ISO time of the verification the integrity columns come from. */
  verifiedAt: z.string().nullable(),
});
export type ArchiveOverview = z.infer<typeof ArchiveOverview>;
