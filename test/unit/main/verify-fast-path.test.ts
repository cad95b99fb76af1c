// The verifier's fast path reads the sealed line form and the leading id from bytes. These readers
// must accept exactly what the spec's patterns accept (the regexes below are their definition) and
// return the same values, for every line: checked on valid tails, their mutations and random bytes.
// The WebAssembly Merkle tree and chain check must agree with the shared JS definitions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationIdOfWords, packActivationId, readLeadingCanonicalId } from '../../../src/main/services/verify/activation-id-set';
import { DaySealHasher } from '../../../src/main/services/verify/seal-wasm';
import { SealedTail } from '../../../src/main/services/verify/sealed-tail';
import { sha256 } from '../../../src/main/services/seal/crypto';
import { chainNext } from '../../../src/main/services/seal/sealer';
import { fromHex, MerkleRootBuilder, toHex } from '../../../src/shared/merkle';

const SEALED_TAIL = /,"integrity":\{"chain_hash":"([0-9a-f]{64})","record_hash":"([0-9a-f]{64})","seq":(0|[1-9][0-9]{0,15}),"v":1\}\}$/;
const CANONICAL_LEADING_ID = /^\{"activation_id":"(act_[0-9a-f]{32})"/;

function viaRegex(line: Buffer): { prefixEnd: number; chain: string; record: string; seq: number } | undefined {
  const m = SEALED_TAIL.exec(line.toString('latin1'));
  return m ? { prefixEnd: m.index, chain: m[1]!, record: m[2]!, seq: Number(m[3]) } : undefined;
}

function viaBytes(line: Buffer, pad: number): ReturnType<typeof viaRegex> {
  const chunk = Buffer.concat([Buffer.alloc(pad, 0x30), line, Buffer.from('\n')]);
  const t = new SealedTail();
  const at = t.read(chunk, pad, pad + line.length);
  if (at < 0) return undefined;
  expect(chunk.toString('latin1', t.recordHexAt, t.recordHexAt + 64)).toBe(Buffer.from(t.recordHash).toString('hex'));
  return { prefixEnd: at - pad, chain: Buffer.from(t.chainHash).toString('hex'), record: Buffer.from(t.recordHash).toString('hex'), seq: t.seq };
}

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const seqText = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '00', '01', '9007199254740993', '9999999999999999', '10000000000000000', '123456789012345'));
const tail = fc.tuple(hex64, hex64, seqText).map(([c, r, s]) => `,"integrity":{"chain_hash":"${c}","record_hash":"${r}","seq":${s},"v":1}}`);

describe('the fast path reads the sealed line form from bytes as its pattern defines it', () => {
  it('on valid tails after any prefix, and on their mutations', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), tail, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('none', 'flip', 'cut', 'insert'), fc.nat(5), (prefix, t, at, byte, how, pad) => {
        let line = Buffer.from('{"a":' + JSON.stringify(prefix) + t, 'utf8');
        const i = at % line.length;
        if (how === 'flip') (line = Buffer.from(line))[i] = byte;
        else if (how === 'cut') line = line.subarray(0, i);
        else if (how === 'insert') line = Buffer.concat([line.subarray(0, i), Buffer.from([byte]), line.subarray(i)]);
        expect(viaBytes(line, pad)).toStrictEqual(viaRegex(line));
      }),
      { numRuns: 5000 },
    );
  });

  it('on a bare tail and on lines too short to hold one', () => {
    const bare = Buffer.from(`,"integrity":{"chain_hash":"${'a'.repeat(64)}","record_hash":"${'b'.repeat(64)}","seq":0,"v":1}}`);
    expect(viaBytes(bare, 0)).toStrictEqual(viaRegex(bare));
    for (let n = 0; n < bare.length; n++) expect(viaBytes(bare.subarray(n), 1)).toStrictEqual(viaRegex(bare.subarray(n)));
  });
});

describe('the fast path reads a canonical leading id from bytes', () => {
  const id = fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => 'act_' + Buffer.from(b).toString('hex')),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('act_' + 'A'.repeat(32), 'act_' + 'g'.repeat(32), 'act_' + '0'.repeat(31), 'act_' + '0'.repeat(33)),
  );
  it('exactly when the pattern matches, with the same packed words', () => {
    fc.assert(
      fc.property(id, fc.constantFrom('"', '"}', '"x', ''), (value, after) => {
        const line = Buffer.from(`{"activation_id":"${value}${after}`, 'utf8');
        const words = new Uint32Array(4);
        const m = CANONICAL_LEADING_ID.exec(line.toString('latin1'));
        expect(readLeadingCanonicalId(line, 0, line.length, words)).toBe(m !== null);
        if (m) {
          expect(activationIdOfWords(words)).toBe(m[1]);
          const packed = packActivationId(m[1]!)!;
          const view = new DataView(packed.buffer, packed.byteOffset, 16);
          expect([...words]).toStrictEqual([0, 4, 8, 12].map((o) => view.getUint32(o)));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the WebAssembly Merkle tree and chain check', () => {
  it('give the RFC 6962 root and the chain rule of the shared code, also with trees built side by side', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 300 }), fc.nat(300), (leaves, split) => {
        const a = new DaySealHasher();
        const b = new DaySealHasher();
        const refA = new MerkleRootBuilder(sha256);
        const refB = new MerkleRootBuilder(sha256);
        leaves.forEach((leaf, i) => {
          (i < split ? a : b).pushLeafInput(leaf);
          (i < split ? refA : refB).pushLeafInput(leaf);
        });
        expect(toHex(a.root())).toBe(toHex(refA.root()));
        expect(toHex(b.root())).toBe(toHex(refB.root()));
        a.release();
        b.release();
      }),
      { numRuns: 300 },
    );
    const h = new DaySealHasher();
    expect(toHex(h.root())).toBe(toHex(new MerkleRootBuilder(sha256).root()));
    h.release();
  });

  it('checks a chain link exactly as chainNext defines it', () => {
    const h = new DaySealHasher();
    fc.assert(
      fc.property(hex64, hex64, fc.boolean(), fc.nat(31), (prev, record, honest, flip) => {
        const next = fromHex(chainNext(prev, record));
        if (!honest) next[flip] = next[flip]! ^ 1;
        expect(h.chainFollows(fromHex(prev), fromHex(record), next)).toBe(honest);
      }),
      { numRuns: 500 },
    );
    h.release();
  });
});
