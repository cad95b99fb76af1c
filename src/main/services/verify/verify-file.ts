import { createHash, hash as oneShotHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { CanonicalizationError, canonicalizeWithout } from '../../../shared/jcs';
import { fromHex, toHex } from '../../../shared/merkle';
import type { Finding, Notice } from '../../../shared/findings';
import { validateRecord } from '../../../shared/record-schema';
import { Integrity } from '../../../shared/seal';
import { DEFAULT_LINE_CAP, scanLines, type ScanOptions } from '../archive/line-scanner';
import { chainNext } from '../seal/sealer';
import { activationIdOfWords, ActivationIdSet, PackedIdList, readLeadingCanonicalId, type PackedIds } from './activation-id-set';
import { DaySealHasher } from './seal-wasm';
import { SealedTail, hexEquals } from './sealed-tail';
import { findDuplicateKey } from './duplicate-keys';
import { ConsistencyChecker, type FileConsistency } from './consistency';

/** A sealed record's position in the chain, for stitching files together. */
export interface ChainLink {
  line: number;
  seq: number;
  recordHash: string;
  chainHash: string;
}

export interface DayFileResult extends FileConsistency {
  file: string;
  lines: number;
  /** Lines that parsed as JSON objects. */
  records: number;
  sealedRecords: number;
  /** Lines (1-based) of records without an `integrity` member. */
  unsealedLines: number[];
  findings: Finding[];
  notices: Notice[];
  bytes: number;
  diskBytes: number;
  contentSha256: string;
  /** RFC 6962 root over the recomputed record hashes of the file's records, in order. */
  merkleRoot: string;
  head?: ChainLink;
  tail?: ChainLink;
  /** False when the gzip stream broke off: then the file is never `valid`. */
  complete: boolean;
  /** Every record's activation_id (first sighting in this file) with its line, for the archive-wide duplicate check. */
  ids: PackedIds;
  fastPathRecords: number;
  slowPathRecords: number;
}

export type SchemaCheck = 'all' | 'changed';

export interface VerifyFileOptions extends Omit<ScanOptions, 'gzip'> {
  gzip: boolean;
  /** Whether the archive is sealed: then unsealed records still contribute a leaf to the Merkle root. */
  archiveSealed: boolean;
  /**
   * `all` parses and schema-checks every record. `changed` (the default) does so only for lines
   * that leave the fast path: an intact sealed line is byte for byte what the producer sealed.
   */
  schema?: SchemaCheck;
  /**
   * Called once for every line that holds a JSON object (a record), so an indexer can share this
   * pass. `buf[start, end)` is the line, valid only during the call; `record` is the parsed value
   * when this pass parsed the line (slow path, or `schema: 'all'`), undefined on the fast path.
   */
  onRecord?: (buf: Buffer, start: number, end: number, line: number, offset: number, record: Record<string, unknown> | undefined) => void;
  /**
   * Called for every leaf this pass adds to the day's Merkle tree, in order: the line, the leaf
   * input it hashed (the record's recomputed hash) and the seal the line claims, if it has one.
   * Lets a caller rebuild the tree for inclusion proofs with exactly the verifier's leaves.
   */
  onLeaf?: (leaf: DayLeaf) => void;
  /** Check each record's consistency (warnings); default true. A caller after the seal alone skips it. */
  consistency?: boolean;
}

export interface DayLeaf {
  line: number;
  /** SHA-256 of the record's canonical form, as recomputed here; the claimed hash when it cannot be recomputed. */
  leafInput: Uint8Array;
  /** The `integrity` member as the line states it, when it is a valid one. */
  claimed?: { seq: number; recordHash: string; chainHash: string };
}

// JCS sorts keys, so activation_id normally opens a sealed line; read it there without parsing.
// Canonical ids are read as bytes (readLeadingCanonicalId); any other id by this pattern, printable
// ASCII only: the line is read as latin1 here, so any other byte would garble the id (and make it
// differ from the same id read by JSON.parse on the slow path); such ids are parsed.
const LEADING_ID = /^\{"activation_id":"([\x20\x21\x23-\x5b\x5d-\x7e]{1,200})"/;
const CLOSE_BRACE = 0x7d;

/**
 * SHA-256 (hex) of `buf[start, end)` followed by `}`: the record's canonical form, which the sealed
 * line form turns into the line by replacing the closing brace with `,"integrity":{...}}`. The byte
 * at `end` is borrowed for the brace and restored, so the line is hashed in one call, uncopied.
 */
function hashRecordPrefix(buf: Buffer, start: number, end: number): string {
  const saved = buf[end]!;
  buf[end] = CLOSE_BRACE;
  try {
    return oneShotHash('sha256', buf.subarray(start, end + 1), 'hex');
  } finally {
    buf[end] = saved;
  }
}

const MAX_VIOLATIONS_IN_MESSAGE = 5;

function describeJsonError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `not valid JSON: ${msg}`;
}

/**
 * Verifies one day file in a single streaming pass: every line parsed and schema-checked, every
 * seal checked (fast path on the raw bytes, canonicalizing slow path behind it), the in-file chain
 * and seq followed, the content hash and Merkle root computed for the digest check.
 */
export async function verifyDayFile(path: string, file: string, opts: VerifyFileOptions): Promise<DayFileResult> {
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  // The day's Merkle tree over the recomputed record hashes, and the chain check (WebAssembly).
  const seal = new DaySealHasher();
  const unsealedLines: number[] = [];
  const ids = new PackedIdList();
  const firstLineOfId = new ActivationIdSet();
  let records = 0;
  let sealedRecords = 0;
  let fastPathRecords = 0;
  let slowPathRecords = 0;
  let head: ChainLink | undefined;
  // The chain's last link so far, kept as bytes (it changes every record; ChainLink strings are
  // made only for the head, the tail and findings).
  let hasTail = false;
  let tailLine = 0;
  let tailSeq = 0;
  const tailRecordHash = new Uint8Array(32);
  const tailChainHash = new Uint8Array(32);
  const sealedTail = new SealedTail();
  const idWords = new Uint32Array(4);
  const consistency = opts.consistency === false ? undefined : new ConsistencyChecker(file);

  const finding = (f: Omit<Finding, 'file'>): void => {
    findings.push({ file, ...f });
  };

  const recordHashOf = (obj: Record<string, unknown>, line: number, offset: number, seq?: number): string | undefined => {
    try {
      return createHash('sha256').update(canonicalizeWithout(obj, 'integrity')).digest('hex');
    } catch (e) {
      if (!(e instanceof CanonicalizationError)) throw e;
      finding({ kind: 'malformed_line', line, offset, seq, message: `record cannot be canonicalized (RFC 8785): ${e.message}` });
      return undefined;
    }
  };

  const trackIdWords = (line: number, offset: number, seq: number): void => {
    const first = firstLineOfId.addWords(idWords[0]!, idWords[1]!, idWords[2]!, idWords[3]!, line);
    if (first !== undefined) {
      finding({ kind: 'duplicate_activation_id', line, offset, seq, message: `activation_id ${activationIdOfWords(idWords)} already appears at line ${first} of this file` });
    } else {
      ids.pushWords(idWords[0]!, idWords[1]!, idWords[2]!, idWords[3]!, line);
    }
  };

  const trackId = (id: unknown, line: number, offset: number, seq: number | undefined): void => {
    if (typeof id !== 'string') return;
    const first = firstLineOfId.addIfAbsent(id, line);
    if (first !== undefined) {
      finding({ kind: 'duplicate_activation_id', line, offset, seq, message: `activation_id ${id} already appears at line ${first} of this file` });
    } else {
      ids.push(id, line);
    }
  };

  const checkSchema = (record: Record<string, unknown>, line: number, offset: number, seq: number | undefined): void => {
    const violations = validateRecord(record);
    if (violations.length === 0) return;
    const shown = violations.slice(0, MAX_VIOLATIONS_IN_MESSAGE).map((v) => `${v.path || '(record)'}: ${v.message}`);
    const more = violations.length > shown.length ? ` (+${violations.length - shown.length} more)` : '';
    finding({ kind: 'schema_violation', line, offset, seq, message: shown.join('; ') + more });
  };

  const tailLink = (): ChainLink => ({ line: tailLine, seq: tailSeq, recordHash: toHex(tailRecordHash), chainHash: toHex(tailChainHash) });

  /** Follows the chain to the record at `line`; the hashes are bytes, and only a finding makes strings of them. */
  const linkBytes = (line: number, seq: number, recordHash: Uint8Array, chainHash: Uint8Array, offset: number): void => {
    if (!hasTail) {
      head = { line, seq, recordHash: toHex(recordHash), chainHash: toHex(chainHash) };
    } else if (seq !== tailSeq + 1 || !seal.chainFollows(tailChainHash, recordHash, chainHash)) {
      checkLink(tailLink(), { line, seq, recordHash: toHex(recordHash), chainHash: toHex(chainHash) }, (f) => finding({ ...f, offset }));
    }
    hasTail = true;
    tailLine = line;
    tailSeq = seq;
    tailRecordHash.set(recordHash);
    tailChainHash.set(chainHash);
  };

  const link = (l: ChainLink, offset: number): void => linkBytes(l.line, l.seq, fromHex(l.recordHash), fromHex(l.chainHash), offset);

  /**
   * The spec's fast path: a line in the sealed line form whose bytes before the integrity member
   * hash to its record_hash is exactly what the producer sealed, so it needs no JSON parsing.
   * Returns false when the line must take the slow path.
   */
  const fastPath = (buf: Buffer, start: number, end: number, line: number, offset: number): boolean => {
    const prefixEnd = sealedTail.read(buf, start, end);
    if (prefixEnd < 0) return false;
    // The recomputed hash equals the claimed one, so the claimed bytes serve as the Merkle leaf.
    if (!hexEquals(hashRecordPrefix(buf, start, prefixEnd), buf, sealedTail.recordHexAt)) return false;
    const seq = sealedTail.seq;
    const canonicalId = readLeadingCanonicalId(buf, start, end, idWords);
    const head = canonicalId ? null : LEADING_ID.exec(buf.toString('latin1', start, Math.min(end, start + 64)));
    let record: Record<string, unknown> | undefined;
    if ((!canonicalId && !head) || opts.schema === 'all') {
      try {
        record = JSON.parse(buf.toString('utf8', start, end)) as Record<string, unknown>;
      } catch {
        return false; // the slow path reports it
      }
      if (opts.schema === 'all') checkSchema(record, line, offset, seq);
    }
    records++;
    sealedRecords++;
    fastPathRecords++;
    if (canonicalId) trackIdWords(line, offset, seq);
    else trackId(head ? head[1] : record!.activation_id, line, offset, seq);
    const recordHash = sealedTail.recordHash;
    seal.pushLeafInput(recordHash);
    if (opts.onLeaf) {
      const claimed = { seq, recordHash: toHex(recordHash), chainHash: toHex(sealedTail.chainHash) };
      opts.onLeaf({ line, leafInput: recordHash.slice(), claimed });
    }
    linkBytes(line, seq, recordHash, sealedTail.chainHash, offset);
    consistency?.checkLine(buf, start, end, record, line, offset, seq);
    opts.onRecord?.(buf, start, end, line, offset, record);
    return true;
  };

  const onLine = (buf: Buffer, start: number, end: number, line: number, offset: number, validUtf8: boolean): void => {
    if (start === end) {
      finding({ kind: 'malformed_line', line, offset, message: 'empty line' });
      return;
    }
    if (!validUtf8 && !isUtf8(buf.subarray(start, end))) {
      const bytes = buf.subarray(start, end);
      const at = firstInvalidUtf8(bytes);
      finding({
        kind: 'malformed_line',
        line,
        offset,
        message: `invalid UTF-8 at byte offset ${at} of the line (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}; offsets count from 0)`,
      });
      return;
    }
    if (fastPath(buf, start, end, line, offset)) return;

    // Slow path: any other form of the line (unsealed, re-serialized, reordered, altered, broken).
    const text = buf.toString('utf8', start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      finding({ kind: 'malformed_line', line, offset, message: describeJsonError(e) });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      finding({ kind: 'malformed_line', line, offset, message: `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
      return;
    }
    records++;
    const record = value as Record<string, unknown>;
    opts.onRecord?.(buf, start, end, line, offset, record);
    const sealed = Integrity.safeParse(record.integrity);
    const seq = sealed.success ? sealed.data.seq : undefined;
    checkSchema(record, line, offset, seq);
    consistency?.checkRecord(record, line, offset, seq);
    const dup = findDuplicateKey(text);
    if (dup) {
      finding({ kind: 'schema_violation', line, offset, seq, message: `duplicate member name ${JSON.stringify(dup.key)} in ${dup.path || 'the record'}: readers disagree on which value counts` });
    }
    trackId(record.activation_id, line, offset, seq);

    if (!sealed.success) {
      if (record.integrity === undefined) {
        unsealedLines.push(line);
        if (opts.archiveSealed) {
          const h = recordHashOf(record, line, offset);
          if (h) {
            seal.pushLeafInput(fromHex(h));
            opts.onLeaf?.({ line, leafInput: fromHex(h) });
          }
        }
      }
      // A present but malformed integrity member is already a schema_violation; the chain cannot
      // be followed through it, which the next record's chain check reports.
      return;
    }
    sealedRecords++;
    slowPathRecords++;
    const integrity = sealed.data;
    const recordHash = recordHashOf(record, line, offset, seq);
    if (recordHash !== undefined && recordHash !== integrity.record_hash) {
      finding({
        kind: 'record_hash_mismatch',
        line,
        offset,
        seq,
        message: `content hashes to ${recordHash.slice(0, 16)}…, the seal says ${integrity.record_hash.slice(0, 16)}…: the record was altered after sealing`,
      });
    }
    seal.pushLeafInput(fromHex(recordHash ?? integrity.record_hash));
    opts.onLeaf?.({
      line,
      leafInput: fromHex(recordHash ?? integrity.record_hash),
      claimed: { seq: integrity.seq, recordHash: integrity.record_hash, chainHash: integrity.chain_hash },
    });
    link({ line, seq: integrity.seq, recordHash: integrity.record_hash, chainHash: integrity.chain_hash }, offset);
  };

  let result: Awaited<ReturnType<typeof scanLines>>;
  let merkleRoot: string;
  try {
    result = await scanLines(
      path,
      {
        line: onLine,
        oversize: (line, offset, length) =>
          finding({ kind: 'malformed_line', line, offset, message: `line of ${length} bytes exceeds the ${opts.lineCap ?? DEFAULT_LINE_CAP} byte cap; skipped` }),
      },
      opts,
    );
    merkleRoot = toHex(seal.root());
  } finally {
    seal.release();
  }

  if (result.bom) notices.push({ file, line: 1, message: 'file starts with a UTF-8 byte order mark (ignored for parsing, part of the content hash)' });
  if (result.crlfLines > 0) {
    notices.push({ file, line: result.firstCrlfLine, message: `${result.crlfLines} line(s) end in CRLF instead of LF, first at line ${result.firstCrlfLine}` });
  }
  if (result.missingFinalNewline) notices.push({ file, line: result.lines, message: 'the last line has no terminating newline (truncated file?)' });
  if (result.lines === 0 && !result.decompressError) notices.push({ file, message: 'the file is empty' });
  if (result.decompressError) {
    const d = result.decompressError;
    findings.push({
      file,
      kind: 'decompress_error',
      line: d.atLine,
      message: `gzip stream breaks off at compressed byte ${d.compressedOffset} (${d.message}); the ${result.lines} line(s) before it were read but the file cannot be trusted`,
    });
  }
  if (result.trailingGzipBytes) {
    findings.push({
      file,
      kind: 'decompress_error',
      message: `${result.trailingGzipBytes} byte(s) follow the end of the gzip stream; they are not part of any record and were appended to the file`,
    });
  }

  return {
    file,
    lines: result.lines,
    records,
    sealedRecords,
    unsealedLines,
    findings,
    notices,
    bytes: result.bytes,
    diskBytes: result.diskBytes,
    contentSha256: result.contentSha256,
    merkleRoot,
    head,
    tail: hasTail ? tailLink() : undefined,
    complete: !result.decompressError,
    ids: ids.toJSON(),
    fastPathRecords,
    slowPathRecords,
    ...(consistency?.result() ?? { warnings: [], omittedWarnings: [], timestampSteps: [] }),
  };
}

/** Checks that `next` follows `prev` in the chain; reports seq gaps and chain breaks at `next`. */
export function checkLink(prev: ChainLink, next: ChainLink, report: (f: Omit<Finding, 'file'>) => void, prevFile?: string): void {
  const where = prevFile ? `${prevFile} line ${prev.line}` : `line ${prev.line}`;
  if (next.seq !== prev.seq + 1) {
    const missing = next.seq - prev.seq - 1;
    report({
      kind: 'seq_gap',
      line: next.line,
      seq: next.seq,
      message:
        missing > 0
          ? `seq jumps from ${prev.seq} (${where}) to ${next.seq}: ${missing} record(s) missing here (deleted)`
          : `seq goes from ${prev.seq} (${where}) to ${next.seq}: records inserted, duplicated or reordered here`,
    });
  }
  if (chainNext(prev.chainHash, next.recordHash) !== next.chainHash) {
    report({
      kind: 'chain_break',
      line: next.line,
      seq: next.seq,
      message: `chain_hash does not follow from the record before it (${where}, seq ${prev.seq}): a record was deleted, inserted or moved between them, or a seal was rewritten`,
    });
  }
}

/**
 * 0-based byte offset of the first ill-formed UTF-8 sequence (Unicode 15, table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or `bytes.length` when there is none. For error
 * messages only: the caller already knows the line is bad.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, lo] = [2, 0xa0];
    else if (b === 0xed) [need, hi] = [2, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b === 0xf0) [need, lo] = [3, 0x90];
    else if (b === 0xf4) [need, hi] = [3, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else return i; // 0x80-0xc1, 0xf5-0xff never start a sequence
    for (let k = 1; k <= need; k++) {
      const c = i + k < n ? bytes[i + k]! : -1;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}
