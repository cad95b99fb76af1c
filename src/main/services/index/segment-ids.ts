// The archive-wide duplicate check needs every day file's activation ids, each at its first line
// in the file: exactly the list the verifier makes (PackedIds). A segment does not store that list
// a second time: its activation_id column (sorted packed ids, a code per row) gives it. The build
// checks that it does, record for record; where it would not (ids that are not `act_` + 32 hex,
// hostile bytes), the segment stores the verifier's list itself.
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import type { PackedIds } from '../verify/activation-id-set';
import type { FinishedColumn } from './columns';
import type { LoadedColumn, LoadedSegment } from './segment';

/** The verifier's id list, stored because the column does not give it (rare). */
export interface StoredIds {
  /** Packed canonical ids, 16 bytes each, base64. */
  packed: string;
  lines: number[];
  otherIds: string[];
  otherLines: number[];
}

/** `column`: read the ids from the activation_id column; else the stored list. */
export type SegmentIds = 'column' | StoredIds;

export const ID_COLUMN = INDEXED_FIELDS.findIndex((f) => f.path === 'activation_id');
const CANONICAL_ID = /^act_[0-9a-f]{32}$/;
const EMPTY: PackedIds = { bytes: new Uint8Array(0), lines: new Int32Array(0), otherIds: [], otherLines: [] };

/** First sightings, in row (= line) order, from packed dictionary entries and each row's code. */
export function idsFromColumn(packedDict: Uint8Array, codes: ArrayLike<number>, lines: ArrayLike<number>): PackedIds {
  const k = packedDict.length / 16;
  const seen = new Uint8Array(k + 1);
  const bytes = new Uint8Array(packedDict.length);
  const firstLines = new Int32Array(k);
  let n = 0;
  for (let row = 0; row < codes.length; row++) {
    const c = codes[row]!;
    if (c === 0 || seen[c] === 1) continue;
    seen[c] = 1;
    bytes.set(packedDict.subarray((c - 1) * 16, c * 16), n * 16);
    firstLines[n++] = lines[row]!;
  }
  return { bytes: bytes.subarray(0, n * 16), lines: firstLines.subarray(0, n), otherIds: [], otherLines: [] };
}

function samePacked(a: PackedIds, b: PackedIds): boolean {
  if (a.lines.length !== b.lines.length || a.otherIds.length > 0 || b.otherIds.length > 0) return false;
  for (let i = 0; i < a.lines.length; i++) if (a.lines[i] !== b.lines[i]) return false;
  return Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.length).equals(Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.length));
}

/** At build time: `column` when the finished activation_id column gives exactly `verifierIds`. */
export function segmentIdsFor(verifierIds: PackedIds, column: FinishedColumn, lines: ArrayLike<number>): SegmentIds {
  if (column.type === 'keyword' && verifierIds.otherIds.length === 0) {
    if (column.dict.length === 0 && verifierIds.lines.length === 0) return 'column';
    if (column.dict.every((v) => CANONICAL_ID.test(v))) {
      const packed = Buffer.alloc(16 * column.dict.length);
      column.dict.forEach((v, i) => packed.write(v.slice(4), 16 * i, 'hex'));
      if (samePacked(idsFromColumn(packed, column.codes, lines), verifierIds)) return 'column';
    }
  }
  const b = verifierIds.bytes;
  return {
    packed: Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64'),
    lines: Array.from(verifierIds.lines),
    otherIds: verifierIds.otherIds,
    otherLines: verifierIds.otherLines,
  };
}

/** The day file's ids (first sightings, in line order) from its segment. */
export function idsOfSegment(segment: LoadedSegment): PackedIds {
  const stored = segment.header.ids;
  if (stored !== 'column') {
    const packed = Buffer.from(stored.packed, 'base64');
    return { bytes: new Uint8Array(packed.buffer, packed.byteOffset, packed.length), lines: Int32Array.from(stored.lines), otherIds: stored.otherIds, otherLines: stored.otherLines };
  }
  const column = segment.columns[ID_COLUMN] as Extract<LoadedColumn, { type: 'keyword' }>;
  const packed = column.dict.packedIds();
  if (!packed) return EMPTY; // an empty dictionary is not stored packed
  return idsFromColumn(packed, column.codes, segment.rows.line);
}
