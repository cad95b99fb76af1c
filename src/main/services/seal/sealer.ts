import { createHash, type Hash, type KeyObject, createPublicKey } from 'node:crypto';
import { canonicalize, canonicalizeWithout } from '../../../shared/jcs';
import { MerkleRootBuilder, fromHex, toHex } from '../../../shared/merkle';
import { CHAIN_GENESIS, integritySuffix, type Digest, type DigestBody, type Integrity } from '../../../shared/seal';
import { keyIdOf, sha256, sha256Hex, signEd25519 } from './crypto';

/** Chain state carried from one day file to the next. */
export interface ChainState {
  nextSeq: number;
  chainHash: string;
  previousDigest: Digest | null;
}

export const GENESIS: ChainState = { nextSeq: 0, chainHash: CHAIN_GENESIS, previousDigest: null };

export function chainNext(previousChainHash: string, recordHash: string): string {
  const link = new Uint8Array(64);
  link.set(Buffer.from(previousChainHash, 'hex'), 0);
  link.set(Buffer.from(recordHash, 'hex'), 32);
  return toHex(sha256(link));
}

/**
 * Seals the records of one day file in the spec's line form and builds that day's signed digest.
 * A producer: feed records in order with `sealLine`, write each returned line, then call `digest`.
 */
export class DaySealer {
  private readonly content: Hash = createHash('sha256');
  private readonly merkle = new MerkleRootBuilder(sha256);
  private seq: number;
  private chain: string;
  private readonly firstSeq: number;

  constructor(
    private readonly fileName: string,
    private readonly date: string,
    private readonly state: ChainState,
  ) {
    this.seq = state.nextSeq;
    this.firstSeq = state.nextSeq;
    this.chain = state.chainHash;
  }

  /** The sealed line (with its trailing "\n") for `record`, which must not carry `integrity`. */
  sealLine(record: Record<string, unknown>): string {
    const canonical = canonicalizeWithout(record, 'integrity');
    const recordHash = sha256Hex(canonical);
    this.chain = chainNext(this.chain, recordHash);
    const integrity: Integrity = { v: 1, seq: this.seq++, record_hash: recordHash, chain_hash: this.chain };
    this.merkle.pushLeafInput(fromHex(recordHash));
    const line = canonical.slice(0, -1) + (canonical === '{}' ? integritySuffix(integrity).slice(1) : integritySuffix(integrity)) + '\n';
    this.content.update(line);
    return line;
  }

  /** Adds bytes to the content hash that are not a sealed line (only for building odd test files). */
  addRawBytes(bytes: string | Uint8Array): void {
    this.content.update(bytes);
  }

  digest(privateKey: KeyObject): { digest: Digest; next: ChainState } {
    const body: DigestBody = {
      v: 1,
      file: this.fileName,
      date: this.date,
      record_count: this.seq - this.firstSeq,
      // A day without records has no first or last seq (completeness-erasure.md, section 1).
      first_seq: this.seq === this.firstSeq ? null : this.firstSeq,
      last_seq: this.seq === this.firstSeq ? null : this.seq - 1,
      content_sha256: this.content.digest('hex'),
      merkle_root: toHex(this.merkle.root()),
      chain_head: this.chain,
      previous_digest: this.state.previousDigest ? sha256Hex(canonicalize(this.state.previousDigest)) : null,
      key_id: keyIdOf(createPublicKey(privateKey)),
    };
    const digest: Digest = { ...body, signature: signEd25519(privateKey, canonicalize(body)) };
    return { digest, next: { nextSeq: this.seq, chainHash: this.chain, previousDigest: digest } };
  }
}
