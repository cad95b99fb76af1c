// The archive-wide duplicate check must remember every activation_id. As JS strings in a Map that
// costs ~100 bytes a record; a month of millions of records would not fit the memory budget.
// Ids of the spec's form (`act_` + 32 hex) are kept here as 16 bytes in an open-addressing table
// (~40 bytes a record at the table's load), any other id in an ordinary Map.

import { HEX_VALUE } from './sealed-tail';

const CANONICAL_ID = /^act_[0-9a-f]{32}$/;
const EMPTY = -1;

/** 16 raw bytes of a canonical id, or undefined for any other string. */
export function packActivationId(id: string): Uint8Array | undefined {
  if (id.length !== 36 || !CANONICAL_ID.test(id)) return undefined;
  return Buffer.from(id.slice(4), 'hex');
}

const LEADING = Buffer.from('{"activation_id":"act_', 'latin1');

/**
 * Reads a canonical id where JCS puts it, at the very start of the line (`{"activation_id":"act_`
 * + 32 lowercase hex + `"`), into `words` as its packed form's four big-endian 32-bit words.
 * False when the line does not start that way (the caller then reads the id as a string).
 */
export function readLeadingCanonicalId(buf: Uint8Array, start: number, end: number, words: Uint32Array): boolean {
  if (end - start < LEADING.length + 33) return false;
  for (let i = 0; i < LEADING.length; i++) if (buf[start + i] !== LEADING[i]) return false;
  let at = start + LEADING.length;
  if (buf[at + 32] !== 0x22) return false;
  for (let w = 0; w < 4; w++) {
    let v = 0;
    for (let i = 0; i < 8; i++) {
      const d = HEX_VALUE[buf[at++]!]!;
      if (d < 0) return false;
      v = (v << 4) | d;
    }
    words[w] = v >>> 0;
  }
  return true;
}

/** The canonical id whose packed form has these four words. */
export function activationIdOfWords(words: Uint32Array): string {
  let s = 'act_';
  for (let w = 0; w < 4; w++) s += words[w]!.toString(16).padStart(8, '0');
  return s;
}

export function unpackActivationId(bytes: Uint8Array, at = 0): string {
  return 'act_' + Buffer.from(bytes.buffer, bytes.byteOffset + at, 16).toString('hex');
}

/** A set of activation ids, each with a number remembered from its first sighting (a line, a file index). */
export class ActivationIdSet {
  private words: Uint32Array;
  private values: Int32Array;
  private count = 0;
  private readonly others = new Map<string, number>();

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.words = new Uint32Array(capacity * 4);
    this.values = new Int32Array(capacity).fill(EMPTY);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  /** Adds `id` with `value`; returns the value of its first sighting when it was already there. */
  addIfAbsent(id: string, value: number): number | undefined {
    const packed = packActivationId(id);
    if (!packed) {
      const seen = this.others.get(id);
      if (seen === undefined) this.others.set(id, value);
      return seen;
    }
    return this.addPacked(packed, 0, value);
  }

  /** Same as addIfAbsent for an id already packed at `bytes[at, at + 16)`. */
  addPacked(bytes: Uint8Array, at: number, value: number): number | undefined {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 16);
    return this.addWords(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12), value);
  }

  /** Same as addPacked for the packed id's four big-endian 32-bit words. */
  addWords(w0: number, w1: number, w2: number, w3: number, value: number): number | undefined {
    if (value < 0) throw new RangeError('values must be non-negative');
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    const mask = this.values.length - 1;
    // Mixes all four words, so ids crafted to share a prefix do not pile into one probe run.
    let h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca6b) ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const existing = this.values[h]!;
      if (existing === EMPTY) {
        const k = h * 4;
        this.words[k] = w0;
        this.words[k + 1] = w1;
        this.words[k + 2] = w2;
        this.words[k + 3] = w3;
        this.values[h] = value;
        this.count++;
        return undefined;
      }
      const k = h * 4;
      if (this.words[k] === w0 && this.words[k + 1] === w1 && this.words[k + 2] === w2 && this.words[k + 3] === w3) return existing;
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const oldWords = this.words;
    const oldValues = this.values;
    const capacity = oldValues.length * 2;
    this.words = new Uint32Array(capacity * 4);
    this.values = new Int32Array(capacity).fill(EMPTY);
    this.count = 0;
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < oldValues.length; i++) {
      if (oldValues[i] === EMPTY) continue;
      for (let w = 0; w < 4; w++) view.setUint32(w * 4, oldWords[i * 4 + w]!);
      this.addPacked(bytes, 0, oldValues[i]!);
    }
  }
}

/**
 * A day file's ids in the form a worker sends back: canonical ids packed 16 bytes each (one
 * transferable buffer instead of thousands of strings), any other id as a string, each with its line.
 */
export class PackedIdList {
  private bytes = new Uint8Array(16 * 1024);
  private lines = new Int32Array(1024);
  private n = 0;
  readonly otherIds: string[] = [];
  readonly otherLines: number[] = [];

  push(id: string, line: number): void {
    const packed = packActivationId(id);
    if (!packed) {
      this.otherIds.push(id);
      this.otherLines.push(line);
      return;
    }
    this.reserve();
    this.bytes.set(packed, this.n * 16);
    this.lines[this.n++] = line;
  }

  /** Same as push for a canonical id given as its packed form's four big-endian 32-bit words. */
  pushWords(w0: number, w1: number, w2: number, w3: number, line: number): void {
    this.reserve();
    const at = this.n * 16;
    writeWord(this.bytes, at, w0);
    writeWord(this.bytes, at + 4, w1);
    writeWord(this.bytes, at + 8, w2);
    writeWord(this.bytes, at + 12, w3);
    this.lines[this.n++] = line;
  }

  private reserve(): void {
    if (this.n < this.lines.length) return;
    const bytes = new Uint8Array(this.bytes.length * 2);
    bytes.set(this.bytes);
    this.bytes = bytes;
    const lines = new Int32Array(this.lines.length * 2);
    lines.set(this.lines);
    this.lines = lines;
  }

  toJSON(): PackedIds {
    return { bytes: this.bytes.slice(0, this.n * 16), lines: this.lines.slice(0, this.n), otherIds: this.otherIds, otherLines: this.otherLines };
  }
}

function writeWord(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24;
  b[at + 1] = (w >>> 16) & 0xff;
  b[at + 2] = (w >>> 8) & 0xff;
  b[at + 3] = w & 0xff;
}

export interface PackedIds {
  bytes: Uint8Array;
  lines: Int32Array;
  otherIds: string[];
  otherLines: number[];
}
