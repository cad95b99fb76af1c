import type { ExportFormat } from '../../../../shared/export-manifest';
import type { Column } from '../columns';
import type { OutputRow, OutputSpec } from '../record-processor';
import type { RecordStanding } from '../../../../shared/selection-integrity';
import type { ExportReport } from '../report';

/** What the export knows of a row besides its cells: where it comes from and how far it is proven. */
export interface RowInfo {
  /** The record's standing in the verification report, worsened by the export's own checks. Until the record's day is finished, a `verified` may still turn into `file_findings`. */
  trust: RecordStanding;
  seq: number | null;
  file: string;
  line: number;
}

/** Writes redacted records into one export file, in order. */
export interface RecordWriter {
  readonly format: ExportFormat;
  /** Columns of a tabular format (null for JSONL without --fields). */
  readonly columns: Column[] | null;
  /** What each row handed to `writeRow` holds: a JSON line, or the cells of `columns`. */
  readonly output: OutputSpec;
  /** One redacted record, projected as `output` says, and what is known of its integrity. */
  writeRow(row: OutputRow, info?: RowInfo): Promise<void>;
  /** Completes the file. `report` carries what only the end of the export knows (statistics, counts, verification). */
  finish(report: ExportReport): Promise<void>;
  /** Stops after an error or a cancel; the caller removes the temp file. */
  abort(): Promise<void>;
  /** For a PDF: the number of rows its table shows (null for other formats). */
  readonly rowsShown: number | null;
}

export interface WriterOptions {
  tempPath: string;
  /** The destination, for messages. */
  displayPath: string;
  fields?: string[];
  bom: boolean;
  pdfMaxRows: number;
}
