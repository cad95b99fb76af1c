// A forged export (cells edited, the file hash recomputed in the manifest) no longer verifies:
// with a signed manifest the exporter's signature fails, and `--archive` names every edited cell
// (file row, column, exported and archive value). Whole-record JSONL is hashed back record by
// record, so an edited value fails even in an unsigned manifest. And verify-export says what it
// proved and what it did not.
import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeyPair, readPrivateKey } from '../../../src/main/services/keys/key-pair';
import { loadPublicKeyFile, type PublicKeyEntry } from '../../../src/main/services/keys/keys';
import { verifyExport } from '../../../src/main/services/export/verify-export';
import { indexVerification, runExport, type ExportResult } from '../../../src/main/services/export/export-service';
import { loadExcelJs } from '../../../src/main/services/export/lazy-deps';
import { profileFromJson } from '../../../src/main/services/redaction/profiles';
import type { ExportManifest, ExportRequest } from '../../../src/shared/export-manifest';
import { builtinProfile, type RedactionProfile } from '../../../src/shared/redaction-profile';
import { ExportFixture, readCsv } from './export-fixture';
import type { WorkerTask } from '../../../src/main/services/workers/protocol';

const fx = new ExportFixture();
let exporterKey: PublicKeyEntry;
let trustedAll: Map<string, PublicKeyEntry>;
let n = 0;

async function signedExport(req: Omit<ExportRequest, 'out'>, profile: RedactionProfile = builtinProfile('external-auditor')): Promise<ExportResult> {
  return runExport(
    {
      index: fx.index,
      pool: fx.pool,
      trustedKeys: fx.trusted,
      toolVersion: 'test',
      secret: new Uint8Array(32).fill(3),
      exporter: { privateKey: await readPrivateKey(path.join(fx.tmp, 'exporter', 'exporter.pem')), operator: 'Test Operator' },
    },
    { ...req, out: fx.out(req.format) },
    profile,
  );
}

/** Copies an export, lets `edit` change the file's bytes, and recomputes the hash and size in the manifest (as a forger would). */
async function forge(r: ExportResult, edit: (file: string) => Promise<void>, manifestEdit: (m: ExportManifest) => void = () => undefined): Promise<{ file: string; manifest: string }> {
  const file = path.join(fx.tmp, `forged-${++n}${path.extname(r.file)}`);
  await cp(r.file, file);
  await edit(file);
  const bytes = await readFile(file);
  const m = JSON.parse(await readFile(r.manifest, 'utf8')) as ExportManifest;
  m.export.file = path.basename(file);
  m.export.sha256 = createHash('sha256').update(bytes).digest('hex');
  m.export.bytes = bytes.length;
  manifestEdit(m);
  const manifest = `${file}.manifest.json`;
  await writeFile(manifest, JSON.stringify(m, null, 2));
  return { file, manifest };
}

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 25, seed: 41 });
  const k = await createKeyPair(path.join(fx.tmp, 'exporter'), { name: 'exporter' });
  exporterKey = await loadPublicKeyFile(k.publicKeyFile);
  trustedAll = new Map([...fx.trusted, [exporterKey.keyId, exporterKey]]);
}, 90_000);
afterAll(() => fx.teardown());

