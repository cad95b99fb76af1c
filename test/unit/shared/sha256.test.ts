import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/shared/sha256';

const reference = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

describe('sha256 (plain JS, for the seal\'s small inputs)', () => {
  it('matches the FIPS 180-4 examples', () => {
    const hex = (d: Uint8Array) => Buffer.from(d).toString('hex');
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto at every length around the block and padding edges', () => {
    for (let n = 0; n <= 200; n++) {
      const d = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(sha256(d)).toEqual(reference(d));
    }
  });

  it('agrees with node:crypto on random inputs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1000 }), (d) => {
        expect(sha256(d)).toEqual(reference(d));
      }), { numRuns: 300 });
  });
});
