// A day's whole RFC 6962 tree held as levels, so each inclusion proof costs O(log n) lookups
// instead of the O(n) rebuild of shared/merkle.ts `inclusionProof` (which stays the reference the
// tests compare with). Bottom-up pairing where a level's odd last node is carried up unchanged is
// the same tree as RFC 6962's split at the largest power of two below n.
import { leafHash, nodeHash, toHex } from '../../../shared/merkle';
import { sha256 } from '../seal/crypto';

export function leafHashOf(recordHash: Uint8Array): Uint8Array {
  return leafHash(sha256, recordHash);
}

export class DayMerkleTree {
  /** levels[0] = leaf hashes; the last level holds the root. */
  private readonly levels: Uint8Array[][];

  /** `recordHashes`: the 32-byte leaf inputs (record hashes) in file order. */
  constructor(recordHashes: readonly Uint8Array[]) {
    const leaves = recordHashes.map(leafHashOf);
    this.levels = [leaves];
    let level = leaves;
    while (level.length > 1) {
      const up: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(sha256, level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) up.push(level[level.length - 1]!);
      this.levels.push(up);
      level = up;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Hex root; the hash of the empty string for an empty day, as RFC 6962 defines. */
  rootHex(): string {
    if (this.size === 0) return toHex(sha256(new Uint8Array(0)));
    return toHex(this.levels[this.levels.length - 1]![0]!);
  }

  /** The audit path of leaf `index`, from the leaf upwards, as hex. */
  proof(index: number): string[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf ${index} outside a tree of ${this.size}`);
    const path: string[] = [];
    let i = index;
    for (let l = 0; l < this.levels.length - 1; l++) {
      const level = this.levels[l]!;
      const sibling = i ^ 1;
      // A carried-up last node has no sibling on this level: nothing joins it here.
      if (sibling < level.length) path.push(toHex(level[sibling]!));
      i >>= 1;
    }
    return path;
  }
}
