// XLSX through exceljs's streaming WorkbookWriter (rows are committed as they come, never held).
// Every text cell is written as an inline rich-text string (`t="inlineStr"`), never a formula or
// a formula-result string, whatever it starts with: a value "=HYPERLINK(...)" stays text.
// XML cannot carry most control characters, so those become U+FFFD; cells are capped at Excel's
// 32,767 characters with a visible marker. The sheet is a report: a bold, frozen header of labels
// with the record paths in a second row (autofilter on it), widths per column, timestamps as UTC
// date-time cells (with the exact text beside them), and sheets "About this export" and "Columns".
import type { Stream } from 'node:stream';
import type { Worksheet } from 'exceljs';
import { DEFAULT_TABLE_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { loadExcelJs } from '../lazy-deps';
import type { ExportReport } from '../report';
import { aboutRows } from '../report';
import { drained, FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';
import { columnLabel } from '../../../../shared/export-wizard';
import { parseInstant } from '../../../../shared/query';

export const XLSX_CELL_LIMIT = 32_767;
/** Bytes of row XML allowed to wait in the zip entry's stream. */
const XLSX_PENDING_LIMIT = 1024 * 1024;

type InternalWritable = NodeJS.EventEmitter & { writableLength?: number; _writableState?: { length?: number } };
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

type Cell = string | number | boolean | null | Date | { richText: { text: string }[] };

/** A text cell exceljs writes as an inline string. */
export function textCell(s: string): Cell {
  let t = s.replace(XML_INVALID, '\ufffd');
  if (t.length > XLSX_CELL_LIMIT) {
    const marker = ` …[truncated: ${t.length} characters]`;
    t = t.slice(0, XLSX_CELL_LIMIT - marker.length) + marker;
  }
  return { richText: [{ text: t }] };
}

function toCell(v: string | number | boolean | null): Cell {
  if (typeof v === 'string') return textCell(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return textCell(String(v));
  return v;
}

/** Marks a column that repeats a timestamp column's exact text (the date cell holds milliseconds at most). */
export const EXACT_TEXT_SUFFIX = ' (text)';

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss.000';

/** A sensible width (in characters) for a column, before any row is seen (the streamed sheet writes widths first). */
function widthOf(c: Column, label: string): number {
  let w: number;
  if (c.path === 'activation_id') w = 38;
  else if (c.path.endsWith('record_hash') || c.path.endsWith('chain_hash')) w = 66;
  else if (c.type === 'timestamp') w = 24;
  else if (c.type === 'integer') w = 11;
  else if (c.type === 'number') w = 13;
  else if (c.type === 'boolean') w = 9;
  else if (c.path.endsWith('.body') || c.path === 'errors' || c.type === 'json') w = 60;
  else if (c.path.endsWith('title')) w = 44;
  else if (c.path.endsWith('_id')) w = 26;
  else w = 18;
  return Math.min(80, Math.max(w, label.length + 2));
}

/** Excel column letters of a 1-based index. */
function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

export class XlsxWriter implements RecordWriter {
  readonly format = 'xlsx' as const;
  readonly columns: Column[];
  readonly rowsShown = null;
  readonly output: OutputSpec;
  private readonly sink: FileSink;
  private readonly workbook: InstanceType<ReturnType<typeof loadExcelJs>['stream']['xlsx']['WorkbookWriter']>;
  private readonly sheet: Worksheet;
  /** Per output column: the record column it shows, and whether it is a timestamp's exact text. */
  private readonly layout: { source: number; exactText: boolean }[] = [];

  constructor(opts: WriterOptions) {
    const ExcelJS = loadExcelJs();
    this.columns = tableColumns(opts.fields, DEFAULT_TABLE_FIELDS);
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: false };
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.sink.stream as unknown as Stream, useStyles: true, useSharedStrings: false });
    this.workbook.creator = 'ActivationLog Inspector';
    const labels: string[] = [];
    const paths: string[] = [];
    const widths: number[] = [];
    const dates: boolean[] = [];
    this.columns.forEach((c, i) => {
      const label = c.type === 'timestamp' ? `${columnLabel(c.path)} (UTC)` : columnLabel(c.path);
      labels.push(label);
      paths.push(c.path);
      widths.push(widthOf(c, label));
      dates.push(c.type === 'timestamp');
      this.layout.push({ source: i, exactText: false });
      if (c.type === 'timestamp') {
        // A date cell holds milliseconds at most; the record's own text keeps its microseconds.
        labels.push(`${columnLabel(c.path)}, exact (ISO 8601)`);
        paths.push(`${c.path}${EXACT_TEXT_SUFFIX}`);
        widths.push(30);
        dates.push(false);
        this.layout.push({ source: i, exactText: true });
      }
    });
    const last = columnLetters(labels.length);
    this.sheet = this.workbook.addWorksheet('Records', {
      views: [{ state: 'frozen', ySplit: 2, xSplit: 0, topLeftCell: 'A3', activeCell: 'A3' }],
      autoFilter: `A2:${last}2`,
    } as never);
    this.sheet.columns = widths.map((width, i) => ({ key: `c${i}`, width, ...(dates[i] ? { style: { numFmt: DATE_FORMAT } } : {}) }));
    const head = this.sheet.addRow(labels.map((l) => textCell(l)));
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE5EE' } };
    head.alignment = { vertical: 'middle', wrapText: true };
    head.commit();
    // The record path of each column: what `alog verify-export` reads the columns by.
    const pathRow = this.sheet.addRow(paths.map((p) => textCell(p)));
    pathRow.font = { italic: true, color: { argb: 'FF5D6978' }, size: 9 };
    pathRow.commit();
  }

  private rows = 0;

  async writeRow(row: string | unknown[]): Promise<void> {
    this.sink.check();
    const cells = row as (string | number | boolean | null)[];
    const out: Cell[] = this.layout.map(({ source, exactText }) => {
      const v = cells[source]!;
      if (this.columns[source]!.type !== 'timestamp' || typeof v !== 'string') return toCell(v);
      if (exactText) return textCell(v);
      const t = parseInstant(v);
      return t ? new Date(Math.floor(t.micros / 1000)) : textCell(v);
    });
    this.sheet.addRow(out).commit();
    if (++this.rows % 32 === 0) await this.backpressure();
  }

  /**
   * exceljs pushes committed rows into the zip entry's stream without heeding its backpressure
   * (exceljs issues #1894, #2916): rows pile up in that stream's buffer, and data only moves on to
   * deflate and the file when the event loop gets a turn. So once that buffer holds more than a MB,
   * wait for it to drain. The stream is internal to exceljs (a readable-stream PassThrough): if its
   * shape ever changes, this quietly does nothing.
   */
  private async backpressure(): Promise<void> {
    const pipes = (this.sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
    const entry = Array.isArray(pipes) ? (pipes[0] as InternalWritable | undefined) : undefined;
    if (!entry || typeof entry.once !== 'function') return;
    const pending = entry.writableLength ?? entry._writableState?.length;
    if (typeof pending === 'number' && pending > XLSX_PENDING_LIMIT) await drained(entry);
    this.sink.check();
  }

  async finish(report: ExportReport): Promise<void> {
    this.sink.check();
    this.sheet.commit();
    const about = this.workbook.addWorksheet('About this export');
    about.columns = [
      { key: 'k', width: 24 },
      { key: 'v', width: 120, style: { alignment: { wrapText: true, vertical: 'top' } } },
    ];
    for (const [k, v] of aboutRows(report)) {
      const row = about.addRow([textCell(k), textCell(v)]);
      row.getCell(1).font = { bold: true };
      row.commit();
    }
    about.commit();
    const columns = this.workbook.addWorksheet('Columns');
    columns.columns = [
      { key: 'label', width: 36 },
      { key: 'path', width: 44 },
      { key: 'what', width: 90 },
    ];
    const head = columns.addRow([textCell('Column'), textCell('Record field'), textCell('Cells')]);
    head.font = { bold: true };
    head.commit();
    this.layout.forEach(({ source, exactText }) => {
      const c = this.columns[source]!;
      const what = exactText
        ? 'the timestamp exactly as in the record (micro-seconds kept), as text'
        : c.type === 'timestamp'
          ? 'date-time cells in UTC, to the millisecond (the next column keeps the exact text)'
          : c.type === 'json'
            ? 'JSON text of the nested value'
            : c.type === 'integer' || c.type === 'number'
              ? 'numbers, as in the record'
              : c.type === 'boolean'
                ? 'TRUE / FALSE'
                : 'text (an empty cell: the record has no value)';
      columns.addRow([textCell(exactText ? `${columnLabel(c.path)}, exact (ISO 8601)` : columnLabel(c.path)), textCell(exactText ? `${c.path}${EXACT_TEXT_SUFFIX}` : c.path), textCell(what)]).commit();
    });
    columns.commit();
    await this.workbook.commit();
    await this.sink.close();
  }

  async abort(): Promise<void> {
    await this.sink.destroy();
  }
}
