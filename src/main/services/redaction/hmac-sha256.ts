// HMAC-SHA256 (RFC 2104, FIPS 180-4) for many short messages under one key. The key's inner and
// outer pad blocks are compressed once; each message then costs its own blocks plus one outer
// block, with no allocation. node:crypto's createHmac pays a native object and key setup per
// message, several times this for the 10-60 byte values pseudonymized here. Tested against it.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes at `block[off]` into `state`. */
function compress(state: Int32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

const encoder = new TextEncoder();

export class HmacSha256 {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private buf = new Uint8Array(256);
  private readonly outerBlock = new Uint8Array(64);

  constructor(key: Uint8Array) {
    let k = key;
    if (k.length > 64) {
      const h = new HmacSha256(new Uint8Array(0));
      k = h.sha256(k);
    }
    const pad = new Uint8Array(64);
    pad.set(k);
    const ipad = pad.map((x) => x ^ 0x36);
    const opad = pad.map((x) => x ^ 0x5c);
    this.inner.set(IV);
    compress(this.inner, ipad, 0);
    this.outer.set(IV);
    compress(this.outer, opad, 0);
  }

  /** Plain SHA-256 (used only to shorten a key longer than a block). */
  private sha256(data: Uint8Array): Uint8Array {
    const s = new Int32Array(IV);
    const total = data.length;
    const blocks = Math.ceil((total + 9) / 64);
    const padded = new Uint8Array(blocks * 64);
    padded.set(data);
    padded[total] = 0x80;
    const bits = total * 8;
    const dv = new DataView(padded.buffer);
    dv.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
    dv.setUint32(padded.length - 4, bits >>> 0);
    for (let off = 0; off < padded.length; off += 64) compress(s, padded, off);
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) ov.setInt32(i * 4, s[i]!);
    return out;
  }

  /**
   * HMAC of the UTF-8 bytes of `message`, written as 8 big-endian 32-bit words into `out`
   * (the digest's bytes are out[0]>>>24, out[0]>>>16&255, ...).
   */
  digestWords(message: string, out: Int32Array): void {
    // The message follows the 64-byte ipad block: lengths count it.
    const maxBytes = message.length * 3 + 72;
    if (this.buf.length < maxBytes) this.buf = new Uint8Array(Math.max(maxBytes, this.buf.length * 2));
    const buf = this.buf;
    const n = encoder.encodeInto(message, buf).written;
    const blocks = Math.ceil((n + 9) / 64);
    const end = blocks * 64;
    buf.fill(0, n, end);
    buf[n] = 0x80;
    const bits = (n + 64) * 8;
    buf[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
    buf[end - 4] = (bits >>> 24) & 0xff;
    buf[end - 3] = (bits >>> 16) & 0xff;
    buf[end - 2] = (bits >>> 8) & 0xff;
    buf[end - 1] = bits & 0xff;
    const s = this.state;
    s.set(this.inner);
    for (let off = 0; off < end; off += 64) compress(s, buf, off);
    const ob = this.outerBlock;
    for (let i = 0; i < 8; i++) {
      const w = s[i]!;
      ob[i * 4] = w >>> 24;
      ob[i * 4 + 1] = (w >>> 16) & 0xff;
      ob[i * 4 + 2] = (w >>> 8) & 0xff;
      ob[i * 4 + 3] = w & 0xff;
    }
    ob[32] = 0x80;
    ob.fill(0, 33, 62);
    // (64 + 32) bytes = 768 bits
    ob[62] = 0x03;
    ob[63] = 0x00;
    out.set(this.outer);
    compress(out, ob, 0);
  }

  /** The HMAC as 32 bytes. */
  digest(message: string): Uint8Array {
    const w = new Int32Array(8);
    this.digestWords(message, w);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      out[i * 4] = w[i]! >>> 24;
      out[i * 4 + 1] = (w[i]! >>> 16) & 0xff;
      out[i * 4 + 2] = (w[i]! >>> 8) & 0xff;
      out[i * 4 + 3] = w[i]! & 0xff;
    }
    return out;
  }
}
