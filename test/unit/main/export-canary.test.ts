// The canary test: every personal value the generator planted in an archive (names, e-mails,
// phones, IPs, IBANs, card numbers, user and session ids, in structured fields and free text) is
// absent from an export in every format with the default profile, read back with independent
// readers. Exports must still carry content (pseudonyms where the values were).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormat } from '../../../src/shared/export-manifest';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import { pdfText as winAnsi } from '../../../src/main/services/export/writers/pdf';
import type { PlantedValue } from '../../../src/main/services/gen/generator';
import { ExportFixture, pdfText, readCsv, readParquet, sheetCells, unzipXlsx } from './export-fixture';

const fx = new ExportFixture();
const texts = new Map<ExportFormat, string>();

beforeAll(async () => {
  await fx.setup({ days: 3, perDay: 50, seed: 20261120 });
  // Every column that exists, so every planted field is in the tabular exports too.
  const fields = [
    'activation_id', 'content_input.title', 'content_input.body', 'content_input.author.name', 'content_input.author.email',
    'processing_metadata.user_id', 'processing_metadata.client_ip', 'processing_metadata.session_id', 'errors', 'ai_enrichment',
    'platform_publishing', 'brand_voice_analysis', 'content_input.images', 'content_input.tags',
  ];
  for (const format of EXPORT_FORMATS) {
    const r = await fx.export({ format, fields: format === 'jsonl' ? undefined : fields, pdfMaxRows: 100_000 });
    expect(r.report.records.exported).toBe(150);
    let text: string;
    switch (format) {
      case 'csv':
        text = (await readCsv(r.file)).flat().join('\n');
        break;
      case 'jsonl':
        text = (await readFile(r.file, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.stringify(JSON.parse(l), null, 0))
          .join('\n');
        break;
      case 'xlsx': {
        const files = await unzipXlsx(r.file);
        text = Object.entries(files)
          .filter(([name]) => name.endsWith('.xml'))
          .map(([, xml]) => sheetCells(xml).map((c) => c.text).join('\n'))
          .join('\n');
        break;
      }
      case 'pdf':
        text = await pdfText(r.file);
        break;
      case 'parquet': {
        const { rows } = await readParquet(r.file);
        text = rows.map((row) => Object.values(row).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n')).join('\n');
        break;
      }
    }
    texts.set(format, text);
  }
}, 120_000);

afterAll(() => fx.teardown());

/** JSON escapes in a JSONL line would hide a value from a plain substring search: search both forms. */
function forms(v: PlantedValue, format: ExportFormat): string[] {
  const out = [v.value, JSON.stringify(v.value).slice(1, -1)];
  if (format === 'pdf') out.push(winAnsi(v.value));
  return [...new Set(out)];
}

describe('canary: no planted personal value survives the default profile', () => {
  it('the generator planted every kind of personal data', () => {
    const kinds = new Set(fx.summary.planted.map((p) => p.kind));
    for (const k of ['name', 'email', 'phone', 'ipv4', 'ipv6', 'iban', 'card_number', 'user_id', 'session_id']) expect(kinds).toContain(k);
    expect(fx.summary.plantedTruncated).toBe(false);
  });

  for (const format of EXPORT_FORMATS) {
    it(`${format}: none of the planted values, but the content is there`, () => {
      const text = texts.get(format)!;
      expect(text.length).toBeGreaterThan(10_000);
      const leaks = fx.summary.planted.filter((p) => forms(p, format).some((f) => text.includes(f)));
      expect(leaks.map((l) => `${l.kind}: ${l.value}`)).toEqual([]);
      // Redacted, not emptied: pseudonyms stand where the values were.
      expect(text).toMatch(/PERSON_\d+/);
      if (format !== 'pdf') {
        expect(text).toMatch(/EMAIL_\d+/);
        expect(text).toMatch(/SESSION_\d+/);
      }
    });
  }

  it('the same check sees leaks: the internal profile keeps author names and e-mails', async () => {
    const r = await fx.export({ format: 'jsonl' }, builtinProfile('internal'));
    const text = await readFile(r.file, 'utf8');
    const leaked = fx.summary.planted.filter((p) => text.includes(p.value));
    expect(leaked.some((p) => p.kind === 'name')).toBe(true);
    expect(leaked.some((p) => p.kind === 'email')).toBe(true);
    expect(leaked.some((p) => p.kind === 'card_number' || p.kind === 'iban')).toBe(false);
  });

  it('the planted values are really in the archive (the test would catch a leak)', async () => {
    let raw = '';
    for (const f of fx.summary.files) {
      const bytes = await readFile(`${fx.archive}/${f.file}`);
      raw += (f.file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    }
    const present = fx.summary.planted.filter((p) => raw.includes(p.value) || raw.includes(JSON.stringify(p.value).slice(1, -1)));
    expect(present.length).toBe(fx.summary.planted.length);
  });
});
