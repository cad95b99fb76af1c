// A plain inflater (RFC 1951) whose only job is to find resume points in a gzip file: deflate block
// starts, every ~1 MiB of output, with their exact *bit* offset and the 32 KiB of output before them
// (zran's access points). Node's zlib cannot start at a bit offset (no inflatePrime), so a reader
// shifts the compressed bytes by that many bits to put the block on a byte boundary and hands the
// window to inflateRaw as its dictionary; native zlib then decodes from there at full speed.

export interface AccessPoint {
  /** Uncompressed offset of the first byte the block produces. */
  out: number;
  /** Offset in bits, from the start of the gzip file, of the block header. */
  bit: number;
  /** The up to 32 KiB of output before `out` (the deflate window). */
  window: Uint8Array;
}

export class InflateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InflateError';
  }
}

const WINDOW = 32 * 1024;

// RFC 1951 3.2.5 length and distance bases and extra bits.
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A decoding table indexed by the next `bits` input bits (LSB first): (symbol << 4) | code length. */
interface Table {
  bits: number;
  entries: Int32Array;
}

function buildTable(lengths: ArrayLike<number>, n: number): Table {
  let maxLen = 0;
  const count = new Uint16Array(16);
  for (let i = 0; i < n; i++) {
    const l = lengths[i]!;
    if (l > 15) throw new InflateError('code length above 15');
    count[l] = count[l]! + 1;
    if (l > maxLen) maxLen = l;
  }
  count[0] = 0;
  // Over-subscribed codes are invalid; incomplete ones are allowed (RFC leaves single codes).
  let left = 1;
  for (let l = 1; l <= 15; l++) {
    left = (left << 1) - count[l]!;
    if (left < 0) throw new InflateError('over-subscribed Huffman code');
  }
  const bits = Math.max(1, maxLen);
  const entries = new Int32Array(1 << bits).fill(-1);
  const next = new Uint16Array(16);
  let code = 0;
  for (let l = 1; l <= 15; l++) {
    code = (code + count[l - 1]!) << 1;
    next[l] = code;
  }
  for (let sym = 0; sym < n; sym++) {
    const l = lengths[sym]!;
    if (l === 0) continue;
    const c = next[l]!;
    next[l] = c + 1;
    // Reverse the code's bits: deflate packs Huffman codes MSB first into an LSB-first stream.
    let rev = 0;
    for (let k = 0; k < l; k++) rev |= ((c >> k) & 1) << (l - 1 - k);
    for (let fill = rev; fill < 1 << bits; fill += 1 << l) entries[fill] = (sym << 4) | l;
  }
  return { bits, entries };
}

let fixedLit: Table | undefined;
let fixedDist: Table | undefined;

function fixedTables(): [Table, Table] {
  if (!fixedLit) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixedLit = buildTable(l, 288);
    fixedDist = buildTable(new Uint8Array(30).fill(5), 30);
  }
  return [fixedLit, fixedDist!];
}

/**
 * Walks a whole gzip file (all members) and returns access points roughly every `spacing` bytes
 * of output, plus the total uncompressed size. Throws InflateError on corrupt data.
 */
