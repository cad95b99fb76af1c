// RFC 4180 CSV: UTF-8, CRLF after every record, a field quoted when it holds a comma, a quote
// (doubled inside) or a line break; optional BOM. Spreadsheet formula injection is neutralized as
// OWASP recommends: a text cell starting with = + - @ TAB or CR (or their full-width forms, which
// Apple Numbers normalizes) gets a leading single quote, so it is shown as text, never evaluated.
// https://owasp.org/www-community/attacks/CSV_Injection
//
// Serialized here rather than with csv-stringify: the rules above are all RFC 4180 asks of a
// writer, and csv-stringify's per-field option handling cost as much as redacting the record
// (2.5x this code on export rows, same bytes). Tests read every export back with csv-parse.
import { DEFAULT_TABLE_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const NEEDS_QUOTES = /[",\r\n]/;
const FLUSH_CHARS = 1 << 20;

/** A text cell as it is safe to hand to a spreadsheet. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** One CSV field: numbers and booleans as values, text neutralized and quoted when needed, null empty. */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = neutralizeFormula(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvWriter implements RecordWriter {
  readonly format = 'csv' as const;
  readonly columns: Column[];
  readonly rowsShown = null;
  readonly output: OutputSpec;
  private readonly sink: FileSink;
  private pending = '';

  constructor(opts: WriterOptions) {
    this.columns = tableColumns(opts.fields, DEFAULT_TABLE_FIELDS);
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: false };
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
    this.pending = (opts.bom ? '\ufeff' : '') + this.columns.map((c) => csvField(c.path)).join(',') + '\r\n';
  }

  async writeRow(row: string | unknown[]): Promise<void> {
    const cells = row as (string | number | boolean | null)[];
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += ',';
      line += csvField(cells[i]!);
    }
    this.pending += line + '\r\n';
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = '';
    await this.sink.write(chunk);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.sink.close();
  }

  async abort(): Promise<void> {
    this.pending = '';
    await this.sink.destroy();
  }
}
