import { z } from 'zod';
import { RecordAtLine } from './record-view';
import { RowIntegrity } from './record-search';
import { ReportFinding } from './verification-report';

// One record as the detail view explains it: its line (text, parsed form, schema violations) and
// how its seal holds: its hash, its link in the chain, its place in the day's signed Merkle tree.

const Hex = z.string().regex(/^[0-9a-f]*$/);

export const ChainLinkSource = z.enum(['previous_record', 'previous_file', 'previous_digest', 'genesis']);

export const SealExplanation = z.object({
  /** `sealed`: a valid integrity member; `unsealed`: none; `malformed`: present but not a seal. */
  status: z.enum(['sealed', 'unsealed', 'malformed']),
  seq: z.number().int().nullable(),
  recordHash: z.object({
    /** What the seal says. */
    claimed: Hex.nullable(),
    /** SHA-256 of the record's RFC 8785 form without `integrity`, recomputed now. */
    computed: Hex.nullable(),
    matches: z.boolean().nullable(),
  }),
  chain: z
    .object({
      claimed: Hex,
      /** The chain hash this record links to, and where it comes from. */
      previous: Hex.nullable(),
      previousSource: ChainLinkSource.nullable(),
      previousFile: z.string().nullable(),
      previousLine: z.number().int().nullable(),
      previousSeq: z.number().int().nullable(),
      /** SHA-256(previous ‖ record_hash). */
      computed: Hex.nullable(),
      matches: z.boolean().nullable(),
    })
    .nullable(),
  /** The record's leaf in its day's RFC 6962 tree, and the audit path up to the root. */
  merkle: z
    .object({
      leafIndex: z.number().int(),
      treeSize: z.number().int(),
      leafHash: Hex,
      /** Sibling hashes from the leaf upwards. */
      proof: z.array(Hex),
      /** The root the audit path leads to. */
      computedRoot: Hex,
      /** merkle_root of the day's signed digest (null without a readable digest). */
      digestRoot: Hex.nullable(),
      /** The proof leads to the signed root: this exact content is part of the signed day. */
      verified: z.boolean(),
    })
    .nullable(),
  digest: z
    .object({
      name: z.string(),
      keyId: z.string().nullable(),
      /** `valid`: verifies under a trusted key; `untrusted_key`: only under a key shipped in the archive. */
      signature: z.enum(['valid', 'invalid', 'untrusted_key', 'unknown_key', 'malformed', 'missing']),
      keyTrusted: z.boolean(),
      message: z.string(),
    })
    .nullable(),
  /** Why parts are missing (a line that is not a record, an unreadable day). */
  notes: z.array(z.string()),
});
export type SealExplanation = z.infer<typeof SealExplanation>;

export const RecordDetail = RecordAtLine.extend({
  /** The record's own state from the index, when it is indexed. */
  integrity: RowIntegrity.nullable(),
  /** Verification findings that name this line. */
  findings: z.array(ReportFinding),
  /** Null when not asked for (`seal: false`). */
  seal: SealExplanation.nullable(),
});
export type RecordDetail = z.infer<typeof RecordDetail>;

export const RecordRef = z.object({
  activationId: z.string(),
  file: z.string(),
  line: z.number().int(),
  timestamp: z.string(),
});
export type RecordRef = z.infer<typeof RecordRef>;
