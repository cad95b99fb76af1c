// Reports never misstate a value. PDF: a property test that every value of the chosen columns
// appears whole in the PDF's text (pdfjs-dist, items in content order) for records with long ids,
// large numbers and long text; page numbers "page X of Y"; the altered record marked. XLSX: read
// back with exceljs: a bold frozen header of labels, the record paths in row 2 with an autofilter,
// column widths, timestamps as UTC date cells, the period as chosen.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfWriter, pdfText, LONG_CELL } from '../../../src/main/services/export/writers/pdf';
import type { ExportReport } from '../../../src/main/services/export/report';
import { loadExcelJs } from '../../../src/main/services/export/lazy-deps';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import type { RecordStanding } from '../../../src/shared/selection-integrity';
import { ExportFixture, pdfPages } from './export-fixture';

let tmp = '';
let k = 0;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-fidelity-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function report(records: number, counts: Partial<Record<RecordStanding, number>> = {}): ExportReport {
  return {
    tool: { name: 'ActivationLog Inspector', version: 'test' },
    createdAt: '2026-12-01T00:00:00.000Z',
    integrity: {
      verified: true,
      sealed: true,
      records,
      counts: { verified: 0, untrusted_key: 0, altered: 0, finding: 0, file_findings: 0, unsealed: 0, unknown: 0, ...counts },
      days: [],
      untrustedKeys: [],
      unknownKeys: [],
      missingDays: [],
      findings: [],
      findingsTotal: 0,
      reportFinishedAt: null,
    },
    integrityFindings: [],
    trustedKeyIds: [],
    format: 'pdf',
    file: path.join(tmp, 'x.pdf'),
    archive: { path: '/archive', sealed: true, days: [] },
    selection: { query: '', from: null, to: null, through: null, total: records },
    profile: builtinProfile('internal'),
    rules: [],
    valuesChanged: 0,
    pseudonyms: {},
    stats: null,
    records: { exported: records, proven: records, contentMismatch: 0, unprovable: 0 },
  };
}

/** The PDF's text in content order: every text item, joined without separators, per page. */
async function pdfItems(file: string): Promise<string[]> {
  return (await pdfPages(file)).map((p) => p.items.join(''));
}

/** Whitespace is where a wrapped value breaks (or a space pdfjs adds): compared without it. */
const squeeze = (s: string): string => s.replace(/\s+/g, '');

type Cell = string | number | boolean | null;

async function writePdf(fields: string[], rows: { cells: Cell[]; trust: RecordStanding; seq: number }[]): Promise<{ file: string; pages: string[] }> {
  const file = path.join(tmp, `t-${++k}.pdf`);
  const w = new PdfWriter({ tempPath: file, displayPath: file, fields, bom: false, pdfMaxRows: 10_000 });
  // The PDF table leaves out record_hash (the manifest has it by seq): a row is seq, then the chosen fields.
  for (const r of rows) await w.writeRow([r.seq, ...r.cells], { trust: r.trust, seq: r.seq, file: 'activations-2026-11-20.jsonl', line: 1 });
  await w.finish(report(rows.length, { verified: rows.length }));
  return { file, pages: await pdfItems(file) };
}

const FIELDS = ['activation_id', 'timestamp', 'performance_metrics.total_ms', 'ai_enrichment.cost_usd', 'content_input.title', 'errors[].error_class'];

// Text the standard fonts show, with a few characters they cannot (written as <U+XXXX>).
const textChar = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_:/()[]"\'') },
  { weight: 2, arbitrary: fc.constantFrom(...'äöüßéèñçÅØ€…–') },
  { weight: 1, arbitrary: fc.constantFrom('中', 'Ł', 'ő', '🙂', 'ж') },
);
const text = (min: number, max: number) => fc.array(textChar, { minLength: min, maxLength: max }).map((a) => a.join(''));

const record = fc.record({
  seq: fc.integer({ min: 0, max: 9_999_999_999 }),
  id: fc.oneof(fc.stringMatching(/^act_[0-9a-f]{32}$/), text(40, 120).map((s) => `act_${s.replace(/\s/g, 'x')}`)),
  ts: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '123Z')),
  ms: fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 2 ** 53 - 1 })),
  cost: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(null)),
  title: fc.oneof(text(0, 80), text(200, 900)),
  errors: fc.array(fc.constantFrom('PlatformRateLimitError', 'ProviderTimeoutError', 'X'), { maxLength: 4 }).map((a) => JSON.stringify(a)),
  trust: fc.constantFrom<RecordStanding>('verified', 'altered', 'untrusted_key', 'file_findings'),
});

