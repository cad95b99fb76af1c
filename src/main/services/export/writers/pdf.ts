// The PDF compliance report: a cover (archive identity and verification, query, time range,
// profile and what it changed), summary statistics over the whole selection with charts drawn as
// vector shapes (records by status, latency percentiles, cost by provider), then the selected
// records as a table. The table holds at most `pdfMaxRows` rows, with a note saying so; the
// statistics always cover every selected record. Rows are buffered (capped), and the document is
// laid out at the end, when the verification result for the cover is known.
import type { QueryStats } from '../../../../shared/query-stats';
import { DEFAULT_PDF_FIELDS, tableColumns, type Column } from '../columns';
import type { OutputSpec } from '../record-processor';
import { loadPdfKit } from '../lazy-deps';
import { fullyVerified, verificationVerdict, type ExportReport } from '../report';
import { FileSink } from './file-sink';
import type { RecordWriter, WriterOptions } from './types';

type Doc = InstanceType<ReturnType<typeof loadPdfKit>>;

// Windows-1252 beyond Latin-1: the characters the standard PDF fonts (WinAnsiEncoding) can show.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const FALLBACK: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', ŉ: "'n" };

function winAnsiChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/** Text the standard fonts can render: accents dropped where needed, anything else as "?". */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    if (winAnsiChar(ch)) out += ch;
    else if (ch === '\n' || ch === '\r' || ch === '\t') out += ' ';
    else if (FALLBACK[ch]) out += FALLBACK[ch];
    else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += base.length > 0 && [...base].every(winAnsiChar) ? base : ch.codePointAt(0)! < 0x20 ? ' ' : '?';
    }
  }
  return out;
}

const MARGIN = 36;
const COLORS = ['#2f6f9f', '#c8553d', '#588b8b', '#f28f3b', '#8e6c8a', '#6a994e', '#bc4749', '#577590'];
const TABLE_FONT = 7;
const ROW_H = 11;

