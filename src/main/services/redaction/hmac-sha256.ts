// HMAC-SHA256 (RFC 2104) for many short messages under one key, on the plain-JS SHA-256 of
// src/shared/sha256.ts: node:crypto's createHmac pays a native object and key setup per message,
// several times the hashing for the 10-60 byte values pseudonymized here. Tested against it.
import { sha256 } from '../../../shared/sha256';

const BLOCK = 64;
const encoder = new TextEncoder();

export class HmacSha256 {
  /** K xor ipad, then room for the message. */
  private inner = new Uint8Array(BLOCK + 256);
  /** K xor opad, then the inner digest. */
  private readonly outer = new Uint8Array(BLOCK + 32);

  constructor(key: Uint8Array) {
    const k = key.length > BLOCK ? sha256(key) : key;
    for (let i = 0; i < BLOCK; i++) {
      const b = k[i] ?? 0;
      this.inner[i] = b ^ 0x36;
      this.outer[i] = b ^ 0x5c;
    }
  }

  /** HMAC of the UTF-8 bytes of `message`: 32 bytes. */
  digest(message: string): Uint8Array {
    const need = BLOCK + message.length * 3;
    if (this.inner.length < need) {
      const grown = new Uint8Array(Math.max(need, this.inner.length * 2));
      grown.set(this.inner.subarray(0, BLOCK));
      this.inner = grown;
    }
    const n = encoder.encodeInto(message, this.inner.subarray(BLOCK)).written;
    this.outer.set(sha256(this.inner.subarray(0, BLOCK + n)), BLOCK);
    return sha256(this.outer);
  }
}
