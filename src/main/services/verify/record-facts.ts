// The few facts of a record that the consistency rules look at (completeness-erasure.md, section 2):
// its timestamp, publishing status and attempts, gate, success, total and stage times, provider and
// cost. `factsOfRecord` reads them from a parsed record and is their definition; `factsOfLine` reads
// the same facts straight from a canonical line's bytes with the index's WebAssembly field scanner
// (no JSON.parse, no string made for a plain value), which is what keeps them cheap on the
// verifier's fast path. The tests hold the two to each other.
import { createFieldScanner, type FieldScanner, type ValueVisitor } from '../index/scan-wasm';

/** Paths of the facts, in the index's path syntax; a path's position is its column. */
const FACT_PATHS = [
  'timestamp',
  'platform_publishing.status',
  'platform_publishing.attempts[].attempt',
  'brand_voice_analysis.gate_passed',
  'quality_assessment.success',
  'performance_metrics.total_ms',
  'performance_metrics.stages.validation_ms',
  'performance_metrics.stages.enrichment_ms',
  'performance_metrics.stages.vision_ms',
  'performance_metrics.stages.brand_voice_ms',
  'performance_metrics.stages.publishing_ms',
  'ai_enrichment.provider',
  'ai_enrichment.cost_usd',
] as const;

const COL_TIMESTAMP = 0;
const COL_STATUS = 1;
const COL_ATTEMPT = 2;
const COL_GATE = 3;
const COL_SUCCESS = 4;
const COL_TOTAL = 5;
const COL_FIRST_STAGE = 6;
const COL_LAST_STAGE = 10;
const COL_PROVIDER = 11;
const COL_COST = 12;

/** The stage members summed for `total_ms` (activationlog-record.md, `performance_metrics.stages`). */
export const STAGE_NAMES = FACT_PATHS.slice(COL_FIRST_STAGE, COL_LAST_STAGE + 1).map((p) => p.slice(p.lastIndexOf('.') + 1));

