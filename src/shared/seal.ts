import { z } from 'zod';

// Schemas of the seal (sealed-archive spec, format version 1).

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

export const Integrity = z.strictObject({
  v: z.literal(1),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  record_hash: Hex64,
  chain_hash: Hex64,
});
export type Integrity = z.infer<typeof Integrity>;

export const DAY_FILE_PATTERN = /^activations-(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$/;
export const DIGEST_FILE_PATTERN = /^activations-(\d{4}-\d{2}-\d{2})\.digest\.json$/;

export const DigestBody = z.strictObject({
  v: z.literal(1),
  file: z.string().regex(DAY_FILE_PATTERN, 'expected activations-YYYY-MM-DD.jsonl[.gz]'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  record_count: z.number().int().nonnegative(),
  // Null for a day without records (completeness-erasure.md, section 1); older producers wrote
  // last_seq = first_seq - 1 there, which stays valid. Both null or neither: loadDigest checks it.
  first_seq: z.number().int().nonnegative().nullable(),
  last_seq: z.number().int().min(-1).nullable(),
  content_sha256: Hex64,
  merkle_root: Hex64,
  chain_head: Hex64,
  previous_digest: Hex64.nullable(),
  key_id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex characters'),
});
export type DigestBody = z.infer<typeof DigestBody>;

export const Digest = DigestBody.extend({
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
});
export type Digest = z.infer<typeof Digest>;

/** The 32 zero bytes the chain starts from, in hex. */
export const CHAIN_GENESIS = '0'.repeat(64);

/** The integrity member as a producer appends it to a sealed line (keys in JCS order). */
export function integritySuffix(i: Integrity): string {
  return `,"integrity":{"chain_hash":"${i.chain_hash}","record_hash":"${i.record_hash}","seq":${i.seq},"v":1}}`;
}

export function dayFileDate(name: string): string | undefined {
  return DAY_FILE_PATTERN.exec(name)?.[1];
}

export function digestNameFor(dataFile: string): string {
  const date = dayFileDate(dataFile);
  if (!date) throw new Error(`not a day file name: ${dataFile}`);
  return `activations-${date}.digest.json`;
}
