import { promises as fs } from 'node:fs';
import { canonicalize } from '../../../shared/jcs';
import type { Finding } from '../../../shared/findings';
import type { DigestSignature } from '../../../shared/verification-report';
import { Digest, DigestBody } from '../../../shared/seal';
import type { DigestFile } from '../archive/layout';
import type { PublicKeyEntry } from '../keys/keys';
import { sha256Hex, verifyEd25519 } from '../seal/crypto';
import type { DayFileResult } from './verify-file';

const MAX_DIGEST_BYTES = 1024 * 1024;

export interface LoadedDigest {
  source: DigestFile;
  /** The parsed digest, when it is a valid digest object. */
  digest?: Digest;
  findings: Finding[];
}

export async function loadDigest(source: DigestFile): Promise<LoadedDigest> {
  const malformed = (message: string): LoadedDigest => ({
    source,
    findings: [{ kind: 'malformed_digest', file: source.name, message }],
  });
  let text: string;
  try {
    const stat = await fs.stat(source.path);
    if (stat.size > MAX_DIGEST_BYTES) return malformed(`digest file is ${stat.size} bytes, far larger than any digest`);
    text = await fs.readFile(source.path, 'utf8');
  } catch (e) {
    return malformed(`cannot read the digest: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return malformed(`not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Digest.safeParse(json);
  if (!parsed.success) {
    return malformed(parsed.error.issues.map((i) => `${i.path.join('.') || '(digest)'}: ${i.message}`).join('; '));
  }
  if (parsed.data.date !== source.date) {
    return malformed(`digest file is named for ${source.date} but its date is ${parsed.data.date}`);
  }
  if (!parsed.data.file.includes(parsed.data.date)) {
    return malformed(`digest for ${parsed.data.date} names the data file ${parsed.data.file} of another day`);
  }
  const { first_seq: first, last_seq: last, record_count: count } = parsed.data;
  if ((first === null) !== (last === null)) return malformed('first_seq and last_seq must both be null (a day without records) or both be numbers');
  if (first === null && count !== 0) return malformed(`first_seq and last_seq are null (a day without records) but record_count is ${count}`);
  return { source, digest: parsed.data, findings: [] };
}

/** Signature and key trust (the spec: a key found only in `keys/` is never trusted). */
export function checkSignature(
  loaded: LoadedDigest,
  trusted: ReadonlyMap<string, PublicKeyEntry>,
  shipped: ReadonlyMap<string, PublicKeyEntry>,
): Finding[] {
  return digestSignature(loaded, trusted, shipped).findings;
}

/** The digest's signature classified (see DigestSignature), with the findings it gives. */
export function digestSignature(
  loaded: LoadedDigest,
  trusted: ReadonlyMap<string, PublicKeyEntry>,
  shipped: ReadonlyMap<string, PublicKeyEntry>,
): { signature: DigestSignature; findings: Finding[] } {
  const d = loaded.digest;
  if (!d) return { signature: 'none', findings: [] };
  const file = loaded.source.name;
  const { signature, ...body } = d;
  const message = canonicalize(DigestBody.parse(body));
  const trustedKey = trusted.get(d.key_id);
  if (trustedKey) {
    return verifyEd25519(trustedKey.key, message, signature)
      ? { signature: 'trusted', findings: [] }
      : {
          signature: 'invalid',
          findings: [{ kind: 'signature_invalid', file, message: `signature does not verify under trusted key ${d.key_id}: the digest was altered after signing` }],
        };
  }
  const shippedKey = shipped.get(d.key_id);
  if (shippedKey) {
    return verifyEd25519(shippedKey.key, message, signature)
      ? {
          signature: 'untrusted_key',
          findings: [
            {
              kind: 'untrusted_key',
              file,
              message: `signed by key ${d.key_id}, which is only shipped inside the archive (${shippedKey.source}); import it as trusted if it is the publisher's key`,
            },
          ],
        }
      : {
          signature: 'invalid',
          findings: [{ kind: 'signature_invalid', file, message: `signature does not verify under key ${d.key_id} (${shippedKey.source}): the digest was altered after signing` }],
        };
  }
  return {
    signature: 'unknown_key',
    findings: [{ kind: 'untrusted_key', file, message: `signed by unknown key ${d.key_id}: no trusted or shipped key has that id` }],
  };
}

/**
 * Compares a day file's recomputed values with what its signed digest recorded. `chainHead` is the
 * file's chain head as stitched across the archive (its last chain_hash, or the one carried over
 * into a day without records).
 */
export function compareWithFile(d: Digest, r: Omit<DayFileResult, 'ids'>, chainHead: string | undefined): Finding[] {
  const out: Finding[] = [];
  const file = r.file;
  if (r.contentSha256 !== d.content_sha256) {
    out.push({ kind: 'content_hash_mismatch', file, message: `the uncompressed bytes hash to ${r.contentSha256.slice(0, 16)}…, the digest recorded ${d.content_sha256.slice(0, 16)}…` });
  }
  if (r.lines !== d.record_count) {
    const diff = r.lines - d.record_count;
    out.push({
      kind: 'record_count_mismatch',
      file,
      message: `the file holds ${r.lines} line(s), the digest recorded ${d.record_count} record(s): ${Math.abs(diff)} ${diff > 0 ? 'added' : 'missing'}`,
    });
  }
  if (r.merkleRoot !== d.merkle_root) {
    out.push({ kind: 'merkle_root_mismatch', file, message: `the records' hashes give Merkle root ${r.merkleRoot.slice(0, 16)}…, the digest recorded ${d.merkle_root.slice(0, 16)}…` });
  }
  if (chainHead !== d.chain_head) {
    out.push({
      kind: 'chain_head_mismatch',
      file,
      line: r.tail?.line,
      seq: r.tail?.seq,
      message: r.tail
        ? `the last record's chain_hash is ${r.tail.chainHash.slice(0, 16)}…, the digest recorded ${d.chain_head.slice(0, 16)}…: records at the end were removed or added`
        : `the file has no sealed record; the chain carried into it is ${(chainHead ?? '').slice(0, 16)}…, the digest recorded ${d.chain_head.slice(0, 16)}…`,
    });
  }
  return out;
}

/** Hex SHA-256 of JCS(digest, signature included): how `previous_digest` and checkpoints name a digest. */
export function digestHash(digest: Digest): string {
  return sha256Hex(canonicalize(digest));
}

/** previous_digest links, in date order. `digests` must be sorted by date. */
export function checkDigestChain(digests: readonly LoadedDigest[]): Map<LoadedDigest, Finding[]> {
  const out = new Map<LoadedDigest, Finding[]>();
  for (let i = 0; i < digests.length; i++) {
    const cur = digests[i]!;
    const d = cur.digest;
    if (!d) continue;
    const file = cur.source.name;
    const prev = i > 0 ? digests[i - 1] : undefined;
    let finding: Finding | undefined;
    if (!prev) {
      if (d.previous_digest !== null) {
        finding = { kind: 'digest_chain_break', file, message: "this is the archive's first digest but it links to a previous day: the earlier day(s) are missing" };
      }
    } else if (!prev.digest) {
      finding = { kind: 'digest_chain_break', file, message: `cannot check the link: the previous digest ${prev.source.name} is unreadable` };
    } else {
      const expected = digestHash(prev.digest);
      if (d.previous_digest !== expected) {
        finding = {
          kind: 'digest_chain_break',
          file,
          message:
            d.previous_digest === null
              ? `starts a new chain although ${prev.source.name} precedes it`
              : `does not link to ${prev.source.name}: a day between them was removed, or one of the two digests was replaced`,
        };
      }
    }
    if (finding) out.set(cur, [finding]);
  }
  return out;
}
