// The PDF compliance report of an export: a cover (the verdict, read from the archive's
// verification report and the export's own proofs; every finding of the exported days; the
// archive, selection, period and profile), summary statistics over the whole selection with vector
// charts, any extra sections (PdfSection, the seam for configurable report sections), then the
// records as a table whose cells wrap, never cut: each row marked with its integrity, numbers
// right-aligned and whole, headers in words with the record paths listed under the table. A value
// too long for a table cell is printed whole in "Full values" at the end, the cell pointing to it;
// with too many columns for a page the records are printed one block each instead. Every page
// says "page X of Y". The table holds at most `pdfMaxRows` rows (buffered: the cover needs the
// verification that only the end of the export knows), with a note when it shows fewer.
import { FINDING_EXPLANATIONS, type FindingKind } from '../../../../shared/findings';
import { columnLabel } from '../../../../shared/export-wizard';
import type { QueryStats } from '../../../../shared/query-stats';
import type { FileVerdict } from '../../../../shared/verification-report';
import { classOfStanding, integritySentences, RECORD_STANDINGS, STANDING_LEGEND, STANDING_WORDS, type RecordStanding } from '../../../../shared/selection-integrity';
import { DEFAULT_PDF_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { dayIntegrityWords, exportPeriod, fullyVerified, type ExportReport } from '../report';
import { MARGIN, pdfText, renderPdf, type Doc, type PdfReport, type TableColumn, type TableRow, type Tone } from '../../reports/pdf-document';
import { FileSink } from './file-sink';
import type { RecordWriter, RowInfo, WriterOptions } from './types';

export { pdfText } from '../../reports/pdf-document';

const COLORS = ['#2f6f9f', '#c8553d', '#588b8b', '#f28f3b', '#8e6c8a', '#6a994e', '#bc4749', '#577590'];
const TABLE_FONT = 7.5;
const CELL_PAD = 5;
/** Cells longer than this are printed whole under "Full values", the cell pointing there. */
export const LONG_CELL = 300;
/** No table column is made narrower than this; a table that would need to is printed as record blocks. */
const MIN_COLUMN = 40;
const MARK_WIDTH = 66;

function fmtNumber(n: number, digits = 2): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A cell as the records table prints it: exactly the exported value (numbers in full, as in the record). */
export function pdfCellText(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

/** A section of the PDF report after the statistics (the seam for configurable report sections). */
export interface PdfSection {
  id: string;
  render(report: PdfReport, exportReport: ExportReport): void;
}

const TRUST_COLOR: Record<RecordStanding, string> = {
  verified: '#1d5e20',
  untrusted_key: '#7a4b00',
  altered: '#8a1c12',
  finding: '#8a1c12',
  file_findings: '#8a1c12',
  unsealed: '#555555',
  unknown: '#555555',
};

const DAY_COLOR: Record<FileVerdict, string> = {
  verified: '#222222',
  untrusted_key: '#7a4b00',
  invalid: '#8a1c12',
  unreadable: '#8a1c12',
  unsealed: '#555555',
};

interface BufferedRow {
  cells: string[];
  info: RowInfo | undefined;
}

interface Note {
  n: number;
  row: number;
  seq: number | null;
  column: Column;
  text: string;
}

export class PdfWriter implements RecordWriter {
  readonly format = 'pdf' as const;
  readonly columns: Column[];
  readonly output: OutputSpec;
  private readonly rows: BufferedRow[] = [];
  private readonly sink: FileSink;
  private readonly maxRows: number;
  private readonly sections: readonly PdfSection[];

  constructor(opts: WriterOptions & { sections?: readonly PdfSection[] }) {
    this.columns = tableColumns(opts.fields, DEFAULT_PDF_FIELDS).filter((c) => c.path !== 'integrity.record_hash');
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: false };
    this.maxRows = opts.pdfMaxRows;
    this.sections = opts.sections ?? [];
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
  }

  get rowsShown(): number {
    return this.rows.length;
  }

  async writeRow(row: string | unknown[], info?: RowInfo): Promise<void> {
    if (this.rows.length >= this.maxRows) return;
    // The info object is kept, not copied: the export may still downgrade `verified` at the end of the record's day.
    this.rows.push({ cells: (row as (string | number | boolean | null)[]).map(pdfCellText), info });
  }

  async finish(report: ExportReport): Promise<void> {
    await renderPdf(
      this.sink.stream,
      {
        title: `ActivationLog export: ${report.selection.query || 'all records'}`,
        footer: `${report.tool.name} ${report.tool.version} · export of ${report.records.exported} record(s), ${report.createdAt}`,
        creator: `${report.tool.name} ${report.tool.version}`,
      },
      (r) => {
        this.cover(r, report);
        r.newPage();
        this.statistics(r.doc, report.stats, report);
        for (const section of this.sections) {
          r.newPage();
          section.render(r, report);
        }
        r.newPage();
        this.records(r, report);
      },
      (e) => this.sink.fail(e),
    );
    await this.sink.closePiped();
  }

  async abort(): Promise<void> {
    await this.sink.destroy();
  }

  private cover(r: PdfReport, rep: ExportReport): void {
    r.heading('ActivationLog export: compliance report', 20);
    r.paragraph(`${rep.tool.name} ${rep.tool.version}, created ${rep.createdAt} (UTC)`, { color: '#555555' });
    r.gap(0.6);
    const ok = fullyVerified(rep);
    const integrity = integritySentences(rep.integrity);
    const tone: Tone = ok ? 'good' : integrity.tone === 'good' ? 'bad' : integrity.tone;
    const lines = [...integrity.lines];
    lines.push(`${rep.records.proven} of ${rep.records.exported} record(s) carry an inclusion proof to their day's signed Merkle root in the manifest.`);
    if (rep.records.contentMismatch > 0) lines.push(`${rep.records.contentMismatch} exported record(s) do not hash to their record_hash: they were altered in the archive and are marked ALTERED in the table.`);
    r.verdictBox(ok ? 'VERIFIED' : 'NOT FULLY VERIFIED', lines, tone);
    const manifestName = `${rep.file.split(/[\\/]/).pop() ?? rep.file}.manifest.json`;
    r.paragraph(
      `${manifestName} holds every record's inclusion proof. A recipient checks the export with: alog verify-export MANIFEST --trust-key PUBLISHER.pem (and the exporter's key, to prove the file is the one exported).`,
      { size: 8, color: '#555555' },
    );
    r.gap(0.8);
    r.heading('Archive', 12);
    r.keyValue('Path', rep.archive.path);
    r.keyValue('Sealed', rep.archive.sealed ? 'yes' : 'no (no digests: nothing can be proven)');
    r.keyValue('Verification report', rep.integrity.reportFinishedAt ? `made ${rep.integrity.reportFinishedAt} (UTC)` : 'made for this export');
    r.keyValue('Keys trusted', rep.trustedKeyIds.length > 0 ? rep.trustedKeyIds.join(', ') : 'none: no digest can be proven authentic');
    for (const d of rep.integrity.days) {
      r.keyValue(`Day ${d.date}`, `${d.file}: ${dayIntegrityWords(d)}`, DAY_COLOR[d.verdict ?? 'unsealed']);
    }
    r.gap(0.6);
    this.findings(r, rep);
    r.heading('Selection', 12);
    r.keyValue('Query', rep.selection.query || '(all records)');
    r.keyValue('Period', exportPeriod(rep));
    r.keyValue('Records', `${rep.records.exported} selected and exported, in archive order`);
    r.gap(0.6);
    r.ensureRoom(80);
    r.heading('Redaction profile', 12);
    r.keyValue('Profile', `${rep.profile.name}${rep.profile.extends ? ` (extends ${rep.profile.extends})` : ''}`);
    if (rep.profile.description) r.keyValue('Description', rep.profile.description);
    r.gap(0.3);
    r.table(
      [
        { label: 'Rule', width: 300 },
        { label: 'Action', width: 220 },
        { label: 'Values changed', width: 90, align: 'right' },
      ],
      [
        ...rep.rules.map((rule) => ({ cells: [rule.id, `${rule.action}${rule.label ? ` as ${rule.label}` : ''}`, String(rule.count)] })),
        { cells: ['Total', '', String(rep.valuesChanged)], bold: [true, false, true] },
      ],
      { fontSize: 8 },
    );
  }

  /** Every finding of the exported days' files and digests, each kind explained once. */
  private findings(r: PdfReport, rep: ExportReport): void {
    const all = rep.integrityFindings;
    r.heading(`Verification findings in the exported days (${all.length})`, 12);
    if (all.length === 0) {
      r.paragraph(
        rep.integrity.verified
          ? 'The verification report has no finding for the day files and digests of this export.'
          : 'The archive was not verified: nothing is known.',
      );
      r.gap(0.6);
      return;
    }
    const w = r.width;
    r.table(
      [
        { label: 'Finding', width: 120 },
        { label: 'File', width: 190 },
        { label: 'Line', width: 40, align: 'right' },
        { label: 'Seq', width: 50, align: 'right' },
        { label: 'What was found', width: w - 400 },
      ],
      all.map((f) => ({
        cells: [f.kind, f.file, f.line !== undefined ? String(f.line) : '', f.seq !== undefined ? String(f.seq) : '', f.message],
        colors: [f.kind === 'untrusted_key' ? '#7a4b00' : '#8a1c12'],
      })),
      { fontSize: 7.5 },
    );
    r.heading('What these findings mean', 10);
    const kinds = [...new Set(all.map((f) => f.kind))] as FindingKind[];
    for (const k of kinds) r.keyValue(k, FINDING_EXPLANATIONS[k]);
    r.gap(0.6);
  }

  private barChart(doc: Doc, title: string, entries: [string, number][], x: number, y: number, w: number, h: number, format: (n: number) => string): void {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#111111').text(pdfText(title), x, y, { width: w });
    const top = y + 18;
    const labelW = Math.min(110, w * 0.35);
    const shown = entries.slice(0, 8);
    const max = Math.max(1e-12, ...shown.map((e) => e[1]));
    const barH = Math.min(18, (h - 24) / Math.max(1, shown.length) - 4);
    const chartW = w - labelW - 60;
    doc.moveTo(x + labelW, top).lineTo(x + labelW, top + shown.length * (barH + 4)).strokeColor('#999999').lineWidth(0.5).stroke();
    shown.forEach(([label, value], i) => {
      const by = top + i * (barH + 4);
      doc.font('Helvetica').fontSize(8).fillColor('#333333').text(pdfText(label), x, by + barH / 2 - 4, { width: labelW - 6, align: 'right', lineBreak: false, ellipsis: true, height: 10 });
      const bw = Math.max(1, (value / max) * chartW);
      doc.rect(x + labelW, by, bw, barH).fill(COLORS[i % COLORS.length]!);
      doc.fillColor('#333333').fontSize(8).text(pdfText(format(value)), x + labelW + bw + 4, by + barH / 2 - 4, { lineBreak: false });
    });
    if (entries.length > shown.length) {
      doc.fontSize(7).fillColor('#777777').text(`(${entries.length - shown.length} more not shown)`, x + labelW, top + shown.length * (barH + 4) + 2, { lineBreak: false });
    }
  }

  private statistics(doc: Doc, s: QueryStats | null, r: ExportReport): void {
    doc.font('Helvetica-Bold').fontSize(16).fillColor('#111111').text('Summary statistics (every selected record)');
    doc.moveDown(0.3);
    if (!s) {
      doc.fontSize(10).text('Statistics were not computed for this export.');
      return;
    }
    doc.fontSize(9).fillColor('#333333');
    doc.text(
      pdfText(
        `${s.total} record(s) selected. ` +
          `Brand-voice gate: ${s.gate.blocked} blocked of ${s.gate.evaluated} evaluated (${s.gate.blockRate === null ? 'n/a' : `${(100 * s.gate.blockRate).toFixed(2)}%`}). ` +
          `Total cost ${fmtCurrency(s.totals.costUsd)}; ${s.totals.promptTokens.toLocaleString('en-US')} prompt and ${s.totals.completionTokens.toLocaleString('en-US')} completion tokens.`,
      ),
      { width: doc.page.width - 2 * MARGIN },
    );
    const y0 = doc.y + 12;
    const colW = (doc.page.width - 2 * MARGIN - 24) / 2;
    this.barChart(doc, 'Records by publishing status', Object.entries(s.byStatus), MARGIN, y0, colW, 170, (n) => n.toLocaleString('en-US'));
    const lat: [string, number][] = s.totalMs
      ? [
          ['p50', s.totalMs.p50],
          ['p95', s.totalMs.p95],
          ['p99', s.totalMs.p99],
          ['max', s.totalMs.max],
        ]
      : [];
    this.barChart(doc, `Latency percentiles, performance_metrics.total_ms (${s.totalMs ? `${s.totalMs.count} records, mean ${fmtNumber(s.totalMs.mean, 1)} ms` : 'no values'})`, lat, MARGIN + colW + 24, y0, colW, 170, (n) => `${fmtNumber(n, 1)} ms`);
    const y1 = y0 + 190;
    const cost = Object.entries(s.costByProvider).map(([k, v]) => [k, v.costUsd] as [string, number]);
    this.barChart(doc, 'AI cost by provider (USD)', cost, MARGIN, y1, colW, 170, fmtCurrency);
    const errs = Object.entries(s.byErrorClass);
    this.barChart(doc, 'Records by error class', errs, MARGIN + colW + 24, y1, colW, 170, (n) => n.toLocaleString('en-US'));
    doc.x = MARGIN;
    doc.y = y1 + 190;
    if (r.stats && r.stats.total !== r.records.exported) {
      doc.fontSize(8).fillColor('#8a1c12').text(pdfText(`Note: the index counted ${r.stats.total} selected record(s), the export wrote ${r.records.exported}.`));
    }
  }


  /** Column widths that fit the page, or null when even the narrowest would not (the caller prints blocks). */
  private widths(doc: Doc, cells: string[][], available: number): number[] | null {
    doc.font('Helvetica').fontSize(TABLE_FONT);
    const natural = this.columns.map((c, i) => {
      let w = 0;
      for (const word of columnLabel(c.path).split(/\s+/)) w = Math.max(w, doc.font('Helvetica-Bold').widthOfString(word));
      doc.font(c.type === 'string' && isHashLike(c) ? 'Courier' : 'Helvetica');
      for (const row of cells) {
        const t = row[i]!;
        if (t.length > LONG_CELL) continue;
        w = Math.max(w, doc.widthOfString(pdfText(t)));
      }
      return Math.max(MIN_COLUMN, w + CELL_PAD + 1);
    });
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= available) {
      // Spare width goes to the columns that wrap (text), so fewer rows wrap.
      const spare = available - total;
      const wrapping = this.columns.map((c) => c.type === 'string' || c.type === 'json');
      const weight = natural.reduce((a, w, i) => a + (wrapping[i] ? w : 0), 0);
      return natural.map((w, i) => (weight > 0 ? (wrapping[i] ? w + (spare * w) / weight : w) : w + spare / natural.length));
    }
    if (MIN_COLUMN * natural.length > available) return null;
    // Ids, times and numbers read best on one line: the text columns wrap first (down to a cap they
    // share), and only when that is not enough do the others wrap too.
    const atomic = this.columns.map(isAtomic);
    const fixed = natural.reduce((a, w, i) => a + (atomic[i] ? w : 0), 0);
    const textCount = atomic.filter((a) => !a).length;
    if (textCount > 0 && fixed + textCount * 90 <= available) return capWidths(natural, available, (i) => !atomic[i]);
    return capWidths(natural, available, () => true);
  }

  private records(r: PdfReport, rep: ExportReport): void {
    const doc = r.doc;
    r.heading('Records');
    const shown = this.rows.length;
    r.paragraph(
      shown < rep.records.exported
        ? `The table shows the first ${shown} of ${rep.records.exported} record(s) (limit ${this.maxRows}); the statistics and the manifest cover all of them. Export CSV, XLSX, JSONL or Parquet for every row.`
        : `All ${shown} record(s), redacted with profile ${rep.profile.name}, in archive order. Values are printed whole: long cells wrap, numbers are as in the record.`,
      { color: shown < rep.records.exported ? '#8a1c12' : '#333333' },
    );
    r.paragraph(`Integrity column: ${RECORD_STANDINGS.map((k) => `${STANDING_WORDS[k]} = ${STANDING_LEGEND[k]}`).join('; ')}.`, { size: 7.5, color: '#555555' });
    r.gap(0.4);
    const notes: Note[] = [];
    const cellsOf = (row: BufferedRow, index: number): string[] =>
      row.cells.map((t, i) => {
        if (t.length <= LONG_CELL) return t;
        const n = notes.length + 1;
        notes.push({ n, row: index, seq: row.info?.seq ?? null, column: this.columns[i]!, text: t });
        return `See note ${n} (${t.length.toLocaleString('en-US')} characters, under Full values)`;
      });
    // Long cells become references to their note first, so the widths fit what the table prints.
    const display = this.rows.map((row, k) => cellsOf(row, k));
    const widths = this.widths(doc, display, r.width - MARK_WIDTH);
    if (widths === null) {
      notes.length = 0;
      r.paragraph(`${this.columns.length} columns do not fit a page side by side: each record is printed as a block of its columns.`, { size: 8, color: '#555555' });
      r.gap(0.4);
      this.rows.forEach((row, k) => {
        const trust = row.info?.trust ?? 'unknown';
        r.ensureRoom(40);
        r.paragraph(`Record ${k + 1}${row.info?.seq !== null && row.info?.seq !== undefined ? ` · seq ${row.info.seq}` : ''} · ${STANDING_WORDS[trust]}`, { bold: true, size: 9, color: TRUST_COLOR[trust] });
        this.columns.forEach((c, i) => r.keyValue(columnLabel(c.path), row.cells[i]!, '#222222', 170));
        r.gap(0.4);
      });
    } else {
      const columns: TableColumn[] = [
        { label: 'Integrity', width: MARK_WIDTH },
        ...this.columns.map((c, i) => ({
          label: columnLabel(c.path),
          width: widths[i]!,
          align: c.type === 'integer' || c.type === 'number' ? ('right' as const) : ('left' as const),
          mono: isHashLike(c),
        })),
      ];
      const rows = this.rows.map((row, k): TableRow => {
        const trust = row.info?.trust ?? 'unknown';
        const bad = classOfStanding(trust) === 'invalid';
        return {
          cells: [STANDING_WORDS[trust], ...display[k]!],
          colors: [TRUST_COLOR[trust]],
          bold: [bad],
          fill: trust === 'altered' || trust === 'finding' ? '#fbe3e0' : undefined,
        };
      });
      r.table(columns, rows, { fontSize: TABLE_FONT });
    }
    r.gap(0.6);
    r.heading('Columns', 12);
    r.paragraph('Each column of the table and the record field it shows (JSON text for nested values; an empty cell: the record has no value there).', { size: 8, color: '#555555' });
    r.table(
      [
        { label: 'Column', width: 200 },
        { label: 'Record field', width: 300, mono: true },
      ],
      this.columns.map((c) => ({ cells: [columnLabel(c.path), c.path] })),
      { fontSize: 8 },
    );
    r.paragraph(`Each row's record_hash is in the manifest, by seq. Characters the PDF's standard fonts cannot show are written as their code point, <U+XXXX>.`, { size: 8, color: '#555555' });
    if (notes.length > 0) {
      r.newPage();
      r.heading('Full values');
      r.paragraph('Cells too long for the table, printed whole.', { size: 8, color: '#555555' });
      r.gap(0.4);
      for (const note of notes) {
        r.ensureRoom(40);
        r.paragraph(`Note ${note.n}: record ${note.row + 1}${note.seq !== null ? ` (seq ${note.seq})` : ''}, ${columnLabel(note.column.path)} (${note.column.path})`, { bold: true, size: 8.5 });
        r.paragraph(note.text, { size: 8 });
        r.gap(0.5);
      }
    }
  }
}

