// The layout the product's PDF reports share (the export's compliance report, the integrity
// report): A4 landscape, the standard fonts, headings, key/value lines, a verdict box, tables whose
// cells wrap instead of being cut, and "page X of Y" on every page. A report is laid out twice:
// once into nothing to count its pages, then for real, so the total is known on page 1 without
// holding every page in memory (pdfkit's bufferPages would).
import type { Writable } from 'node:stream';
import { loadPdfKit } from '../export/lazy-deps';

export type Doc = InstanceType<ReturnType<typeof loadPdfKit>>;

export const MARGIN = 36;
const FOOTER_FONT = 7.5;

// Windows-1252 beyond Latin-1: the characters the standard PDF fonts (WinAnsiEncoding) can show.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function winAnsiChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * Text as the standard fonts can show it, losing nothing: a character they cannot draw is written
 * as its code point, `<U+4E2D>`, so a value is never shown as another value (no accent dropped, no
 * "?"). Line breaks are kept; a tab becomes a space.
 */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    if (winAnsiChar(ch) || ch === '\n') out += ch;
    else if (ch === '\t') out += ' ';
    else if (ch === '\r') continue;
    else out += `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
  }
  return out;
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export const TONE_COLORS: Record<Tone, { fill: string; text: string }> = {
  good: { fill: '#e3f2e1', text: '#1d5e20' },
  warn: { fill: '#fff1d6', text: '#7a4b00' },
  bad: { fill: '#fbe3e0', text: '#8a1c12' },
  neutral: { fill: '#eceff3', text: '#333333' },
};

export interface TableColumn {
  label: string;
  width: number;
  align?: 'left' | 'right';
  /** Monospace for hashes and ids. */
  mono?: boolean;
}

export interface TableRow {
  cells: string[];
  /** Background of the whole row. */
  fill?: string;
  /** Text colour per cell (default dark grey). */
  colors?: (string | undefined)[];
  bold?: boolean[];
}

export interface PdfInfo {
  title: string;
  /** Short name in every page's footer. */
  footer: string;
  creator: string;
}

/** A report being laid out: the pdfkit document plus the shared building blocks. */
export class PdfReport {
  constructor(
    readonly doc: Doc,
    readonly totalPages: number | null,
  ) {}

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  /** The lowest y text may reach on this page (the footer lives below). */
  get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = MARGIN;
    this.doc.y = MARGIN;
  }

  ensureRoom(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  heading(text: string, size = 16): void {
    this.ensureRoom(size * 2.5);
    this.doc.x = MARGIN;
    this.doc.font('Helvetica-Bold').fontSize(size).fillColor('#111111').text(pdfText(text), MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
    this.doc.font('Helvetica').fontSize(10);
  }

  paragraph(text: string, opts: { size?: number; color?: string; bold?: boolean; mono?: boolean } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.mono ? 'Courier' : opts.bold ? 'Helvetica-Bold' : 'Helvetica';
    const t = pdfText(text);
    this.doc.font(font).fontSize(size);
    this.ensureRoom(Math.min(this.doc.heightOfString(t, { width: this.width }), size * 3));
    this.doc.fillColor(opts.color ?? '#222222').text(t, MARGIN, this.doc.y, { width: this.width });
    this.doc.x = MARGIN;
  }

  gap(lines = 0.6): void {
    this.doc.moveDown(lines);
  }

  keyValue(key: string, value: string, color = '#222222', keyWidth = 150): void {
    const doc = this.doc;
    const valueW = this.width - keyWidth - 10;
    const k = pdfText(key);
    const v = pdfText(value);
    doc.fontSize(9);
    const h = Math.max(doc.font('Helvetica-Bold').heightOfString(k, { width: keyWidth }), doc.font('Helvetica').heightOfString(v, { width: valueW }));
    if (h < this.bottom - MARGIN) this.ensureRoom(h + 2);
    const y = doc.y;
    doc.font('Helvetica-Bold').fillColor('#555555').text(k, MARGIN, y, { width: keyWidth });
    const afterKey = doc.y;
    doc.font('Helvetica').fillColor(color).text(v, MARGIN + keyWidth + 10, y, { width: valueW });
    // A value longer than the page went on to the next page(s): continue from where it ended.
    doc.y = doc.y >= y ? Math.max(doc.y, afterKey) + 2 : doc.y + 2;
    doc.x = MARGIN;
  }

  /** A coloured box with a bold headline and lines under it. */
  verdictBox(headline: string, lines: string[], tone: Tone): void {
    const doc = this.doc;
    const c = TONE_COLORS[tone];
    const w = this.width - 16;
    const head = pdfText(headline);
    const body = pdfText(lines.join('\n'));
    const hHead = doc.font('Helvetica-Bold').fontSize(11).heightOfString(head, { width: w });
    const hBody = body ? doc.font('Helvetica').fontSize(9).heightOfString(body, { width: w }) : 0;
    const boxH = hHead + hBody + (body ? 18 : 14);
    this.ensureRoom(boxH + 6);
    const top = doc.y;
    doc.roundedRect(MARGIN, top, this.width, boxH, 4).fill(c.fill);
    doc.font('Helvetica-Bold').fontSize(11).fillColor(c.text).text(head, MARGIN + 8, top + 7, { width: w });
    if (body) doc.font('Helvetica').fontSize(9).fillColor(c.text).text(body, MARGIN + 8, top + 11 + hHead, { width: w });
    doc.x = MARGIN;
    doc.y = top + boxH + 6;
  }

  /**
   * A table whose cells wrap within their column (a value is never cut); the header repeats on
   * every page. A row taller than what is left of the page starts a new one. Callers keep cells
   * short enough for a row to fit a page (long values go to notes).
   */
  table(columns: TableColumn[], rows: Iterable<TableRow>, opts: { fontSize?: number; headerFill?: string; zebra?: boolean } = {}): void {
    const doc = this.doc;
    const size = opts.fontSize ?? 7.5;
    const pad = 2.5;
    const header = (): void => {
      doc.font('Helvetica-Bold').fontSize(size);
      const labels = columns.map((c) => pdfText(c.label));
      const h = Math.max(...labels.map((l, i) => doc.heightOfString(l, { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
      this.ensureRoom(h + size * 2.5);
      const y = doc.y;
      doc.rect(MARGIN, y, columns.reduce((a, c) => a + c.width, 0), h).fill(opts.headerFill ?? '#dde5ee');
      let x = MARGIN;
      doc.fillColor('#111111');
      labels.forEach((l, i) => {
        const c = columns[i]!;
        doc.text(l, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        x += c.width;
      });
      doc.x = MARGIN;
      doc.y = y + h;
    };
    header();
    let k = 0;
    const total = columns.reduce((a, c) => a + c.width, 0);
    for (const row of rows) {
      const texts = row.cells.map((t) => pdfText(t));
      let h = 0;
      texts.forEach((t, i) => {
        const c = columns[i]!;
        doc.font(c.mono ? 'Courier' : row.bold?.[i] ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
        h = Math.max(h, t === '' ? 0 : doc.heightOfString(t, { width: c.width - 2 * pad }));
      });
      h += 2 * pad;
      if (doc.y + h > this.bottom) {
        this.newPage();
        header();
      }
      const y = doc.y;
      const fill = row.fill ?? (opts.zebra !== false && k % 2 === 1 ? '#f5f7f9' : undefined);
      if (fill) doc.rect(MARGIN, y, total, h).fill(fill);
      let x = MARGIN;
      texts.forEach((t, i) => {
        const c = columns[i]!;
        if (t !== '') {
          doc
            .font(c.mono ? 'Courier' : row.bold?.[i] ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(size)
            .fillColor(row.colors?.[i] ?? '#222222')
            .text(t, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        }
        x += c.width;
      });
      doc.moveTo(MARGIN, y + h).lineTo(MARGIN + total, y + h).lineWidth(0.3).strokeColor('#d5dbe1').stroke();
      doc.x = MARGIN;
      doc.y = y + h;
      k++;
    }
    doc.moveDown(0.5);
  }

  /** "page X of Y" and the report's name at the foot of the current page. */
  footer(info: PdfInfo, page: number): void {
    const doc = this.doc;
    const { x, y } = doc;
    const bottom = doc.page.margins.bottom;
    // Below the bottom margin pdfkit would start a new page: lift the margin while writing there.
    doc.page.margins.bottom = 0;
    const yy = doc.page.height - MARGIN / 2 - FOOTER_FONT;
    doc.font('Helvetica').fontSize(FOOTER_FONT).fillColor('#666666');
    doc.text(pdfText(info.footer), MARGIN, yy, { width: this.width * 0.7, lineBreak: false });
    const pages = `page ${page} of ${this.totalPages ?? '?'}`;
    doc.text(pages, MARGIN + this.width * 0.7, yy, { width: this.width * 0.3, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = y;
  }
}

function newDoc(info: PdfInfo, compress: boolean): Doc {
  const PDFDocument = loadPdfKit();
  return new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    compress,
    autoFirstPage: true,
    info: { Title: pdfText(info.title), Creator: pdfText(info.creator), Producer: 'pdfkit' },
  });
}

function layout(doc: Doc, info: PdfInfo, totalPages: number | null, build: (r: PdfReport) => void): number {
  const report = new PdfReport(doc, totalPages);
  let page = 1;
  report.footer(info, page);
  doc.on('pageAdded', () => {
    page++;
    report.footer(info, page);
  });
  build(report);
  return page;
}

/**
 * Lays a report out twice, the first time into nothing to count its pages, and streams the second
 * into `out`. `build` must lay out the same document both times (it may not consume its input).
 */
export async function renderPdf(out: Writable, info: PdfInfo, build: (r: PdfReport) => void, onError?: (e: unknown) => void): Promise<{ pages: number }> {
  const counting = newDoc(info, false);
  counting.on('data', () => undefined);
  const pages = layout(counting, info, null, build);
  counting.end();

  const doc = newDoc(info, true);
  if (onError) doc.on('error', onError);
  doc.pipe(out);
  const written = layout(doc, info, pages, build);
  doc.end();
  return { pages: written };
}
