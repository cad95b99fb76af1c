// Seeded PRNG for the sample-data generator: xoshiro128** (Blackman & Vigna), seeded through
// splitmix32. 128 bits of state, so long runs (millions of records) neither repeat nor collide
// the way a 32-bit-state generator such as mulberry32 would.

export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform float in [0, 1). */
  next(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A generator from a 32-bit seed plus optional extra words (e.g. a day index) mixed in. */
export function createRng(seed: number, ...salt: number[]): Rng {
  let mixed = seed >>> 0;
  for (const s of salt) mixed = (Math.imul(mixed ^ (s >>> 0), 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  const sm = splitmix32(mixed);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
  return { u32, next: () => u32() / 4294967296 };
}

/** Bijective 32-bit mix (lowbias32): distinct inputs give distinct, random-looking outputs. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(rng.next() * items.length)]!;
}

/** Picks by weight: `[[value, weight], ...]`. */
export function weighted<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let r = rng.next() * total;
  for (const [v, w] of choices) {
    r -= w;
    if (r < 0) return v;
  }
  return choices[choices.length - 1]![0];
}

export function normal(rng: Rng): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Log-normal with the given median; sigma is the spread of the underlying normal. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

const HEX_DIGITS = '0123456789abcdef';

export function hex(rng: Rng, length: number): string {
  let s = '';
  while (s.length < length) {
    let w = rng.u32();
    for (let i = 0; i < 8 && s.length < length; i++) {
      s += HEX_DIGITS[w & 15];
      w >>>= 4;
    }
  }
  return s;
}

export function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

export function digits(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(Math.floor(rng.next() * 10));
  return s;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE62[Math.floor(rng.next() * 62)];
  return s;
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