/**
 * Widths within `available`: the columns `may(i)` allows share a cap (those under it keep their
 * natural width, the others wrap at it), found by bisection; what is left goes to the capped ones.
 */
function capWidths(natural: number[], available: number, may: (i: number) => boolean): number[] {
  const fixed = natural.reduce((a, w, i) => a + (may(i) ? 0 : w), 0);
  let lo = MIN_COLUMN;
  let hi = Math.max(...natural);
  for (let k = 0; k < 40; k++) {
    const cap = (lo + hi) / 2;
    const sum = fixed + natural.reduce((a, w, i) => a + (may(i) ? Math.min(w, cap) : 0), 0);
    if (sum > available) hi = cap;
    else lo = cap;
  }
  const out = natural.map((w, i) => (may(i) ? Math.min(w, lo) : w));
  const capped = out.map((w, i) => w < natural[i]!);
  const n = capped.filter(Boolean).length;
  const left = available - out.reduce((a, b) => a + b, 0);
  return out.map((w, i) => (n === 0 ? w + left / out.length : capped[i] ? w + left / n : w));
}

/** Values that read best unbroken: ids, times, numbers, booleans. */
function isAtomic(c: Column): boolean {
  return c.type !== 'string' && c.type !== 'json' ? true : c.path === 'activation_id' || c.path.endsWith('_id') || isHashLike(c);
}

/** Hashes and similar fixed-width ids read best in a monospace font. */
function isHashLike(c: Column): boolean {
  return c.path.endsWith('_hash') || c.path.endsWith('.record_hash');
}

function fmtCurrency(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: n < 1 ? 6 : 2 })}`;
}