export function findAccessPoints(gz: Uint8Array, spacing = 1 << 20, signal?: AbortSignal): { points: AccessPoint[]; size: number } {
  const points: AccessPoint[] = [];
  // Output ring: the last 32 KiB are all back-references can reach.
  const OUT = 1 << 22;
  let out = new Uint8Array(OUT + WINDOW + 258);
  let op = 0; // write position in `out`
  let total = 0; // uncompressed bytes so far (all members)
  let pos = 0; // next input byte
  let bitBuf = 0;
  let bitCnt = 0;
  let lastPoint = -Infinity;

  const need = (n: number): void => {
    while (bitCnt < n) {
      if (pos >= gz.length) throw new InflateError('the gzip data ends inside a deflate block');
      bitBuf |= gz[pos++]! << bitCnt;
      bitCnt += 8;
    }
  };
  const take = (n: number): number => {
    need(n);
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCnt -= n;
    return v;
  };
  const decode = (t: Table): number => {
    // Fill as many bits as the table wants, or as the input still has.
    while (bitCnt < t.bits && pos < gz.length) {
      bitBuf |= gz[pos++]! << bitCnt;
      bitCnt += 8;
    }
    const e = t.entries[bitBuf & ((1 << t.bits) - 1)]!;
    if (e < 0 || (e & 15) > bitCnt) throw new InflateError('invalid Huffman code');
    const len = e & 15;
    bitBuf >>>= len;
    bitCnt -= len;
    return e >> 4;
  };
  const flush = (): void => {
    // Keep only the window at the front so the buffer never grows.
    out.copyWithin(0, op - WINDOW, op);
    op = WINDOW;
  };
  const bitOffset = () => pos * 8 - bitCnt;

  while (pos < gz.length) {
    // gzip member header (RFC 1952)
    if (gz.length - pos < 18 || gz[pos] !== 0x1f || gz[pos + 1] !== 0x8b || gz[pos + 2] !== 8) {
      if (points.length > 0) break; // trailing garbage after a complete member: the verifier reports it
      throw new InflateError('not a gzip file');
    }
    const flg = gz[pos + 3]!;
    pos += 10;
    if (flg & 4) pos += 2 + (gz[pos]! | (gz[pos + 1]! << 8));
    if (flg & 8) while (pos < gz.length && gz[pos++] !== 0);
    if (flg & 16) while (pos < gz.length && gz[pos++] !== 0);
    if (flg & 2) pos += 2;
    bitBuf = 0;
    bitCnt = 0;
    op = 0;
    out = out.length === OUT + WINDOW + 258 ? out : new Uint8Array(OUT + WINDOW + 258);
    let memberStart = true;

    for (;;) {
      if (signal?.aborted) throw new InflateError('cancelled');
      // A block boundary: a resume point if far enough from the last one (or a member's start).
      if (memberStart || total - lastPoint >= spacing) {
        const windowLen = Math.min(op, WINDOW);
        points.push({ out: total, bit: bitOffset(), window: out.slice(op - windowLen, op) });
        lastPoint = total;
        memberStart = false;
      }
      const final = take(1);
      const type = take(2);
      if (type === 0) {
        // stored: align to a byte (giving back whole bytes read ahead), LEN, NLEN, raw bytes
        pos -= bitCnt >>> 3;
        bitBuf = 0;
        bitCnt = 0;
        if (pos + 4 > gz.length) throw new InflateError('truncated stored block');
        const len = gz[pos]! | (gz[pos + 1]! << 8);
        const nlen = gz[pos + 2]! | (gz[pos + 3]! << 8);
        if ((len ^ 0xffff) !== nlen) throw new InflateError('stored block length check failed');
        pos += 4;
        if (pos + len > gz.length) throw new InflateError('truncated stored block');
        for (let k = 0; k < len; k++) {
          if (op >= OUT + WINDOW) flush();
          out[op++] = gz[pos++]!;
        }
        total += len;
      } else if (type === 1 || type === 2) {
        let lit: Table;
        let dist: Table;
        if (type === 1) [lit, dist] = fixedTables();
        else {
          const hlit = take(5) + 257;
          const hdist = take(5) + 1;
          const hclen = take(4) + 4;
          const cl = new Uint8Array(19);
          for (let k = 0; k < hclen; k++) cl[CL_ORDER[k]!] = take(3);
          const clTable = buildTable(cl, 19);
          const lengths = new Uint8Array(hlit + hdist);
          for (let k = 0; k < hlit + hdist; ) {
            const sym = decode(clTable);
            if (sym < 16) lengths[k++] = sym;
            else {
              let rep: number;
              let val = 0;
              if (sym === 16) {
                if (k === 0) throw new InflateError('repeat with no previous length');
                val = lengths[k - 1]!;
                rep = 3 + take(2);
              } else if (sym === 17) rep = 3 + take(3);
              else rep = 11 + take(7);
              if (k + rep > hlit + hdist) throw new InflateError('code lengths overflow');
              lengths.fill(val, k, k + rep);
              k += rep;
            }
          }
          if (lengths[256] === 0) throw new InflateError('no end-of-block code');
          lit = buildTable(lengths.subarray(0, hlit), hlit);
          dist = buildTable(lengths.subarray(hlit), hdist);
        }
        for (;;) {
          if (op >= OUT + WINDOW) flush();
          const sym = decode(lit);
          if (sym < 256) {
            out[op++] = sym;
            total++;
          } else if (sym === 256) break;
          else {
            const li = sym - 257;
            if (li >= 29) throw new InflateError('invalid length symbol');
            const len = LEN_BASE[li]! + take(LEN_EXTRA[li]!);
            const di = decode(dist);
            if (di >= 30) throw new InflateError('invalid distance symbol');
            const d = DIST_BASE[di]! + take(DIST_EXTRA[di]!);
            if (d > op) throw new InflateError('distance beyond the start of the output');
            for (let k = 0; k < len; k++) {
              out[op] = out[op - d]!;
              op++;
            }
            total += len;
          }
        }
      } else throw new InflateError('invalid block type 3');
      if (final) break;
    }
    // Skip to the byte boundary and the 8-byte trailer (CRC32, ISIZE).
    pos -= bitCnt >>> 3;
    bitBuf = 0;
    bitCnt = 0;
    pos += 8;
  }
  return { points, size: total };
}
