import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerkleRootBuilder,
  type Sha256,
  fromHex,
  inclusionProof,
  leafHash,
  merkleRoot,
  rootFromInclusionProof,
  rootFromLeafHashes,
  toHex,
  verifyInclusion,
} from '../../../src/shared/merkle';

// /work/main/test/unit/shared -> /work/shared/vectors (CI checks shared/ out beside the clone).
const RFC6962 = path.resolve(__dirname, '../../../../shared/vectors/rfc6962');

const nodeSha256: Sha256 = (d) => createHash('sha256').update(d).digest();
const HASHES: [string, Sha256][] = [
  ['node:crypto', nodeSha256],
  ['@noble/hashes (pure JS)', (d) => nobleSha256(d)],
];
const sha = nodeSha256;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface RootVectors {
  leafInputs: string[];
  rootHashes: string[];
}

interface InclusionVector {
  file: string;
  leafIdx: number;
  treeSize: number;
  root: Uint8Array;
  leafHash: Uint8Array;
  proof: Uint8Array[];
  desc: string;
  wantErr: boolean;
}

const base64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonFilesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function loadInclusionVector(file: string): InclusionVector {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    leafIdx: number; // note: "leafIdx sub @1" holds 2^64-1, which JSON.parse turns into an unsafe 1.8e19
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  };
  return {
    file: path.relative(RFC6962, file),
    leafIdx: raw.leafIdx,
    treeSize: raw.treeSize,
    root: base64(raw.root),
    leafHash: base64(raw.leafHash), // already the RFC 6962 leaf hash, not a leaf input
    proof: (raw.proof ?? []).map(base64),
    desc: raw.desc,
    wantErr: raw.wantErr,
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Largest power of two strictly less than n (n >= 2), as in RFC 6962 §2.1. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) transcribed literally from RFC 6962 §2.1, over leaf inputs. */
function naiveMth(leafInputs: readonly Uint8Array[]): Uint8Array {
  const n = leafInputs.length;
  if (n === 0) return sha(new Uint8Array(0));
  if (n === 1) return sha(concat(Uint8Array.of(0x00), leafInputs[0]!));
  const k = largestPowerOfTwoBelow(n);
  return sha(concat(Uint8Array.of(0x01), naiveMth(leafInputs.slice(0, k)), naiveMth(leafInputs.slice(k))));
}

/**
 * Shape of the audit path for leaf m in a tree of n leaves, leaf upwards: true where the sibling is
 * on the left. Derived from PATH(m, D[n]) in RFC 6962 §2.1.1.
 */
function auditPathShape(m: number, n: number): boolean[] {
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return m < k ? [...auditPathShape(m, k), false] : [...auditPathShape(m - k, n - k), true];
}

