// The seal of one raw line, for building a day's Merkle leaves and for checking that an exported
// record is the one its record_hash names. Canonical sealed lines (FORMAT.md §5.2) are read from
// their last bytes without parsing; any other line form is parsed, as the verifier's slow path does.
import { createHash } from 'node:crypto';
import { canonicalizeWithout } from '../../../shared/jcs';
import { Integrity } from '../../../shared/seal';

const TAIL = /,"integrity":\{"chain_hash":"([0-9a-f]{64})","record_hash":"([0-9a-f]{64})","seq":(0|[1-9]\d*),"v":1\}\}$/;
const TAIL_BYTES = 240;

export interface LineSeal {
  /** The record_hash the line claims (hex), or the canonical hash of an unsealed record. */
  recordHash: string;
  seq: number | null;
  /** Where the integrity member starts in canonical line form; -1 when the line is in another form. */
  suffixAt: number;
  sealed: boolean;
}

/** A record's record_hash as the seal defines it: hex SHA-256 of JCS(record without `integrity`). */
export function recordHashOf(record: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalizeWithout(record, 'integrity')).digest('hex');
}

/** The seal a line carries, or null for a line that contributes no leaf (not a JSON object, broken seal). */
export function lineSeal(line: Buffer, archiveSealed: boolean): LineSeal | null {
  const tailStart = Math.max(0, line.length - TAIL_BYTES);
  const tail = line.toString('latin1', tailStart);
  const m = TAIL.exec(tail);
  if (m) {
    return { recordHash: m[2]!, seq: Number(m[3]), suffixAt: tailStart + m.index, sealed: true };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const rec = parsed as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(rec, 'integrity')) {
    const i = Integrity.safeParse(rec.integrity);
    if (!i.success) return null;
    return { recordHash: i.data.record_hash, seq: i.data.seq, suffixAt: -1, sealed: true };
  }
  // An unsealed record in a sealed archive still takes a leaf: the hash of its canonical form.
  if (!archiveSealed) return null;
  try {
    return { recordHash: recordHashOf(rec), seq: null, suffixAt: -1, sealed: false };
  } catch {
    return null;
  }
}

/**
 * Whether the line's own bytes show that its content hashes to its claimed record_hash (the fast
 * path). False means "not shown this way": the parsed record must then be canonicalized and hashed.
 */
export function confirmedByBytes(line: Buffer, seal: LineSeal): boolean {
  if (seal.suffixAt <= 0) return false;
  return createHash('sha256').update(line.subarray(0, seal.suffixAt)).update('}').digest('hex') === seal.recordHash;
}
