// The seal of one day file, leaf by leaf: the verifier's pass over the file (so the leaves are
// exactly the ones its Merkle root is built from), keeping for every leaf what the line claims and
// what was recomputed. The record detail builds inclusion proofs and chain links from it.
import type { Finding } from '../../../shared/findings';
import { fromHex } from '../../../shared/merkle';
import { verifyDayFile, type ChainLink, type DayLeaf } from './verify-file';

export interface DaySeal {
  file: string;
  /** Physical line of each leaf, in tree order (increasing). */
  lines: Uint32Array;
  /** 32 bytes per leaf: the recomputed record hash (the claimed one where it cannot be recomputed). */
  computed: Uint8Array;
  /** 32 bytes per leaf: the claimed record_hash (zeros for an unsealed leaf). */
  claimed: Uint8Array;
  /** 32 bytes per leaf: the claimed chain_hash (zeros for an unsealed leaf). */
  chains: Uint8Array;
  /** 1 where the leaf's line carries a valid seal. */
  sealed: Uint8Array;
  /** Claimed seq per leaf (-1 when unsealed). */
  seqs: Float64Array;
  merkleRoot: string;
  findings: Finding[];
  tail?: ChainLink;
  /** False when the gzip stream broke off. */
  complete: boolean;
}

export interface DaySealOptions {
  gzip: boolean;
  archiveSealed: boolean;
  lineCap?: number;
  signal?: AbortSignal;
  onProgress?: (diskBytes: number) => void;
}

export async function readDaySeal(path: string, file: string, opts: DaySealOptions): Promise<DaySeal> {
  const leaves: DayLeaf[] = [];
  const result = await verifyDayFile(path, file, { ...opts, consistency: false, onLeaf: (leaf) => leaves.push(leaf) });
  const n = leaves.length;
  const seal: DaySeal = {
    file,
    lines: new Uint32Array(n),
    computed: new Uint8Array(n * 32),
    claimed: new Uint8Array(n * 32),
    chains: new Uint8Array(n * 32),
    sealed: new Uint8Array(n),
    seqs: new Float64Array(n).fill(-1),
    merkleRoot: result.merkleRoot,
    findings: result.findings,
    tail: result.tail,
    complete: result.complete,
  };
  leaves.forEach((leaf, i) => {
    seal.lines[i] = leaf.line;
    seal.computed.set(leaf.leafInput, i * 32);
    if (leaf.claimed) {
      seal.claimed.set(fromHex(leaf.claimed.recordHash), i * 32);
      seal.chains.set(fromHex(leaf.claimed.chainHash), i * 32);
      seal.sealed[i] = 1;
      seal.seqs[i] = leaf.claimed.seq;
    }
  });
  return seal;
}