function sameShape(a: boolean[], b: boolean[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Copy of `bytes` with bit `bit` (0 = MSB of byte 0) flipped. */
function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  // A copy: Buffer#slice (node:crypto digests are Buffers) would return a view and flip the original.
  const out = new Uint8Array(bytes);
  out[bit >> 3]! ^= 0x80 >> (bit & 7);
  return out;
}

/** 1..max distinct random leaf inputs (distinct, so no two subtrees can hash alike). */
const leafInputsArb = (max: number) =>
  fc.uniqueArray(fc.uint8Array({ maxLength: 48 }), { minLength: 1, maxLength: max, selector: toHex, size: 'max' });

/** A random tree plus a leaf index inside it. */
const treeAndIndexArb = leafInputsArb(200).chain((inputs) =>
  fc.record({ inputs: fc.constant(inputs), index: fc.nat({ max: inputs.length - 1 }) }),
);

const hashLeaves = (inputs: readonly Uint8Array[]) => inputs.map((l) => leafHash(sha, l));

// ---------------------------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------------------------

const roots = JSON.parse(readFileSync(path.join(RFC6962, 'roots.json'), 'utf8')) as RootVectors;
const rootInputs = roots.leafInputs.map(fromHex);
const inclusionVectors = jsonFilesUnder(path.join(RFC6962, 'inclusion')).map(loadInclusionVector);

describe.each(HASHES)('RFC 6962 root vectors, sizes 0..8 (%s)', (_name, hash) => {
  it('has the nine expected roots', () => {
    expect(roots.rootHashes).toHaveLength(9);
    expect(rootInputs).toHaveLength(8);
  });

  it.each(roots.rootHashes.map((root, n) => [n, root] as const))('merkleRoot over the first %i inputs', (n, root) => {
    expect(toHex(merkleRoot(hash, rootInputs.slice(0, n)))).toBe(root);
    const leaves = rootInputs.slice(0, n).map((l) => leafHash(hash, l));
    expect(toHex(rootFromLeafHashes(hash, leaves))).toBe(root);
  });

  it('MerkleRootBuilder reproduces every root as leaves are pushed', () => {
    const builder = new MerkleRootBuilder(hash);
    expect(toHex(builder.root())).toBe(roots.rootHashes[0]);
    rootInputs.forEach((input, i) => {
      builder.pushLeafInput(input);
      expect(builder.size).toBe(i + 1);
      expect(toHex(builder.root())).toBe(roots.rootHashes[i + 1]);
    });
  });
});

describe.each(HASHES)('RFC 6962 inclusion-proof vectors (%s)', (_name, hash) => {
  it('runs a non-empty set of vectors, including accepting ones', () => {
    console.info(`[merkle] ${inclusionVectors.length} inclusion-proof vector files`);
    expect(inclusionVectors.length).toBeGreaterThan(0);
    expect(inclusionVectors.some((v) => !v.wantErr)).toBe(true);
  });

  it.each(inclusionVectors.map((v) => [v.file, v.desc, v] as const))(
    '%s (%s)',
    (_file, _desc, v) => {
      expect(verifyInclusion(hash, v.leafIdx, v.treeSize, v.leafHash, v.proof, v.root)).toBe(!v.wantErr);
    },
  );
});

describe('inclusion-proof generation against the vectors', () => {
  // Happy paths whose root is one of roots.json's come from the same eight leaf inputs.
  const fromRootLeaves = inclusionVectors.filter(
    (v) => !v.wantErr && toHex(v.root) === roots.rootHashes[v.treeSize],
  );

  it('finds happy-path vectors built from the roots.json leaves', () => {
    expect(fromRootLeaves.length).toBeGreaterThan(0);
  });

  it.each(fromRootLeaves.map((v) => [v.file, v] as const))('inclusionProof reproduces %s', (_file, v) => {
    const leaves = hashLeaves(rootInputs.slice(0, v.treeSize));
    expect(toHex(leaves[v.leafIdx]!)).toBe(toHex(v.leafHash));
    expect(inclusionProof(sha, leaves, v.leafIdx).map(toHex)).toEqual(v.proof.map(toHex));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('tree hash against the RFC definition', () => {
  it('rootFromLeafHashes and merkleRoot equal a naive recursive MTH (0..200 leaves)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 48 }), { maxLength: 200, size: 'max' }), (inputs) => {
        const expected = toHex(naiveMth(inputs));
        expect(toHex(rootFromLeafHashes(sha, hashLeaves(inputs)))).toBe(expected);
        expect(toHex(merkleRoot(sha, inputs))).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('MerkleRootBuilder equals rootFromLeafHashes and the naive MTH after every push', () => {
    fc.assert(
      fc.property(leafInputsArb(200), (inputs) => {
        const leaves = hashLeaves(inputs);
        const builder = new MerkleRootBuilder(sha);
        leaves.forEach((leaf, i) => {
          builder.pushLeafHash(leaf);
          const root = toHex(builder.root());
          expect(root).toBe(toHex(rootFromLeafHashes(sha, leaves.slice(0, i + 1))));
          expect(root).toBe(toHex(naiveMth(inputs.slice(0, i + 1))));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('node:crypto and the pure-JS SHA-256 give the same roots', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 48 }), { maxLength: 100 }), (inputs) => {
        expect(toHex(merkleRoot((d) => nobleSha256(d), inputs))).toBe(toHex(merkleRoot(sha, inputs)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('inclusion proofs', () => {
  it('every leaf of every tree of 1..64 leaves verifies (exhaustive small trees)', () => {
    const inputs = Array.from({ length: 64 }, (_, i) => Uint8Array.of(i, i >> 8));
    for (let n = 1; n <= inputs.length; n++) {
      const leaves = hashLeaves(inputs.slice(0, n));
      const root = rootFromLeafHashes(sha, leaves);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(sha, leaves, m);
        expect(proof).toHaveLength(auditPathShape(m, n).length);
        expect(verifyInclusion(sha, m, n, leaves[m]!, proof, root)).toBe(true);
      }
    }
  });

  it('every leaf of a random tree (1..200 leaves) verifies against rootFromLeafHashes', () => {
    fc.assert(
      fc.property(leafInputsArb(200), (inputs) => {
        const leaves = hashLeaves(inputs);
        const root = rootFromLeafHashes(sha, leaves);
        leaves.forEach((leaf, m) => {
          const proof = inclusionProof(sha, leaves, m);
          expect(verifyInclusion(sha, m, leaves.length, leaf, proof, root)).toBe(true);
          expect(toHex(rootFromInclusionProof(sha, m, leaves.length, leaf, proof))).toBe(toHex(root));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('rejects an index outside the tree when generating a proof', () => {
    const leaves = hashLeaves(rootInputs);
    for (const bad of [-1, 8, 1.5, Number.NaN]) expect(() => inclusionProof(sha, leaves, bad)).toThrow(RangeError);
  });
});

describe('tampering makes inclusion verification fail', () => {
  const setup = ({ inputs, index }: { inputs: Uint8Array[]; index: number }) => {
    const leaves = hashLeaves(inputs);
    return { leaves, size: leaves.length, leaf: leaves[index]!, proof: inclusionProof(sha, leaves, index), root: rootFromLeafHashes(sha, leaves) };
  };

  it('flipping any single bit of any proof element, of the leaf or of the root', () => {
    fc.assert(
      fc.property(treeAndIndexArb, (t) => {
        const { size, leaf, proof, root } = setup(t);
        const verify = (l: Uint8Array, p: Uint8Array[], r: Uint8Array) => verifyInclusion(sha, t.index, size, l, p, r);
        expect(verify(leaf, proof, root)).toBe(true);
        for (let bit = 0; bit < 256; bit++) {
          expect(verify(flipBit(leaf, bit), proof, root)).toBe(false);
          expect(verify(leaf, proof, flipBit(root, bit))).toBe(false);
          proof.forEach((element, i) => {
            const tampered = proof.map((p, j) => (j === i ? flipBit(element, bit) : p));
            expect(verify(leaf, tampered, root)).toBe(false);
          });
        }
      }),
      { numRuns: 25 },
    );
  });

  it('removing, adding or reordering proof elements', () => {
    fc.assert(
      fc.property(treeAndIndexArb, (t) => {
        const { size, leaf, proof, root } = setup(t);
        const verify = (p: Uint8Array[]) => verifyInclusion(sha, t.index, size, leaf, p, root);
        for (let i = 0; i < proof.length; i++) expect(verify(proof.filter((_, j) => j !== i))).toBe(false);
        expect(verify([...proof, root])).toBe(false);
        expect(verify([leaf, ...proof])).toBe(false);
        if (proof.length >= 2) expect(verify([...proof].reverse())).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('claiming any other index in the same tree', () => {
    fc.assert(
      fc.property(treeAndIndexArb, (t) => {
        const { size, leaf, proof, root } = setup(t);
        for (let j = 0; j < size + 2; j++) {
          if (j !== t.index) expect(verifyInclusion(sha, j, size, leaf, proof, root)).toBe(false);
        }
        for (const j of [-1, 2 ** 53, Number.NaN, t.index + 0.5]) {
          expect(verifyInclusion(sha, j, size, leaf, proof, root)).toBe(false);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('claiming another tree size, unless that size has the very same audit-path shape', () => {
    // The algorithm of RFC 9162 §2.1.3.2 authenticates the root, not the size: for sizes whose path
    // to leaf m takes the same left/right turns (e.g. leaf 0 in trees of 5..8 leaves), the same
    // proof legitimately yields the same root. The size is trusted from the signed digest instead.
    fc.assert(
      fc.property(treeAndIndexArb, (t) => {
        const { size, leaf, proof, root } = setup(t);
        const shape = auditPathShape(t.index, size);
        for (let other = 0; other <= 2 * size + 1; other++) {
          if (other === size) continue;
          const indistinguishable = t.index < other && sameShape(auditPathShape(t.index, other), shape);
          expect(verifyInclusion(sha, t.index, other, leaf, proof, root)).toBe(indistinguishable);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('hex helpers', () => {
  it('toHex/fromHex round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes);
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
    );
  });

  it('fromHex accepts upper case and rejects odd lengths and non-hex characters', () => {
    expect(toHex(fromHex('ABcd'))).toBe('abcd');
    for (const bad of ['a', 'zz', '0x00', ' 00', '+1']) expect(() => fromHex(bad)).toThrow();
  });
});
