// Turns raw selected lines into output rows: parse, check the content against its record_hash when
// the fast path could not, redact, and project for the writer (a JSON line, or the cells of the
// writer's columns). The same code runs on the export's thread (InlineProcessor) or in a worker
// thread (redact-worker.ts via WorkerProcessor), which overlaps redaction with reading, hashing and
// writing. One processor per export, fed in order, so pseudonym numbering is one sequence and the
// output is the same either way.
import { Worker } from 'node:worker_threads';
import type { RedactionProfile } from '../../../shared/redaction-profile';
import { KnownIdentifiers, NameLexicon } from '../redaction/detectors';
import { Redactor, type RedactionRuleCount } from '../redaction/redactor';
import { cellValue, columnFor, projectRecord, rawValue, type Column } from './columns';
import { recordHashOf } from './line-seal';

/** What the writer wants per record. */
export type OutputSpec = { kind: 'json'; fields?: string[] } | { kind: 'cells'; columns: string[]; raw: boolean };

export type OutputRow = string | unknown[];

export interface ProcessorSetup {
  profile: RedactionProfile;
  secret: Uint8Array;
  names: [string, string][];
  identifiers: [string, string][];
  output: OutputSpec;
}

export interface LineJob {
  lines: Buffer[];
  /** Per line: the claimed record_hash to check the parsed content against, or null when already confirmed. */
  check: (string | null)[];
}

export interface ProcessedJob {
  /** Per line: the output row, or null when the line is not a JSON object. */
  rows: (OutputRow | null)[];
  /** Per line: the content does not hash to the claimed record_hash. */
  mismatch: boolean[];
  /** Per line: values redaction changed. */
  changed: number[];
}

export interface RedactionTotals {
  rules: RedactionRuleCount[];
  changed: number;
  pseudonyms: Record<string, number>;
}

export interface RecordProcessor {
  process(job: LineJob): Promise<ProcessedJob>;
  /** Counts over everything processed. */
  totals(): Promise<RedactionTotals>;
  close(): Promise<void>;
}

/** The processing itself, shared by both processors. */
export class LineRedactor {
  private readonly redactor: Redactor;
  private readonly columns: Column[] | null;

  constructor(private readonly setup: ProcessorSetup) {
    const names = new NameLexicon();
    for (const [n, label] of setup.names) names.add(n, label);
    const identifiers = new KnownIdentifiers();
    for (const [v, label] of setup.identifiers) identifiers.add(v, label);
    this.redactor = new Redactor(setup.profile, { secret: setup.secret, names, identifiers });
    this.columns = setup.output.kind === 'cells' ? setup.output.columns.map(columnFor) : null;
  }

  process(job: LineJob): ProcessedJob {
    const rows: (OutputRow | null)[] = [];
    const mismatch: boolean[] = [];
    const changed: number[] = [];
    const out = this.setup.output;
    for (let i = 0; i < job.lines.length; i++) {
      let record: unknown;
      try {
        record = JSON.parse(job.lines[i]!.toString('utf8'));
      } catch {
        record = undefined;
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        rows.push(null);
        mismatch.push(false);
        changed.push(0);
        continue;
      }
      const claimed = job.check[i];
      let bad = false;
      if (claimed) {
        try {
          bad = recordHashOf(record as Record<string, unknown>) !== claimed;
        } catch {
          bad = true;
        }
      }
      mismatch.push(bad);
      const before = this.redactor.changed;
      const redacted = this.redactor.redactRecordInPlace(record);
      changed.push(this.redactor.changed - before);
      if (out.kind === 'json') rows.push(JSON.stringify(out.fields ? projectRecord(redacted, out.fields) : redacted));
      else rows.push(this.columns!.map((c) => (out.raw ? rawValue(redacted, c) : cellValue(redacted, c))));
    }
    return { rows, mismatch, changed };
  }

  totals(): RedactionTotals {
    return { rules: this.redactor.ruleCounts(), changed: this.redactor.changed, pseudonyms: this.redactor.distinctPseudonyms() };
  }
}

export class InlineProcessor implements RecordProcessor {
  private readonly inner: LineRedactor;
  constructor(setup: ProcessorSetup) {
    this.inner = new LineRedactor(setup);
  }
  async process(job: LineJob): Promise<ProcessedJob> {
    return this.inner.process(job);
  }
  async totals(): Promise<RedactionTotals> {
    return this.inner.totals();
  }
  async close(): Promise<void> {}
}

// ---------------------------------------------------------------- worker side protocol

export type ToRedactWorker =
  | { type: 'setup'; setup: ProcessorSetup }
  | { type: 'job'; id: number; data: ArrayBuffer; ends: Uint32Array; check: (string | null)[] }
  | { type: 'totals'; id: number };

export type FromRedactWorker =
  | { type: 'job'; id: number; result: ProcessedJob }
  | { type: 'totals'; id: number; result: RedactionTotals }
  | { type: 'error'; id: number; message: string };

/** The lines of a job packed into one transferable buffer. */
function pack(lines: Buffer[]): { data: ArrayBuffer; ends: Uint32Array } {
  let total = 0;
  for (const l of lines) total += l.length;
  const data = new ArrayBuffer(total);
  const view = new Uint8Array(data);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  lines.forEach((l, i) => {
    view.set(l, at);
    at += l.length;
    ends[i] = at;
  });
  return { data, ends };
}

export function unpack(data: ArrayBuffer, ends: Uint32Array): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(Buffer.from(data, start, end - start));
    start = end;
  }
  return out;
}

/** Runs a LineRedactor in a worker thread (the bundled redact-worker entry at `workerFile`). */
export class WorkerProcessor implements RecordProcessor {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure?: Error;

  constructor(workerFile: string, setup: ProcessorSetup) {
    this.worker = new Worker(workerFile);
    this.worker.on('message', (m: FromRedactWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new Error(`redaction worker: ${m.message}`));
      else p.resolve(m.result);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`redaction worker exited (code ${code})`)));
    this.worker.postMessage({ type: 'setup', setup } satisfies ToRedactWorker);
  }

  private call<T>(msg: ToRedactWorker, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.set((msg as { id: number }).id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(msg, transfer);
    });
  }

  process(job: LineJob): Promise<ProcessedJob> {
    const { data, ends } = pack(job.lines);
    return this.call<ProcessedJob>({ type: 'job', id: this.nextId++, data, ends, check: job.check }, [data]);
  }

  totals(): Promise<RedactionTotals> {
    return this.call<RedactionTotals>({ type: 'totals', id: this.nextId++ });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }
}
