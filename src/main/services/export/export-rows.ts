// Reads back the seal columns (integrity.seq, integrity.record_hash) of every row of an export, so
// verify-export can tie the file's rows to the manifest's proofs one by one. Streaming readers
// only: an export of millions of rows is never loaded whole.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExportFormat } from '../../../shared/export-manifest';
import { loadExcelJs, loadParquetJs } from './lazy-deps';

export interface RowSeal {
  seq: number | null;
  recordHash: string | null;
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
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (quotePending) {
        quotePending = false;
        if (c === '"') {
          if (fieldIndex < keep) field += '"';
          continue;
        }
        inQuotes = false;
      }
      if (inQuotes) {
        if (c === '"') quotePending = true;
        else if (fieldIndex < keep) field += c;
        continue;
      }
      any = true;
      if (c === '"') inQuotes = true;
      else if (c === ',') endField();
      else if (c === '\n') {
        endField();
        out.push(fields);
        fields = [];
        fieldIndex = 0;
        any = false;
      } else if (c === '\r') {
        // CR LF ends a record; the LF does the work
      } else if (fieldIndex < keep) field += c;
    }
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
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new ExportReadError(`line ${n} of the JSONL file is not JSON`);
    }
    const integrity = rec !== null && typeof rec === 'object' ? (rec as { integrity?: { seq?: unknown; record_hash?: unknown } }).integrity : undefined;
    yield { seq: toSeq(integrity?.seq), recordHash: toHash(integrity?.record_hash) };
  }
}

function xlsxText(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && 'richText' in (v as object)) {
    return ((v as { richText: { text: string }[] }).richText ?? []).map((r) => r.text).join('');
  }
  return v;
}

async function* xlsxSeals(file: string): AsyncGenerator<RowSeal> {
  const ExcelJS = loadExcelJs();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) {
    let header = true;
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const a = xlsxText(values[1]);
      const b = xlsxText(values[2]);
      if (header) {
        header = false;
        if (a !== 'integrity.seq' || b !== 'integrity.record_hash') throw new ExportReadError('the first sheet does not start with the columns integrity.seq, integrity.record_hash');
        continue;
      }
      yield { seq: toSeq(a), recordHash: toHash(b) };
    }
    // Only the first sheet holds records.
    return;
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