describe('PDF: every value of the chosen columns appears whole', () => {
  it('property: long ids, large numbers, long text; numbers in full, never rounded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 12 }), async (recs) => {
        const { pages } = await writePdf(
          FIELDS,
          recs.map((r) => ({ seq: r.seq, trust: r.trust, cells: [r.id, r.ts, r.ms, r.cost, r.title, r.errors] })),
        );
        const all = squeeze(pages.join(''));
        for (const r of recs) {
          for (const v of [r.seq, r.id, r.ts, r.ms, r.cost, r.title, r.errors]) {
            if (v === null || v === '') continue;
            const shown = squeeze(pdfText(String(v)));
            expect(all.includes(shown), `${JSON.stringify(v)} is not whole in the PDF`).toBe(true);
          }
        }
        // Each page says which it is, of how many.
        pages.forEach((p, i) => expect(p).toContain(`page ${i + 1} of ${pages.length}`));
        // Long cells are printed whole under "Full values", the cell pointing there.
        if (recs.some((r) => r.title.length > LONG_CELL)) expect(all).toContain(squeeze('Full values'));
      }),
      { numRuns: 12 },
    );
  }, 240_000);

  it('the values of the issue: seq 100743 and 193,869.4 ms whole, the altered record marked, headers in words', async () => {
    const { pages } = await writePdf(FIELDS, [
      { seq: 100743, trust: 'altered', cells: ['act_4b1c9a8f0e2d4c6b8a0f1e3d5c7b9a1f', '2026-11-20T08:15:30.123456Z', 193869.4, 0.001298, 'New in: Desk Lamp Halo and free returns in store', '["PlatformTimeoutError","PlatformRateLimitError"]'] },
      { seq: 100744, trust: 'verified', cells: ['act_0b1c9a8f0e2d4c6b8a0f1e3d5c7b9a1f', '2026-11-20T08:16:00.000001Z', 4, 0, 'x', '[]'] },
    ]);
    const all = pages.join('\n');
    expect(all).toContain('100743');
    expect(all).toContain('193869.4');
    expect(all).toContain('act_4b1c9a8f0e2d4c6b8a0f1e3d5c7b9a1f');
    expect(all).toContain('2026-11-20T08:15:30.123456Z');
    expect(all).toContain('ALTERED');
    for (const label of ['Integrity', 'Seq', 'Activation id', 'Time', 'Total ms', 'AI cost (USD)', 'Title', 'Error classes']) expect(all).toContain(label);
    expect(all).toContain('performance_metrics.total_ms');
  });

  it('too many columns for a page: each record printed as a block, every value whole', async () => {
    const many = Array.from({ length: 24 }, (_, i) => `extra.field_${i}`);
    const values = many.map((_, i) => `value-${i}-${'z'.repeat(i)}`);
    const { pages } = await writePdf(many, [{ seq: 7, trust: 'verified', cells: values }]);
    const all = squeeze(pages.join(''));
    expect(all).toContain(squeeze('each record is printed as a block'));
    for (const v of values) expect(all).toContain(v);
  });
});

describe('XLSX: a report, read back with exceljs', () => {
  const fx = new ExportFixture();
  beforeAll(() => fx.setup({ days: 2, perDay: 15, seed: 5 }), 60_000);
  afterAll(() => fx.teardown());

  it('bold frozen labels, record paths with an autofilter, widths, UTC date cells, the period as chosen', async () => {
    const day = fx.summary.files[0]!.file.slice(12, 22);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const r = await fx.export({ format: 'xlsx', fields: ['timestamp', 'performance_metrics.total_ms', 'platform_publishing.status'], to: `${next}T00:00:00.000000Z`, through: day });
    const ExcelJS = loadExcelJs();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.file);
    const sheet = wb.getWorksheet('Records')!;
    const text = (v: unknown): unknown => (v && typeof v === 'object' && 'richText' in v ? (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('') : v);
    const labels = (sheet.getRow(1).values as unknown[]).slice(1).map(text);
    const paths = (sheet.getRow(2).values as unknown[]).slice(1).map(text);
    expect(labels).toEqual(['Seq', 'Record hash', 'Time (UTC)', 'Time, exact (ISO 8601)', 'Total ms', 'Status']);
    expect(paths).toEqual(['integrity.seq', 'integrity.record_hash', 'timestamp', 'timestamp (text)', 'performance_metrics.total_ms', 'platform_publishing.status']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.autoFilter).toBe('A2:F2');
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(64);
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(20);
    const first = sheet.getRow(3);
    const when = first.getCell(3).value;
    expect(when).toBeInstanceOf(Date);
    const exact = text(first.getCell(4).value) as string;
    expect(exact).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect((when as Date).toISOString()).toBe(`${exact.slice(0, 23)}Z`);
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm:ss.000');
    expect(typeof first.getCell(5).value).toBe('number');
    expect(sheet.rowCount).toBe(r.report.records.exported + 2);
    const about = wb.getWorksheet('About this export')!;
    const rows = new Map<string, string>();
    about.eachRow((row) => rows.set(String(text(row.getCell(1).value)), String(text(row.getCell(2).value))));
    expect(rows.get('Period')).toBe(`Through ${day}`);
    expect(rows.get('Verdict')).toBe('VERIFIED');
    expect(wb.getWorksheet('Columns')!.rowCount).toBe(7);
  });
});
