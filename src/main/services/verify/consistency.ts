// Consistency warnings of one day file (completeness-erasure.md, section 2), made in the file's own
// verification pass from each record's facts (record-facts.ts): `wrong_day_file` and
// `inconsistent_record` in full; for `timestamp_out_of_order`, every step back in time with its
// size, since the tolerance (`--skew`) is applied when the archive's report is assembled (the same
// per-file result serves any tolerance, from a worker or from the index cache alike).
import type { OmittedWarnings, Warning, WarningKind } from '../../../shared/findings';
import { dayFileDate } from '../../../shared/seal';
import { dayNumber, dayOfNumber } from '../../../shared/checkpoint';
import { INCONSISTENT_RECORD_RULES } from './consistency-rules';
import { dayOfMicros, factsOfLine, factsOfRecord, RecordFacts } from './record-facts';

/** Warnings kept per file; past it they are counted by kind (a file of a million misdated records stays small). */
export const WARNINGS_KEPT_PER_FILE = 1000;


/** A record with a timestamp: where it is, and when. */
export interface TimedRecord {
  line: number;
  seq?: number;
  micros: number;
}

/** What a file's pass found about consistency (part of its DayFileResult). */
export interface FileConsistency {
  /** `wrong_day_file` and `inconsistent_record`, up to WARNINGS_KEPT_PER_FILE. */
  warnings: Warning[];
  omittedWarnings: OmittedWarnings[];
  /**
   * Every record whose timestamp is earlier than the previous timestamped record's, as quadruples
   * [line, seq (-1: none), previous line, micro-seconds back] (the tolerance is applied at assembly).
   */
  timestampSteps: number[];
  /** The file's first and last records with a timestamp, for the order across day files. */
  firstTimed?: TimedRecord;
  lastTimed?: TimedRecord;
}

export class ConsistencyChecker {
  readonly #file: string;
  /** The file's UTC day number, NaN when its name has no date. */
  readonly #day: number;
  readonly #warnings: Warning[] = [];
  readonly #omitted = new Map<WarningKind, OmittedWarnings>();
  readonly #steps: number[] = [];
  #first: TimedRecord | undefined;
  #lastLine = 0;
  #lastSeq: number | undefined;
  #lastMicros = NaN;

  constructor(file: string) {
    this.#file = file;
    const date = dayFileDate(file);
    this.#day = date ? dayNumber(date) : NaN;
  }

  readonly #facts = new RecordFacts();

  /**
   * Checks the record on the sealed line `buf[start, end)`: its facts read from the bytes (or from
   * `record` when the pass parsed it, or from parsing it when the scanner cannot read the line).
   */
  checkLine(buf: Buffer, start: number, end: number, record: Record<string, unknown> | undefined, line: number, offset: number, seq: number | undefined): void {
    const f = this.#facts;
    if (record) factsOfRecord(record, f);
    else if (!factsOfLine(buf, start, end, f)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(buf.toString('utf8', start, end));
      } catch {
        parsed = undefined;
      }
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) factsOfRecord(parsed as Record<string, unknown>, f);
      else f.clear();
    }
    this.check(f, line, offset, seq);
  }

  /** Checks a record the pass parsed. */
  checkRecord(record: Record<string, unknown>, line: number, offset: number, seq: number | undefined): void {
    factsOfRecord(record, this.#facts);
    this.check(this.#facts, line, offset, seq);
  }

  /** Checks one record (in line order) from its facts. */
  check(f: RecordFacts, line: number, offset: number, seq: number | undefined): void {
    const t = f.timestamp;
    if (!Number.isNaN(t)) {
      if (!Number.isNaN(this.#day) && dayOfMicros(t) !== this.#day) {
        const day = dayOfNumber(dayOfMicros(t));
        this.#warn({ kind: 'wrong_day_file', file: this.#file, line, seq, offset, message: `the record's timestamp is on ${day} (UTC), not on ${dayOfNumber(this.#day)}, the day of this file` });
      }
      if (t < this.#lastMicros) this.#steps.push(line, seq ?? -1, this.#lastLine, this.#lastMicros - t);
      if (!this.#first) this.#first = { line, seq, micros: t };
      this.#lastLine = line;
      this.#lastSeq = seq;
      this.#lastMicros = t;
    }
    for (let i = 0; i < INCONSISTENT_RECORD_RULES.length; i++) {
      const rule = INCONSISTENT_RECORD_RULES[i]!;
      if (rule.breaks(f)) this.#warn({ kind: 'inconsistent_record', file: this.#file, line, seq, offset, rule: rule.id, message: rule.message(f) });
    }
  }

  #warn(w: Warning): void {
    if (w.seq === undefined) delete w.seq;
    if (this.#warnings.length < WARNINGS_KEPT_PER_FILE) {
      this.#warnings.push(w);
      return;
    }
    const o = this.#omitted.get(w.kind);
    if (o) {
      o.count++;
      o.lastLine = w.line!;
    } else this.#omitted.set(w.kind, { kind: w.kind, count: 1, firstLine: w.line!, lastLine: w.line! });
  }

  result(): FileConsistency {
    const out: FileConsistency = { warnings: this.#warnings, omittedWarnings: [...this.#omitted.values()], timestampSteps: this.#steps };
    if (this.#first) out.firstTimed = this.#first;
    if (!Number.isNaN(this.#lastMicros)) out.lastTimed = { line: this.#lastLine, seq: this.#lastSeq, micros: this.#lastMicros };
    return out;
  }
}
