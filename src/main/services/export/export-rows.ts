// Reads back the seal columns (integrity.seq, integrity.record_hash) of every row of an export, so
// verify-export can tie the file's rows to the manifest's proofs one by one. Streaming readers
// only: an export of millions of rows is never loaded whole.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExportFormat } from '../../../shared/export-manifest';
import { loadExcelJs, loadParquetJs } from './lazy-deps';
import { recordHashOf } from './line-seal';

export interface RowSeal {
  seq: number | null;
  recordHash: string | null;
  /** JSONL: the record_hash the exported record itself hashes to (JCS without `integrity`). */
  contentHash?: string | null;
}

export class ExportReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportReadError';
  }
}

function toSeq(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isSafeInteger(n) ? n : NaN;
}

function toHash(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return String(v);
}

/**
 * RFC 4180 records from a stream of text, keeping only the first `keep` fields of each (the rest
 * are parsed past). Quoted fields may hold commas, quotes ("") and line breaks.
 */
export async function* csvRecords(chunks: AsyncIterable<string>, keep: number): AsyncGenerator<string[]> {
  let field = '';
  let fields: string[] = [];
  let fieldIndex = 0;
  let inQuotes = false;
  let quotePending = false;
  let first = true;
  let any = false;
  const endField = (): void => {
    if (fieldIndex < keep) fields.push(field);
    field = '';
    fieldIndex++;
  };
  for await (let chunk of chunks) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    const out: string[][] = [];
    // A field's text is taken as slices of the chunk (runs between special characters), not a
    // character at a time: whole-row reads (verify-export --archive) would otherwise spend most
    // of their time collecting garbage.
    let run = 0;
    const take = (end: number): void => {
      if (fieldIndex < keep && end > run) field += chunk.slice(run, end);
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (quotePending) {
        quotePending = false;
        if (c === 34) {
          // "" inside quotes: this quote is text.
          run = i;
          continue;
        }
        inQuotes = false;
        run = i;
      }
      if (inQuotes) {
        if (c === 34) {
          take(i);
          quotePending = true;
          run = i + 1;
        }
        continue;
      }
      any = true;
      if (c === 34) {
        take(i);
        inQuotes = true;
        run = i + 1;
      } else if (c === 44) {
        take(i);
        endField();
        run = i + 1;
      } else if (c === 10) {
        take(i);
        endField();
        out.push(fields);
        fields = [];
        fieldIndex = 0;
        any = false;
        run = i + 1;
      } else if (c === 13) {
        // CR LF ends a record; the LF does the work
        take(i);
        run = i + 1;
      }
    }
    take(chunk.length);
    for (const r of out) yield r;
  }
  if (quotePending) inQuotes = false;
  if (inQuotes) throw new ExportReadError('the CSV ends inside a quoted field');
  if (any || field !== '' || fields.length > 0) {
    endField();
    yield fields;
  }
}

async function* csvSeals(file: string): AsyncGenerator<RowSeal> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let header = true;
  for await (const rec of csvRecords(stream as AsyncIterable<string>, 2)) {
    if (header) {
      header = false;
      if (rec[0] !== 'integrity.seq' || rec[1] !== 'integrity.record_hash') {
        throw new ExportReadError(`the CSV does not start with the columns integrity.seq,integrity.record_hash (found ${JSON.stringify(rec.slice(0, 2))})`);
      }
      continue;
    }
    yield { seq: toSeq(rec[0]), recordHash: toHash(rec[1]) };
  }
}

async function* jsonlSeals(file: string): AsyncGenerator<RowSeal> {
  for await (const { n, text } of jsonlLines(file)) {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      throw new ExportReadError(`line ${n} of the JSONL file is not JSON`);
    }
    const integrity = rec !== null && typeof rec === 'object' ? (rec as { integrity?: { seq?: unknown; record_hash?: unknown } }).integrity : undefined;
    let contentHash: string | null = null;
    if (rec !== null && typeof rec === 'object' && !Array.isArray(rec)) {
      try {
        contentHash = recordHashOf(rec as Record<string, unknown>);
      } catch {
        contentHash = null;
      }
    }
    yield { seq: toSeq(integrity?.seq), recordHash: toHash(integrity?.record_hash), contentHash };
  }
}

