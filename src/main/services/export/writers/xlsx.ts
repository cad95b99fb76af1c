// XLSX through exceljs's streaming WorkbookWriter (rows are committed as they come, never held).
// Every text cell is written as an inline rich-text string (`t="inlineStr"`), never a formula or
// a formula-result string, whatever it starts with: a value "=HYPERLINK(...)" stays text.
// XML cannot carry most control characters, so those become U+FFFD; cells are capped at Excel's
// 32,767 characters with a visible marker.
import type { Stream } from 'node:stream';
import type { Worksheet } from 'exceljs';
import { DEFAULT_TABLE_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { loadExcelJs } from '../lazy-deps';
import type { ExportReport } from '../report';
import { aboutRows } from '../report';
import { drained, FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';

export const XLSX_CELL_LIMIT = 32_767;
/** Bytes of row XML allowed to wait in the zip entry's stream. */
const XLSX_PENDING_LIMIT = 1024 * 1024;

type InternalWritable = NodeJS.EventEmitter & { writableLength?: number; _writableState?: { length?: number } };
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

type Cell = string | number | boolean | null | { richText: { text: string }[] };

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

export class XlsxWriter implements RecordWriter {
  readonly format = 'xlsx' as const;
  readonly columns: Column[];
  readonly rowsShown = null;
  readonly output: OutputSpec;
  private readonly sink: FileSink;
  private readonly workbook: InstanceType<ReturnType<typeof loadExcelJs>['stream']['xlsx']['WorkbookWriter']>;
  private readonly sheet: Worksheet;

  constructor(opts: WriterOptions) {
    const ExcelJS = loadExcelJs();
    this.columns = tableColumns(opts.fields, DEFAULT_TABLE_FIELDS);
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: false };
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.sink.stream as unknown as Stream, useStyles: false, useSharedStrings: false });
    this.workbook.creator = 'ActivationLog Inspector';
    this.sheet = this.workbook.addWorksheet('Records', { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.addRow(this.columns.map((c) => textCell(c.path))).commit();
  }

  private rows = 0;

  async writeRow(row: string | unknown[]): Promise<void> {
    this.sink.check();
    this.sheet.addRow((row as (string | number | boolean | null)[]).map(toCell)).commit();
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
    for (const [k, v] of aboutRows(report)) about.addRow([textCell(k), textCell(v)]).commit();
    about.commit();
    await this.workbook.commit();
    await this.sink.close();
  }

  async abort(): Promise<void> {
    await this.sink.destroy();
  }
}
