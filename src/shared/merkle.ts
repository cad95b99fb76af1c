// RFC 6962 §2.1 Merkle tree hash, audit paths (inclusion proofs) and their verification.
// The hash function is injected: Node passes node:crypto, the renderer a pure-JS SHA-256,
// because src/shared may import neither.

export type Sha256 = (data: Uint8Array) => Uint8Array;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

export function leafHash(sha256: Sha256, leafInput: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + leafInput.length);
  buf[0] = LEAF_PREFIX;
  buf.set(leafInput, 1);
  return sha256(buf);
}

export function nodeHash(sha256: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Merkle tree hash over already-computed leaf hashes, bottom-up in O(n) time and O(log n) memory
 * beyond the input. Equivalent to the recursive MTH definition of RFC 6962.
 */
export function rootFromLeafHashes(sha256: Sha256, leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  const builder = new MerkleRootBuilder(sha256);
  for (const leaf of leaves) builder.pushLeafHash(leaf);
  return builder.root();
}

/** Root over leaf inputs (hashes them as leaves first). */
export function merkleRoot(sha256: Sha256, leafInputs: readonly Uint8Array[]): Uint8Array {
  return rootFromLeafHashes(sha256, leafInputs.map((l) => leafHash(sha256, l)));
}

/**
 * Streaming root computation: push leaves one at a time, keep only the O(log n) stack of
 * complete subtrees (as in a compact range / Certificate Transparency log). Lets a verifier
 * compute a day's root while it streams the file.
 */
export class MerkleRootBuilder {
  // stack[i] holds the root of a complete subtree; sizes are strictly decreasing powers of two.
  private readonly hashes: Uint8Array[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  constructor(private readonly sha256: Sha256) {}

  get size(): number {
    return this.count;
  }

  pushLeafInput(leafInput: Uint8Array): void {
    this.pushLeafHash(leafHash(this.sha256, leafInput));
  }

  pushLeafHash(hash: Uint8Array): void {
    let h = hash;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      const left = this.hashes.pop()!;
      this.sizes.pop();
      h = nodeHash(this.sha256, left, h);
      size *= 2;
    }
    this.hashes.push(h);
    this.sizes.push(size);
    this.count++;
  }

  /** RFC 6962 root of everything pushed so far (the hash of the empty string for no leaves). */
  root(): Uint8Array {
    if (this.hashes.length === 0) return this.sha256(new Uint8Array(0));
    // Fold right-to-left: the rightmost, smaller subtrees join first, as MTH's split does.
    let h = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) h = nodeHash(this.sha256, this.hashes[i]!, h);
    return h;
  }
}

/**
 * Audit path for leaf `index` in the tree over `leafHashes` (RFC 6962 §2.1.1 PATH(m, D[n])),
 * ordered from the leaf upwards.
 */
export function inclusionProof(sha256: Sha256, leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`leaf index ${index} outside tree of size ${leafHashes.length}`);
  }
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = leafHashes.length;
  let m = index;
  // Walk down from the root, collecting the sibling subtree roots; reverse at the end.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push(rootFromLeafHashes(sha256, leafHashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      path.push(rootFromLeafHashes(sha256, leafHashes.slice(lo, lo + k)));
      lo = lo + k;
      m -= k;
    }
  }
  return path.reverse();
}

export class InclusionProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InclusionProofError';
  }
}

/**
 * Root implied by an audit path (RFC 9162 §2.1.3.2 algorithm). Throws InclusionProofError when the
 * index/size/path lengths are inconsistent.
 */
export function rootFromInclusionProof(
  sha256: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || size < 0) {
    throw new InclusionProofError('index and size must be non-negative integers');
  }
  if (index >= size) throw new InclusionProofError(`index ${index} is beyond tree size ${size}`);
  if (leaf.length !== 32) throw new InclusionProofError('leaf hash must be 32 bytes');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) throw new InclusionProofError('proof hashes must be 32 bytes');
    if (sn === 0) throw new InclusionProofError('proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sha256, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(sha256, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new InclusionProofError('proof is shorter than the tree is deep');
  return r;
}

/** True when `proof` shows `leaf` (a leaf hash) at `index` in the tree of `size` with `root`. */
export function verifyInclusion(
  sha256: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    return bytesEqual(rootFromInclusionProof(sha256, index, size, leaf, proof), root);
  } catch (e) {
    if (e instanceof InclusionProofError) return false;
    throw e;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 80)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