/** `platform_publishing.status` as the rules tell it apart. */
export const Status = { Absent: 0, Published: 1, Failed: 2, Blocked: 3, Other: 4 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/** The facts of one record; one instance is reused for every record of a file (cleared each time). */
export class RecordFacts {
  /** Micro-seconds since the epoch; NaN when absent or not an ISO-8601 UTC timestamp. */
  timestamp = NaN;
  status: Status = Status.Absent;
  /** `brand_voice_analysis.gate_passed` and `quality_assessment.success` when they are booleans. */
  gatePassed: boolean | undefined = undefined;
  success: boolean | undefined = undefined;
  /** NaN when absent or not a number. */
  totalMs = NaN;
  /** Each of STAGE_NAMES' times, NaN when absent or not a number. */
  readonly stageMs = new Float64Array(STAGE_NAMES.length).fill(NaN);
  /** `ai_enrichment.provider` is the string `mock`. */
  mockProvider = false;
  costUsd = NaN;
  /** The `attempt` numbers of `platform_publishing.attempts[]`, in order (elements without a numeric one are left out). */
  readonly attempts: number[] = [];

  clear(): void {
    this.timestamp = NaN;
    this.status = Status.Absent;
    this.gatePassed = undefined;
    this.success = undefined;
    this.totalMs = NaN;
    this.stageMs.fill(NaN);
    this.mockProvider = false;
    this.costUsd = NaN;
    this.attempts.length = 0;
  }
}

function statusOf(s: string): Status {
  switch (s) {
    case 'published':
      return Status.Published;
    case 'failed':
      return Status.Failed;
    case 'blocked':
      return Status.Blocked;
    default:
      return Status.Other;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Own member only: a record's `__proto__` or `constructor` key is data, never the prototype's. */
function member(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The facts of a parsed record (the definition `factsOfLine` follows). */
export function factsOfRecord(record: Record<string, unknown>, out: RecordFacts): void {
  out.clear();
  const ts = member(record, 'timestamp');
  if (typeof ts === 'string') out.timestamp = timestampMicros(ts);
  const publishing = member(record, 'platform_publishing');
  if (isObject(publishing)) {
    const status = member(publishing, 'status');
    if (typeof status === 'string') out.status = statusOf(status);
    const attempts = member(publishing, 'attempts');
    if (Array.isArray(attempts)) {
      for (const a of attempts) {
        const n = isObject(a) ? member(a, 'attempt') : undefined;
        if (typeof n === 'number') out.attempts.push(n);
      }
    }
  }
  const gate = member(record, 'brand_voice_analysis');
  if (isObject(gate)) {
    const passed = member(gate, 'gate_passed');
    if (typeof passed === 'boolean') out.gatePassed = passed;
  }
  const quality = member(record, 'quality_assessment');
  if (isObject(quality)) {
    const success = member(quality, 'success');
    if (typeof success === 'boolean') out.success = success;
  }
  const perf = member(record, 'performance_metrics');
  if (isObject(perf)) {
    const total = member(perf, 'total_ms');
    if (typeof total === 'number') out.totalMs = total;
    const stages = member(perf, 'stages');
    if (isObject(stages)) {
      STAGE_NAMES.forEach((name, i) => {
        const v = member(stages, name);
        if (typeof v === 'number') out.stageMs[i] = v;
      });
    }
  }
  const ai = member(record, 'ai_enrichment');
  if (isObject(ai)) {
    out.mockProvider = member(ai, 'provider') === 'mock';
    const cost = member(ai, 'cost_usd');
    if (typeof cost === 'number') out.costUsd = cost;
  }
}

const MOCK = Buffer.from('mock');
const PUBLISHED = Buffer.from('published');
const FAILED = Buffer.from('failed');
const BLOCKED = Buffer.from('blocked');

function bytesEqual(buf: Buffer, start: number, end: number, word: Buffer): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

/** Puts the scanner's values into a RecordFacts, as factsOfRecord reads the same members. */
class FactsVisitor implements ValueVisitor {
  facts = new RecordFacts();

  bytes(col: number, buf: Buffer, start: number, end: number): void {
    const f = this.facts;
    if (col === COL_TIMESTAMP) {
      f.timestamp = timestampMicrosOfBytes(buf, start, end);
    } else if (col === COL_STATUS) {
      f.status = bytesEqual(buf, start, end, PUBLISHED)
        ? Status.Published
        : bytesEqual(buf, start, end, FAILED)
          ? Status.Failed
          : bytesEqual(buf, start, end, BLOCKED)
            ? Status.Blocked
            : Status.Other;
    } else if (col === COL_PROVIDER) {
      f.mockProvider = bytesEqual(buf, start, end, MOCK);
    }
  }

  text(col: number, value: string): void {
    const f = this.facts;
    if (col === COL_TIMESTAMP) f.timestamp = timestampMicros(value);
    else if (col === COL_STATUS) f.status = statusOf(value);
    else if (col === COL_PROVIDER) f.mockProvider = value === 'mock';
  }

  number(col: number, value: number): void {
    const f = this.facts;
    if (col === COL_ATTEMPT) f.attempts.push(value);
    else if (col === COL_TOTAL) f.totalMs = value;
    else if (col >= COL_FIRST_STAGE && col <= COL_LAST_STAGE) f.stageMs[col - COL_FIRST_STAGE] = value;
    else if (col === COL_COST) f.costUsd = value;
  }

  boolean(col: number, value: boolean): void {
    if (col === COL_GATE) this.facts.gatePassed = value;
    else if (col === COL_SUCCESS) this.facts.success = value;
  }
}

let scanner: FieldScanner | undefined;
const visitor = new FactsVisitor();

/**
 * The facts of the canonical line `buf[start, end)`, read from its bytes into `out`. Returns false
 * when the line is not in the canonical form the scanner reads (then `out` is to be filled from the
 * parsed record instead).
 */
export function factsOfLine(buf: Buffer, start: number, end: number, out: RecordFacts): boolean {
  scanner ??= createFieldScanner(FACT_PATHS);
  out.clear();
  visitor.facts = out;
  if (headAndTail(scanner, buf, start, end)) return true;
  out.clear();
  return scanner.scanValues(buf, start, end, visitor);
}

// The facts sit in the members before `content_input` (ai_enrichment, brand_voice_analysis) and from
// `performance_metrics` on (or `platform_publishing`, when a record has no performance_metrics): in
// canonical key order, the body and the stack traces (content_input, errors), most of a large
// record, lie between them and need not be read. A run of members is scanned as an object of its
// own: `{` + members + `}`. A cut is found by its bytes `,"key":` (an unescaped quote after a comma:
// never inside a string), and it is at the top level exactly when that object scans whole: a key
// nested deeper leaves it with too few or too many closing brackets, and then the whole line is
// scanned. Below HEAD_AND_TAIL_BYTES the two searches cost about what they save: lines that short
// are scanned whole.
const HEAD_AND_TAIL_BYTES = 8 * 1024;
// Searched without their comma: a needle that starts with a quote skips through a long string
// (a body, a stack trace) far faster than one that starts with a comma, common in prose.
const HEAD_END = Buffer.from('"content_input":');
const TAIL_STARTS = [Buffer.from('"performance_metrics":'), Buffer.from('"platform_publishing":')];
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const TAIL_WINDOW = 4096;
/** Occurrences of a key looked at before the whole line is scanned instead. */
const MAX_TRIES = 4;

/** The offset in `line` of the comma of the first `,"key":` at or after `from`, or -1. */
function findCut(line: Buffer, quotedKey: Buffer, from: number): number {
  let at = line.indexOf(quotedKey, from);
  for (let tries = 0; at > 0 && tries < MAX_TRIES; tries++) {
    if (line[at - 1] === COMMA) return at - 1;
    at = line.indexOf(quotedKey, at + 1);
  }
  return -1;
}

function headAndTail(scanner: FieldScanner, buf: Buffer, start: number, end: number): boolean {
  if (end - start < HEAD_AND_TAIL_BYTES) return false;
  // A view of the line alone: a search must not run on into the other lines of the chunk.
  const line = buf.subarray(start, end);
  const head = findCut(line, HEAD_END, 0);
  if (head < 0 || !scanner.scanValues(buf, start, start + head, visitor, { after: CLOSE_BRACE })) return false;
  const afterHead = head + 1 + HEAD_END.length;
  for (const needle of TAIL_STARTS) {
    // The tail is a few KB at most: looked for near the end first, then anywhere after the head.
    const near = Math.max(afterHead, line.length - TAIL_WINDOW);
    let tail = findCut(line, needle, near);
    if (tail < 0 && near > afterHead) tail = findCut(line, needle, afterHead);
    if (tail < 0) continue;
    return scanner.scanValues(buf, start + tail + 1, end, visitor, { before: OPEN_BRACE });
  }
  return false;
}

const D0 = 0x30;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Micro-seconds since the epoch of an ISO-8601 UTC timestamp `YYYY-MM-DDTHH:MM:SS[.fraction]Z`
 * (fraction of 1 to 9 digits, beyond micro-seconds ignored); NaN for anything else (another form
 * is a schema_violation, and takes no part in the order or day checks).
 */
export function timestampMicros(s: string): number {
  if (s.length < 20 || s.length > 30 || !PRINTABLE_ASCII.test(s)) return NaN;
  const b = Buffer.from(s, 'latin1');
  return timestampMicrosOfBytes(b, 0, b.length);
}

/** A decimal digit's value, or NaN. */
function digitAt(b: Uint8Array, i: number): number {
  const d = b[i]! - D0;
  return d >= 0 && d <= 9 ? d : NaN;
}

function twoDigits(b: Uint8Array, i: number): number {
  return digitAt(b, i) * 10 + digitAt(b, i + 1);
}

/** `timestampMicros` of the bytes `b[start, end)` (the fast path reads them in place). */
export function timestampMicrosOfBytes(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 20 || n > 30 || b[end - 1] !== 0x5a /* Z */) return NaN;
  const i = start;
  if (b[i + 4] !== 0x2d || b[i + 7] !== 0x2d || b[i + 10] !== 0x54 || b[i + 13] !== 0x3a || b[i + 16] !== 0x3a) return NaN;
  const year = twoDigits(b, i) * 100 + twoDigits(b, i + 2);
  const month = twoDigits(b, i + 5);
  const day = twoDigits(b, i + 8);
  const hour = twoDigits(b, i + 11);
  const minute = twoDigits(b, i + 14);
  const second = twoDigits(b, i + 17);
  // NaN fails every comparison.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  let micros = 0;
  if (n > 20) {
    // ".f{1,9}Z"
    if (b[i + 19] !== 0x2e || n < 22) return NaN;
    let scale = 100_000;
    for (let k = i + 20; k < end - 1; k++) {
      const d = digitAt(b, k);
      if (d !== d) return NaN;
      micros += d * scale;
      scale /= 10;
    }
    micros = Math.floor(micros);
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + micros;
}

/** The UTC day number (days since 1970-01-01) of a timestamp in micro-seconds. */
export function dayOfMicros(micros: number): number {
  return Math.floor(micros / 86_400_000_000);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