function fmtNumber(n: number, digits = 2): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export class PdfWriter implements RecordWriter {
  readonly format = 'pdf' as const;
  readonly columns: Column[];
  readonly output: OutputSpec;
  private readonly rows: string[][] = [];
  private total = 0;
  private readonly sink: FileSink;
  private readonly maxRows: number;

  constructor(private readonly opts: WriterOptions) {
    this.columns = tableColumns(opts.fields, DEFAULT_PDF_FIELDS).filter((c) => c.path !== 'integrity.record_hash');
    this.output = { kind: 'cells', columns: this.columns.map((c) => c.path), raw: false };
    this.maxRows = opts.pdfMaxRows;
    this.sink = new FileSink(opts.tempPath, opts.displayPath);
  }

  get rowsShown(): number {
    return this.rows.length;
  }

  async writeRow(row: string | unknown[]): Promise<void> {
    this.total++;
    if (this.rows.length >= this.maxRows) return;
    this.rows.push(
      (row as (string | number | boolean | null)[]).map((v) => {
        if (v === null) return '';
        const s = typeof v === 'number' ? fmtNumber(v, 6) : String(v);
        // The table shows one line per cell; keep only what can fit.
        return pdfText(s.length > 400 ? s.slice(0, 400) : s);
      }),
    );
  }

  async finish(report: ExportReport): Promise<void> {
    const PDFDocument = loadPdfKit();
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: MARGIN,
      info: {
        Title: pdfText(`ActivationLog export: ${report.selection.query || 'all records'}`),
        Creator: pdfText(`${report.tool.name} ${report.tool.version}`),
        Producer: 'pdfkit',
      },
    });
    doc.on('error', (e: unknown) => this.sink.fail(e));
    doc.pipe(this.sink.stream);
    this.cover(doc, report);
    doc.addPage();
    this.statistics(doc, report.stats, report);
    doc.addPage();
    this.table(doc, report);
    doc.end();
    await this.sink.closePiped();
  }

  async abort(): Promise<void> {
    await this.sink.destroy();
  }

  private heading(doc: Doc, text: string, size = 16): void {
    doc.font('Helvetica-Bold').fontSize(size).fillColor('#111111').text(pdfText(text));
    doc.moveDown(0.3);
    doc.font('Helvetica').fontSize(10);
  }

  private ensureRoom(doc: Doc, height: number): void {
    if (doc.y + height > doc.page.height - MARGIN) {
      doc.addPage();
      doc.x = MARGIN;
      doc.y = MARGIN;
    }
  }

  private keyValue(doc: Doc, key: string, value: string, color = '#222222'): void {
    const keyW = 150;
    const valueW = doc.page.width - 2 * MARGIN - keyW - 10;
    const k = pdfText(key);
    const v = pdfText(value);
    doc.fontSize(9);
    const h = Math.max(doc.font('Helvetica-Bold').heightOfString(k, { width: keyW }), doc.font('Helvetica').heightOfString(v, { width: valueW }));
    this.ensureRoom(doc, h + 2);
    const y = doc.y;
    doc.font('Helvetica-Bold').fillColor('#555555').text(k, MARGIN, y, { width: keyW });
    doc.font('Helvetica').fillColor(color).text(v, MARGIN + keyW + 10, y, { width: valueW });
    doc.y = y + h + 2;
    doc.x = MARGIN;
  }

  /** The profile's rules as a compact three-column table. */
  private rulesTable(doc: Doc, r: ExportReport): void {
    const widths = [260, 200, 80];
    const row = (cells: string[], bold: boolean): void => {
      this.ensureRoom(doc, 12);
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8).fillColor('#222222');
      let x = MARGIN;
      cells.forEach((c, i) => {
        doc.text(pdfText(c), x, y, { width: widths[i]! - 6, lineBreak: false, align: i === 2 ? 'right' : 'left' });
        x += widths[i]!;
      });
      doc.y = y + 11;
      doc.x = MARGIN;
    };
    row(['Rule', 'Action', 'Changed'], true);
    for (const rule of r.rules) row([rule.id, `${rule.action}${rule.label ? ` as ${rule.label}` : ''}`, rule.count.toLocaleString('en-US')], false);
    row(['Total', '', r.valuesChanged.toLocaleString('en-US')], true);
  }

  private cover(doc: Doc, r: ExportReport): void {
    this.heading(doc, 'ActivationLog export: compliance report', 20);
    doc.fontSize(9).fillColor('#555555').text(pdfText(`${r.tool.name} ${r.tool.version}, ${r.createdAt}`));
    doc.moveDown(0.8);
    const ok = fullyVerified(r);
    const verdict = pdfText(`${ok ? 'VERIFIED' : 'NOT FULLY VERIFIED'}: ${verificationVerdict(r)}`);
    const boxW = doc.page.width - 2 * MARGIN;
    const boxH = doc.font('Helvetica-Bold').fontSize(10).heightOfString(verdict, { width: boxW - 16 }) + 14;
    const top = doc.y;
    doc.roundedRect(MARGIN, top, boxW, boxH, 4).fill(ok ? '#e3f2e1' : '#fbe3e0');
    doc.font('Helvetica-Bold').fontSize(10).fillColor(ok ? '#1d5e20' : '#8a1c12').text(verdict, MARGIN + 8, top + 7, { width: boxW - 16 });
    doc.x = MARGIN;
    doc.y = top + boxH + 6;
    const manifestName = `${r.file.split(/[\\/]/).pop() ?? r.file}.manifest.json`;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#555555')
      .text(pdfText(`${manifestName} holds every record's inclusion proof. A recipient checks the export, without the archive, with: alog verify-export MANIFEST --trust-key PUBLISHER.pem`), { width: boxW });
    doc.moveDown(0.8);
    this.heading(doc, 'Archive', 12);
    this.keyValue(doc, 'Path', r.archive.path);
    this.keyValue(doc, 'Sealed', r.archive.sealed ? 'yes' : 'no (no digests: nothing can be proven)');
    for (const d of r.archive.days) {
      const detail = d.digest
        ? `key ${d.digest.key_id}: ${d.trust === 'trusted' ? 'signature valid, key trusted' : d.trust.replace(/_/g, ' ')}; ${d.leaves} record(s) in the day, Merkle root ${d.rootMatches ? 'matches' : 'DIFFERS FROM'} the digest (${d.digest.merkle_root.slice(0, 16)}…); ${d.exported} exported`
        : `${d.trust.replace(/_/g, ' ')}; ${d.exported} exported`;
      this.keyValue(doc, `Day ${d.date}`, detail, d.trust === 'trusted' && d.rootMatches ? '#222222' : '#8a1c12');
    }
    doc.moveDown(0.6);
    this.heading(doc, 'Selection', 12);
    this.keyValue(doc, 'Query', r.selection.query || '(all records)');
    this.keyValue(doc, 'Time range', `${r.selection.from ?? '(start of archive)'} to ${r.selection.to ?? '(end of archive)'}`);
    this.keyValue(doc, 'Records', `${r.records.exported} selected and exported, in archive order`);
    doc.moveDown(0.6);
    this.ensureRoom(doc, 80);
    this.heading(doc, 'Redaction profile', 12);
    this.keyValue(doc, 'Profile', `${r.profile.name}${r.profile.extends ? ` (extends ${r.profile.extends})` : ''}`);
    if (r.profile.description) this.keyValue(doc, 'Description', r.profile.description);
    doc.moveDown(0.3);
    this.rulesTable(doc, r);
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
    this.heading(doc, 'Summary statistics (every selected record)');
    if (!s) {
      doc.fontSize(10).text('Statistics were not computed for this export.');
      return;
    }
    doc.fontSize(9).fillColor('#333333');
    doc.text(
      pdfText(
        `${s.total} record(s) selected; ${s.verified} without verification findings in the index, ${s.withFindings} with. ` +
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

  private table(doc: Doc, r: ExportReport): void {
    this.heading(doc, 'Records');
    const shown = this.rows.length;
    doc
      .fontSize(9)
      .fillColor(shown < r.records.exported ? '#8a1c12' : '#333333')
      .text(
        pdfText(
          shown < r.records.exported
            ? `The table shows the first ${shown} of ${r.records.exported} record(s) (limit ${this.maxRows}); the statistics above and the manifest cover all of them. Export CSV, XLSX, JSONL or Parquet for every row.`
            : `All ${shown} record(s), redacted with profile ${r.profile.name}. Long cells are cut to one line.`,
        ),
      );
    doc.moveDown(0.5);
    const width = doc.page.width - 2 * MARGIN;
    const weights = this.columns.map((c) => columnWeight(c.path));
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / sum) * width);
    const bottom = doc.page.height - MARGIN - ROW_H;
    const header = (): void => {
      let x = MARGIN;
      const y = doc.y;
      doc.rect(MARGIN, y - 2, width, ROW_H + 2).fill('#e8edf2');
      doc.font('Helvetica-Bold').fontSize(TABLE_FONT).fillColor('#111111');
      this.columns.forEach((c, i) => {
        doc.text(pdfText(shortHeader(c.path)), x + 2, y, { width: widths[i]! - 4, lineBreak: false, ellipsis: true, height: ROW_H });
        x += widths[i]!;
      });
      doc.y = y + ROW_H + 2;
      doc.font('Helvetica').fontSize(TABLE_FONT).fillColor('#222222');
    };
    header();
    const maxChars = widths.map((w) => Math.max(4, Math.floor((w - 4) / (TABLE_FONT * 0.5))));
    this.rows.forEach((row, k) => {
      if (doc.y > bottom) {
        doc.addPage();
        header();
      }
      const y = doc.y;
      if (k % 2 === 1) {
        doc.rect(MARGIN, y - 1, width, ROW_H).fill('#f6f8fa');
        doc.fillColor('#222222');
      }
      let x = MARGIN;
      row.forEach((cell, i) => {
        const text = cell.length > maxChars[i]! ? `${cell.slice(0, maxChars[i]! - 1)}…` : cell;
        doc.text(text, x + 2, y, { width: widths[i]! - 4, lineBreak: false, height: ROW_H });
        x += widths[i]!;
      });
      doc.y = y + ROW_H;
    });
  }
}

function fmtCurrency(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: n < 1 ? 6 : 2 })}`;
}

function shortHeader(p: string): string {
  if (p === 'integrity.seq') return 'seq';
  const parts = p.split('.');
  return parts.length > 1 ? parts.slice(-2).join('.').replace(/^(?:platform_publishing|ai_enrichment|performance_metrics|content_input)\./, '') : p;
}

function columnWeight(p: string): number {
  if (p === 'integrity.seq') return 0.6;
  if (p === 'timestamp' || p === 'activation_id') return 2.2;
  if (p.endsWith('title') || p.endsWith('body') || p.startsWith('errors')) return 3;
  return 1.2;
}