export function xlsxText(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && 'richText' in (v as object)) {
    return ((v as { richText: { text: string }[] }).richText ?? []).map((r) => r.text).join('');
  }
  return v;
}

/**
 * Rows of the first sheet as values by column path. The paths are the second row (the first holds
 * labels); sheets written before labels have the paths in the first row.
 */
export async function* xlsxRows(file: string): AsyncGenerator<Map<string, unknown>> {
  const ExcelJS = loadExcelJs();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  for await (const sheet of reader) {
    let paths: string[] | null = null;
    let first = true;
    for await (const row of sheet) {
      const values = (row.values as unknown[]).map(xlsxText);
      if (paths === null) {
        if (values[1] === 'integrity.seq' || values.includes('integrity.seq')) {
          paths = values.map((v) => (typeof v === 'string' ? v : ''));
          continue;
        }
        if (!first) throw new ExportReadError('the first sheet has no row of column paths (integrity.seq, integrity.record_hash, …) in its first two rows');
        first = false;
        continue;
      }
      const out = new Map<string, unknown>();
      paths.forEach((p, i) => {
        if (p) out.set(p, values[i] ?? null);
      });
      yield out;
    }
    if (paths === null) throw new ExportReadError('the first sheet has no row of column paths');
    // Only the first sheet holds records.
    return;
  }
}

async function* xlsxSeals(file: string): AsyncGenerator<RowSeal> {
  for await (const row of xlsxRows(file)) {
    if (!row.has('integrity.seq') || !row.has('integrity.record_hash')) throw new ExportReadError('the first sheet does not have the columns integrity.seq and integrity.record_hash');
    yield { seq: toSeq(row.get('integrity.seq')), recordHash: toHash(row.get('integrity.record_hash')) };
  }
}

/** Every row of a CSV export as its fields by the header's column paths. */
export async function* csvRows(file: string): AsyncGenerator<Map<string, string>> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let header: string[] | null = null;
  for await (const rec of csvRecords(stream as AsyncIterable<string>, Number.MAX_SAFE_INTEGER)) {
    if (header === null) {
      header = rec;
      continue;
    }
    const out = new Map<string, string>();
    header.forEach((p, i) => out.set(p, rec[i] ?? ''));
    yield out;
  }
}

/** Every row of a Parquet export as its values by column path. */
export async function* parquetRows(file: string): AsyncGenerator<Map<string, unknown>> {
  const parquet = loadParquetJs();
  const reader = await parquet.ParquetReader.openFile(file);
  try {
    const cursor = reader.getCursor();
    for (let row = (await cursor.next()) as Record<string, unknown> | null; row; row = (await cursor.next()) as Record<string, unknown> | null) {
      yield new Map(Object.entries(row));
    }
  } finally {
    await reader.close();
  }
}

/** The lines of a JSONL export, in order (empty lines skipped), with their 1-based line numbers. */
export async function* jsonlLines(file: string): AsyncGenerator<{ n: number; text: string }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line !== '') yield { n, text: line };
  }
}

async function* parquetSeals(file: string): AsyncGenerator<RowSeal> {
  const parquet = loadParquetJs();
  const reader = await parquet.ParquetReader.openFile(file);
  try {
    const cursor = reader.getCursor();
    for (let row = (await cursor.next()) as Record<string, unknown> | null; row; row = (await cursor.next()) as Record<string, unknown> | null) {
      yield { seq: toSeq(row['integrity.seq']), recordHash: toHash(row['integrity.record_hash']) };
    }
  } finally {
    await reader.close();
  }
}

/** The seal of every row of an export file, in file order; null for a format whose rows are not machine-readable (PDF). */
export function rowSeals(file: string, format: ExportFormat): AsyncGenerator<RowSeal> | null {
  switch (format) {
    case 'csv':
      return csvSeals(file);
    case 'jsonl':
      return jsonlSeals(file);
    case 'xlsx':
      return xlsxSeals(file);
    case 'parquet':
      return parquetSeals(file);
    case 'pdf':
      return null;
  }
}