describe('a signed export verifies, and says what it proved', () => {
  it.each(['csv', 'jsonl', 'xlsx', 'parquet'] as const)('%s: signature, rows and every cell against the archive', async (format) => {
    const r = await signedExport({ format, query: 'NOT status:blocked' });
    expect(r.exporter).toEqual({ operator: 'Test Operator', keyId: exporterKey.keyId });
    const m = JSON.parse(await readFile(r.manifest, 'utf8')) as ExportManifest;
    expect(m.exported_by).toMatchObject({ operator: 'Test Operator', key_id: exporterKey.keyId });
    expect(m.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const v = await verifyExport(r.manifest, trustedAll, { archive: fx.archive });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.exporter.status).toBe('trusted');
    expect(v.archive).toMatchObject({ checked: true, differing: 0, rows: r.report.records.exported });
    expect(v.archive!.cells).toBeGreaterThan(r.report.records.exported);
    expect(v.proven.join('\n')).toMatch(/File unchanged since the exporter signed it: "Test Operator"/);
    expect(v.proven.join('\n')).toMatch(/Cells: all \d+ exported cell\(s\) equal the archive's records after the same redaction/);
    expect(v.notProven.join('\n')).toMatch(/Selection complete/);
  });

  it('without the exporter key among the trusted keys, the signature proves nothing and the check fails, saying which key to get', async () => {
    const r = await signedExport({ format: 'csv', query: 'status:failed' });
    const v = await verifyExport(r.manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.exporter.status).toBe('untrusted_key');
    expect(v.problems.join('\n')).toContain(`exporter key ${exporterKey.keyId}`);
    expect(v.notProven.join('\n')).toMatch(/File unchanged since export/);
  });
});

describe('an export states what the verification report says', () => {
  it("without a report at hand, it takes the index's verification (no day file verified again), then writes", async () => {
    const phases: string[] = [];
    const run = vi.spyOn(fx.pool, 'run');
    let r: ExportResult;
    try {
      r = await runExport(
        { index: fx.index, pool: fx.pool, trustedKeys: fx.trusted, toolVersion: 'test', onProgress: (p) => phases.push(p.phase) },
        { format: 'csv', out: fx.out('csv') },
        builtinProfile('internal'),
      );
      expect(run.mock.calls.map((c) => (c[0] as WorkerTask).kind).filter((k) => k === 'verifyFile' || k === 'indexFile')).toEqual([]);
    } finally {
      run.mockRestore();
    }
    const at = (p: string): number => phases.indexOf(p);
    expect(phases).not.toContain('verifying');
    expect(at('writing')).toBeGreaterThan(at('selecting'));
    expect(r.report.integrity).toMatchObject({ verified: true, records: r.report.records.exported });
    expect(r.report.integrity.counts.verified).toBe(r.report.records.exported);
  });

  it('a verification that was given is used as is (the app passes its current one)', async () => {
    let asked = 0;
    const untrustedReport = await indexVerification({ index: fx.index, trustedKeys: new Map() })({});
    const r = await runExport(
      {
        index: fx.index,
        pool: fx.pool,
        trustedKeys: fx.trusted,
        toolVersion: 'test',
        verification: async () => {
          asked++;
          return untrustedReport;
        },
      },
      { format: 'csv', out: fx.out('csv') },
      builtinProfile('internal'),
    );
    expect(asked).toBe(1);
    // That report did not trust the key: no record is called verified, however the export's own proofs went.
    expect(r.report.integrity.counts.untrusted_key).toBe(r.report.records.exported);
    expect(r.report.integrity.counts.verified).toBe(0);
    // The index's classes follow its latest verification: put the trusted one back for the other tests.
    await indexVerification({ index: fx.index, trustedKeys: fx.trusted })({});
  });
});

describe('a forged export (cells edited, the file hash recomputed) fails', () => {
  it('CSV: the exporter signature fails, and --archive names the edited cells', async () => {
    const r = await signedExport({ format: 'csv', fields: ['platform_publishing.status', 'ai_enrichment.cost_usd', 'content_input.title'] });
    const rows = await readCsv(r.file);
    const header = rows[0]!;
    const col = (p: string): number => header.indexOf(p);
    const forged = await forge(r, async (file) => {
      const text = await readFile(file, 'utf8');
      const lines = text.split('\r\n');
      // Data row 3 (file line 4): status, cost and title edited.
      const cells = rows[3]!.slice();
      cells[col('platform_publishing.status')] = cells[col('platform_publishing.status')] === 'published' ? 'failed' : 'published';
      cells[col('ai_enrichment.cost_usd')] = '0.5';
      cells[col('content_input.title')] = 'A harmless title';
      lines[3] = cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
      await writeFile(file, lines.join('\r\n'));
    });
    const v = await verifyExport(forged.manifest, trustedAll);
    expect(v.fileCheck.ok).toBe(true);
    expect(v.ok).toBe(false);
    expect(v.exporter.status).toBe('signature_invalid');
    const withArchive = await verifyExport(forged.manifest, trustedAll, { archive: fx.archive });
    expect(withArchive.archive!.differing).toBe(3);
    const diffs = withArchive.archive!.differences;
    expect(diffs.map((d) => [d.row, d.column])).toEqual([
      [2, 'platform_publishing.status'],
      [2, 'ai_enrichment.cost_usd'],
      [2, 'content_input.title'],
    ]);
    expect(diffs[1]).toMatchObject({ exported: '"0.5"' });
    expect(withArchive.problems.join('\n')).toMatch(/data row 3 \(seq \d+\), column AI cost \(USD\) \(ai_enrichment\.cost_usd\): the export has "0\.5", the archive /);
  });

  it('CSV: an unsigned manifest (signature stripped) fails when an exporter key is given, and --archive still names the cell', async () => {
    const r = await signedExport({ format: 'csv', fields: ['platform_publishing.status'] });
    const forged = await forge(
      r,
      async (file) => {
        const text = await readFile(file, 'utf8');
        await writeFile(file, text.replace(/,published\r\n/, ',failed\r\n'));
      },
      (m) => {
        delete m.signature;
        delete m.exported_by;
        delete m.records_sha256;
      },
    );
    const v = await verifyExport(forged.manifest, trustedAll, { archive: fx.archive });
    expect(v.ok).toBe(false);
    expect(v.exporter.status).toBe('unsigned');
    expect(v.problems.join('\n')).toContain('the manifest is not signed');
    expect(v.archive!.differences).toHaveLength(1);
    expect(v.archive!.differences[0]).toMatchObject({ column: 'platform_publishing.status', exported: '"failed"', archive: '"published"' });
    // Without the exporter's key nor the archive, an unsigned manifest says plainly what it cannot prove.
    const plain = await verifyExport(forged.manifest, fx.trusted);
    expect(plain.ok).toBe(true);
    expect(plain.notProven.join('\n')).toMatch(/the manifest is not signed by its exporter, so whoever edits the file can update the hash too/);
  });

  it('JSONL: the signature fails; --archive names the edited member; whole unredacted records are hashed back even unsigned', async () => {
    const unredacted = profileFromJson({ name: 'unredacted', description: 'keeps every value' }, 'test');
    const r = await signedExport({ format: 'jsonl', query: 'provider:openai' }, unredacted);
    const clean = await verifyExport(r.manifest, trustedAll);
    expect(clean.values).toMatchObject({ checked: true, proven: r.report.records.exported, changed: 0 });
    expect(clean.proven.join('\n')).toMatch(/every value of the \d+ record\(s\) is the sealed one/);
    const edit = async (file: string): Promise<void> => {
      const lines = (await readFile(file, 'utf8')).split('\n');
      const rec = JSON.parse(lines[1]!) as { performance_metrics: { total_ms: number } };
      rec.performance_metrics.total_ms = 1;
      lines[1] = JSON.stringify(rec);
      await writeFile(file, lines.join('\n'));
    };
    const forged = await forge(r, edit);
    const v = await verifyExport(forged.manifest, trustedAll, { archive: fx.archive });
    expect(v.ok).toBe(false);
    expect(v.exporter.status).toBe('signature_invalid');
    expect(v.values.changed).toBe(1);
    expect(v.archive!.differences.map((d) => [d.row, d.column, d.exported])).toEqual([[1, 'performance_metrics.total_ms', '1']]);
    // Unsigned and no archive: the record no longer hashes to its record_hash, and redaction did not touch it.
    const unsigned = await forge(r, edit, (m) => {
      delete m.signature;
      delete m.exported_by;
      delete m.records_sha256;
    });
    const u = await verifyExport(unsigned.manifest, fx.trusted);
    expect(u.ok).toBe(false);
    expect(u.problems.join('\n')).toMatch(/row 1 \(seq \d+\): its values are not the sealed record's/);
  });

  it('XLSX: the signature fails, and --archive names the edited cells', async () => {
    const r = await signedExport({ format: 'xlsx', fields: ['platform_publishing.status', 'performance_metrics.total_ms', 'timestamp'] });
    const ExcelJS = loadExcelJs();
    const forged = await forge(r, async (file) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const sheet = wb.getWorksheet('Records')!;
      const paths = (sheet.getRow(2).values as unknown[]).map((v) => (v && typeof v === 'object' && 'richText' in v ? (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('') : v));
      const row = sheet.getRow(5);
      row.getCell(paths.indexOf('performance_metrics.total_ms')).value = 12.5;
      row.getCell(paths.indexOf('platform_publishing.status')).value = 'published-edited';
      await wb.xlsx.writeFile(file);
    });
    const v = await verifyExport(forged.manifest, trustedAll, { archive: fx.archive });
    expect(v.ok).toBe(false);
    expect(v.exporter.status).toBe('signature_invalid');
    expect(v.archive!.differences.map((d) => [d.row, d.column, d.exported])).toEqual([
      [2, 'platform_publishing.status', '"published-edited"'],
      [2, 'performance_metrics.total_ms', '12.5'],
    ]);
  });

  it('a manifest naming a line the archive does not have, or lines out of order: the comparison says so, never out of step', async () => {
    const r = await signedExport({ format: 'csv', fields: ['platform_publishing.status'] });
    const past = await forge(r, async () => undefined, (m) => {
      m.records[m.records.length - 1]!.line = 999_999;
    });
    const v = await verifyExport(past.manifest, trustedAll, { archive: fx.archive });
    expect(v.ok).toBe(false);
    expect(v.archive!.checked).toBe(false);
    expect(v.archive!.message).toMatch(/has no line 999999, which the manifest lists/);
    const swapped = await forge(r, async () => undefined, (m) => {
      const [a, b] = [m.records[0]!.line, m.records[1]!.line];
      m.records[0]!.line = b;
      m.records[1]!.line = a;
    });
    const w = await verifyExport(swapped.manifest, trustedAll, { archive: fx.archive });
    expect(w.archive!.message).toMatch(/not in file order/);
  });
});
