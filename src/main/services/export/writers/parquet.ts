// Parquet with typed, nullable columns (timestamps as TIMESTAMP_MICROS, integers as INT64, numbers
// as DOUBLE, booleans, UTF-8 strings; nested values as JSON text), written in row groups so only
// one group's rows are in memory at a time. A value of the wrong type for its column (a record that
// breaks the schema) is written as null and counted.
import type { Stream } from 'node:stream';
import { parseInstant } from '../../../../shared/query';
import { DEFAULT_TABLE_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { loadParquetJs } from '../lazy-deps';
import { FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';

type ParquetWriterInstance = Awaited<ReturnType<ReturnType<typeof loadParquetJs>['ParquetWriter']['openStream']>>;

/** Rows per row group: groups of large text (bodies) are kept small enough to buffer. */
function rowGroupSize(columns: Column[]): number {
  return columns.some((c) => c.path === 'content_input.body' || c.path === 'errors' || c.type === 'json') ? 1024 : 8192;
}

function parquetType(c: Column): string {
  switch (c.type) {
    case 'timestamp':
      return 'TIMESTAMP_MICROS';
    case 'integer':
      return 'INT64';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'UTF8';
  }
}

export class ParquetWriter implements RecordWriter {
  readonly format = 'parquet' as const;
  readonly columns: Column[];
  readonly rowsShown = null;
  readonly output: OutputSpec;
  /** Values dropped to null because their type did not fit their column. */
  typeMismatches = 0;
  private readonly sink: FileSink;
  private writer?: ParquetWriterInstance;
  private readonly opening: Promise<ParquetWriterInstance>;

  constructor(opts: WriterOptions) {
    const parquet = loadParquetJs();
    this.columns = tableColumns(opts.fields, DEFAULT_TABLE_FIELDS);
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: true };
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
    const fields: Record<string, { type: string; optional: boolean }> = {};
    for (const c of this.columns) fields[c.path] = { type: parquetType(c), optional: true };
    const schema = new parquet.ParquetSchema(fields as ConstructorParameters<typeof parquet.ParquetSchema>[0]);
    this.opening = parquet.ParquetWriter.openStream(schema, this.sink.stream as unknown as Stream & { write: never; end: never }, {
      rowGroupSize: rowGroupSize(this.columns),
      useDataPageV2: false,
    } as never);
    this.opening.catch(() => undefined);
  }

  private convert(c: Column, v: unknown): unknown {
    if (v === undefined || v === null) return null;
    switch (c.type) {
      case 'timestamp': {
        const t = typeof v === 'string' ? parseInstant(v) : undefined;
        if (!t) break;
        return BigInt(t.micros);
      }
      case 'integer':
        if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
        break;
      case 'number':
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        break;
      case 'boolean':
        if (typeof v === 'boolean') return v;
        break;
      case 'json':
        return JSON.stringify(v);
      case 'string':
        return typeof v === 'string' ? v : JSON.stringify(v);
    }
    this.typeMismatches++;
    return null;
  }

  async writeRow(cells: string | unknown[]): Promise<void> {
    this.sink.check();
    this.writer ??= await this.opening;
    const values = cells as unknown[];
    const row: Record<string, unknown> = {};
    this.columns.forEach((c, i) => {
      const v = this.convert(c, values[i]);
      if (v !== null) row[c.path] = v;
    });
    await this.writer.appendRow(row);
    this.sink.check();
  }

  async finish(): Promise<void> {
    this.sink.check();
    this.writer ??= await this.opening;
    this.writer.setMetadata('created_by_tool', 'ActivationLog Inspector');
    await this.writer.close();
    await this.sink.close();
  }

  async abort(): Promise<void> {
    await this.sink.destroy();
  }
}
