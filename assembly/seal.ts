// The verifier's per-record hashing in WebAssembly: the RFC 6962 Merkle tree over a day's record
// hashes (a leaf hash and on average one node hash per record) and the chain link check, three
// SHA-256s of one or two blocks each. In JS each costs a fresh array or three; here they run on
// fixed memory. Compiled by scripts/build-wasm.mjs into src/main/services/verify/seal-wasm.generated.ts.

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const W: usize = memory.data(64 * 4, 16);
/** Message being hashed (at most 65 bytes here) and its padding. */
const MSG: usize = memory.data(128, 16);
/** Exchange area with JS: [previous chain_hash][record_hash][chain_hash], 32 bytes each. */
const IO: usize = memory.data(96, 16);
const OUT: usize = memory.data(32, 16);
/**
 * A Merkle builder's state lives where the caller says (one per day file being verified, so files
 * verified concurrently in one thread never share one): the number of complete subtrees, their
 * sizes (strictly decreasing powers of two) and their roots.
 */
const MAX_LEVELS: usize = 64;
const SIZES_AT: usize = 8;
const STACK_AT: usize = SIZES_AT + MAX_LEVELS * 8;
export const MERKLE_STATE_BYTES: usize = STACK_AT + MAX_LEVELS * 32;

let h0: u32 = 0;
let h1: u32 = 0;
let h2: u32 = 0;
let h3: u32 = 0;
let h4: u32 = 0;
let h5: u32 = 0;
let h6: u32 = 0;
let h7: u32 = 0;

function compress(block: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(W + (i << 2), bswap<u32>(load<u32>(block + (i << 2))));
  for (let i: usize = 16; i < 64; i++) {
    const w15 = load<u32>(W + ((i - 15) << 2));
    const w2 = load<u32>(W + ((i - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    store<u32>(W + (i << 2), load<u32>(W + ((i - 16) << 2)) + s0 + load<u32>(W + ((i - 7) << 2)) + s1);
  }
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  for (let i: usize = 0; i < 64; i++) {
    const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const t1 = h + S1 + ((e & f) ^ (~e & g)) + unchecked(K[i]) + load<u32>(W + (i << 2));
    const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const t2 = S0 + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h0 += a;
  h1 += b;
  h2 += c;
  h3 += d;
  h4 += e;
  h5 += f;
  h6 += g;
  h7 += h;
}

/** SHA-256 of the `len` (< 120) bytes at MSG, padded in place; the digest goes to `out`. */
function hashMessage(len: usize, out: usize): void {
  h0 = 0x6a09e667;
  h1 = 0xbb67ae85;
  h2 = 0x3c6ef372;
  h3 = 0xa54ff53a;
  h4 = 0x510e527f;
  h5 = 0x9b05688c;
  h6 = 0x1f83d9ab;
  h7 = 0x5be0cd19;
  const end: usize = len + 9 > 64 ? 128 : 64;
  memory.fill(MSG + len, 0, end - len);
  store<u8>(MSG + len, 0x80);
  store<u64>(MSG + end - 8, bswap<u64>(<u64>len << 3));
  compress(MSG);
  if (end == 128) compress(MSG + 64);
  store<u32>(out, bswap<u32>(h0));
  store<u32>(out, bswap<u32>(h1), 4);
  store<u32>(out, bswap<u32>(h2), 8);
  store<u32>(out, bswap<u32>(h3), 12);
  store<u32>(out, bswap<u32>(h4), 16);
  store<u32>(out, bswap<u32>(h5), 20);
  store<u32>(out, bswap<u32>(h6), 24);
  store<u32>(out, bswap<u32>(h7), 28);
}

export function io(): usize {
  return IO;
}

export function out(): usize {
  return OUT;
}

/** Whether SHA-256(previous chain_hash || record_hash) equals chain_hash, all three in IO. */
export function chainFollows(): bool {
  memory.copy(MSG, IO, 64);
  hashMessage(64, OUT);
  return load<u64>(OUT) == load<u64>(IO + 64) && load<u64>(OUT, 8) == load<u64>(IO + 72) && load<u64>(OUT, 16) == load<u64>(IO + 80) && load<u64>(OUT, 24) == load<u64>(IO + 88);
}

export function merkleStateBytes(): usize {
  return MERKLE_STATE_BYTES;
}

export function merkleReset(state: usize): void {
  store<u64>(state, 0);
}

/** Adds a leaf to the tree at `state`; its input (the record hash) is the record_hash slot of IO. */
export function merklePush(state: usize): void {
  let depth = <usize>load<u64>(state);
  const sizes = state + SIZES_AT;
  const stack = state + STACK_AT;
  store<u8>(MSG, 0x00);
  memory.copy(MSG + 1, IO + 32, 32);
  let slot = stack + (depth << 5);
  hashMessage(33, slot);
  let size: u64 = 1;
  while (depth > 0 && load<u64>(sizes + ((depth - 1) << 3)) == size) {
    const left = stack + ((depth - 1) << 5);
    store<u8>(MSG, 0x01);
    memory.copy(MSG + 1, left, 32);
    memory.copy(MSG + 33, slot, 32);
    hashMessage(65, left);
    depth--;
    slot = left;
    size <<= 1;
  }
  store<u64>(sizes + (depth << 3), size);
  store<u64>(state, depth + 1);
}

/** Writes the RFC 6962 root of the tree at `state` to OUT (SHA-256 of nothing for no leaves). */
export function merkleRoot(state: usize): void {
  const depth = <i32>load<u64>(state);
  const stack = state + STACK_AT;
  if (depth == 0) {
    hashMessage(0, OUT);
    return;
  }
  memory.copy(OUT, stack + (<usize>(depth - 1) << 5), 32);
  for (let i = depth - 2; i >= 0; i--) {
    store<u8>(MSG, 0x01);
    memory.copy(MSG + 1, stack + (<usize>i << 5), 32);
    memory.copy(MSG + 33, OUT, 32);
    hashMessage(65, OUT);
  }
}

/** First free byte after this module's static data: the JS side places Merkle states from here. */
export function heapBase(): usize {
  return __heap_base;
}
