// Reads the sealed line form's ending straight from a line's bytes, without a string or a regex:
//   ,"integrity":{"chain_hash":"<64 hex>","record_hash":"<64 hex>","seq":<digits>,"v":1}}
// (sealed-archive.md, "Line form"). The verifier's fast path runs this on every record, so the
// hashes come back as bytes, ready for the chain check and the Merkle leaf.

const OPEN = Buffer.from(',"integrity":{"chain_hash":"', 'latin1');
const MIDDLE = Buffer.from('","record_hash":"', 'latin1');
const SEQ = Buffer.from('","seq":', 'latin1');
const CLOSE = Buffer.from(',"v":1}}', 'latin1');
/** The tail's length without the digits of seq. */
const FIXED = OPEN.length + 64 + MIDDLE.length + 64 + SEQ.length + CLOSE.length;
/** seq has at most 16 digits (no leading zero), as the regex of the spec's line form allows. */
const MAX_SEQ_DIGITS = 16;

/** Value of a lowercase hex digit byte, or -1 (uppercase is not the line form, nor a canonical id). */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE['0123456789abcdef'.charCodeAt(c)] = c;

function same(buf: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/** Decodes 64 lowercase hex characters at `buf[at]` into `out`; false on any other character. */
export function decodeHex64(buf: Uint8Array, at: number, out: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const hi = HEX_VALUE[buf[at + 2 * i]!]!;
    const lo = HEX_VALUE[buf[at + 2 * i + 1]!]!;
    if ((hi | lo) < 0) return false;
    out[i] = (hi << 4) | lo;
  }
  return true;
}

/** The integrity member of the last line read, in bytes. Reused from line to line. */
export class SealedTail {
  readonly recordHash = new Uint8Array(32);
  readonly chainHash = new Uint8Array(32);
  seq = 0;
  /** Where the record_hash's hex digits start in the buffer. */
  recordHexAt = 0;

  /**
   * Reads the integrity member that ends the line `buf[start, end)`. Returns where it starts (the
   * end of the record's own members), or -1 when the line does not end in the sealed line form.
   */
  read(buf: Buffer, start: number, end: number): number {
    if (end - start < FIXED + 1 || !same(buf, end - CLOSE.length, CLOSE)) return -1;
    const digitsEnd = end - CLOSE.length;
    let digitsStart = digitsEnd;
    while (digitsStart > start && digitsEnd - digitsStart <= MAX_SEQ_DIGITS) {
      const c = buf[digitsStart - 1]!;
      if (c < 0x30 || c > 0x39) break;
      digitsStart--;
    }
    const digits = digitsEnd - digitsStart;
    if (digits === 0 || digits > MAX_SEQ_DIGITS || (digits > 1 && buf[digitsStart] === 0x30)) return -1;
    const tailStart = digitsStart - (FIXED - CLOSE.length);
    if (tailStart < start) return -1;
    const chainAt = tailStart + OPEN.length;
    const recordAt = chainAt + 64 + MIDDLE.length;
    if (!same(buf, tailStart, OPEN) || !same(buf, chainAt + 64, MIDDLE) || !same(buf, recordAt + 64, SEQ)) return -1;
    if (!decodeHex64(buf, chainAt, this.chainHash) || !decodeHex64(buf, recordAt, this.recordHash)) return -1;
    if (digits < MAX_SEQ_DIGITS) {
      let seq = 0;
      for (let i = digitsStart; i < digitsEnd; i++) seq = seq * 10 + (buf[i]! - 0x30);
      this.seq = seq;
    } else {
      this.seq = Number(buf.toString('latin1', digitsStart, digitsEnd));
    }
    this.recordHexAt = recordAt;
    return tailStart;
  }
}

/** Whether `hex` (64 lowercase hex characters) equals the 64 bytes at `buf[at]`. */
export function hexEquals(hex: string, buf: Uint8Array, at: number): boolean {
  for (let i = 0; i < 64; i++) if (hex.charCodeAt(i) !== buf[at + i]) return false;
  return true;
}
