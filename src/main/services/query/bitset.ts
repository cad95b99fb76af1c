/** A set of global rows as 32-bit words. */
export class Bitset {
  constructor(readonly words: Uint32Array) {}

  static empty(rowSpace: number): Bitset {
    return new Bitset(new Uint32Array(Math.ceil(rowSpace / 32)));
  }

  set(row: number): void {
    this.words[row >>> 5] = this.words[row >>> 5]! | (1 << (row & 31));
  }

  has(row: number): boolean {
    return (this.words[row >>> 5]! & (1 << (row & 31))) !== 0;
  }

  and(o: Bitset): Bitset {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i++) out[i] = this.words[i]! & o.words[i]!;
    return new Bitset(out);
  }

  or(o: Bitset): Bitset {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i++) out[i] = this.words[i]! | o.words[i]!;
    return new Bitset(out);
  }

  andNot(o: Bitset): Bitset {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i++) out[i] = this.words[i]! & ~o.words[i]!;
    return new Bitset(out);
  }

  count(): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i++) n += popcount(this.words[i]!);
    return n;
  }

  /** Count of rows in [from, to). */
  countRange(from: number, to: number): number {
    let n = 0;
    for (let r = from; r < to; r++) if (this.has(r)) n++;
    return n;
  }

  /** Calls `fn` for every row in [from, to) that is in the set, in order. */
  forEachIn(from: number, to: number, fn: (row: number) => void): void {
    let w = from >>> 5;
    const lastWord = (to - 1) >>> 5;
    for (; w <= lastWord && w < this.words.length; w++) {
      let bits = this.words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        const row = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        if (row >= from && row < to) fn(row);
      }
    }
  }
}

/** Number of set bits of a 32-bit word. */
export function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
