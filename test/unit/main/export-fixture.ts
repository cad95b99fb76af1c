// An archive, its index and trusted key, and helpers to export from it and read exports back with
// readers that share no code with the writers (csv-parse, fflate + the XLSX XML, pdfjs-dist, DuckDB).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { generateArchive, type GenerateOptions, type GenerateSummary } from '../../../src/main/services/gen/generator';
import { openArchiveIndex, type ArchiveIndex } from '../../../src/main/services/index/archive-index';
import { loadPublicKeyFile, type PublicKeyEntry } from '../../../src/main/services/keys/keys';
import { WorkerPool } from '../../../src/main/services/workers/worker-pool';
import { runExport, type ExportResult } from '../../../src/main/services/export/export-service';
import type { ExportRequest } from '../../../src/shared/export-manifest';
import { builtinProfile, type RedactionProfile } from '../../../src/shared/redaction-profile';

export const WORKER_PATH = path.resolve(__dirname, '../../../out/cli/archive-worker.cjs');
export const ALOG = path.resolve(__dirname, '../../../out/cli/alog.cjs');

export class ExportFixture {
  readonly pool = new WorkerPool(WORKER_PATH, 2);
  tmp = '';
  archive = '';
  summary!: GenerateSummary;
  index!: ArchiveIndex;
  trusted = new Map<string, PublicKeyEntry>();
  private n = 0;

  async setup(opts: Partial<GenerateOptions> = {}): Promise<void> {
    this.tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-export-'));
    this.archive = path.join(this.tmp, 'archive');
    this.summary = await generateArchive({
      out: this.archive,
      days: 3,
      perDay: 40,
      seed: 11,
      sealed: true,
      gzipOlder: true,
      keyDir: path.join(this.tmp, 'signing'),
      bodyKb: 1,
      ...opts,
    });
    await this.reopen();
    if (this.summary.publicKeyFile) {
      const k = await loadPublicKeyFile(path.join(this.archive, this.summary.publicKeyFile));
      this.trusted.set(k.keyId, k);
    }
  }

  /** (Re)opens the index, e.g. after the archive was changed. */
  async reopen(dir = this.archive): Promise<ArchiveIndex> {
    const { index } = await openArchiveIndex(dir, { pool: this.pool, cacheRoot: path.join(this.tmp, 'cache') });
    if (dir === this.archive) this.index = index;
    return index;
  }

  /** A fresh output path in the fixture's folder. */
  out(ext: string): string {
    return path.join(this.tmp, `export-${++this.n}.${ext}`);
  }

  async export(req: Omit<ExportRequest, 'out'> & { out?: string }, profile: RedactionProfile = builtinProfile('external-auditor'), index = this.index): Promise<ExportResult> {
    return runExport(
      { index, pool: this.pool, trustedKeys: this.trusted, toolVersion: 'test', secret: new Uint8Array(32).fill(7) },
      { ...req, out: req.out ?? this.out(req.format) },
      profile,
    );
  }

  async teardown(): Promise<void> {
    await this.pool.close();
    if (this.tmp) await rm(this.tmp, { recursive: true, force: true });
  }
}

/** CSV rows (header first) through csv-parse, an RFC 4180 reader independent of our writer. */
export async function readCsv(file: string): Promise<string[][]> {
  return parseCsv(await readFile(file), { bom: true, relax_quotes: false }) as string[][];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** Every file of an XLSX (a zip) as text, unzipped with fflate. */
export async function unzipXlsx(file: string): Promise<Record<string, string>> {
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  return Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

/** The cells of the first sheet: each `<c>` element's attributes and text (inline string or value). */
export function sheetCells(xml: string): { ref: string; type: string | null; formula: boolean; text: string }[] {
  const out: { ref: string; type: string | null; formula: boolean; text: string }[] = [];
  const CELL = /<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  for (let m = CELL.exec(xml); m; m = CELL.exec(xml)) {
    const attrs = m[2] ?? '';
    const inner = m[3] ?? '';
    const type = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? null;
    const texts = [...inner.matchAll(/<t(?: [^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => t[1]!);
    const value = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
    out.push({ ref: m[1]!, type, formula: /<f[\s>]/.test(inner), text: decodeXml(texts.length ? texts.join('') : (value ?? '')) });
  }
  return out;
}

/** The text of each page of a PDF with pdfjs-dist: its text items in content order, joined without separators. */
export async function pdfPages(file: string): Promise<{ items: string[] }[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(await readFile(file)),
    standardFontDataUrl: path.resolve(__dirname, '../../../node_modules/pdfjs-dist/standard_fonts/') + '/',
    verbosity: 0,
  }).promise;
  const pages: { items: string[] }[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push({ items: content.items.map((it) => ('str' in it ? it.str : '')) });
  }
  await doc.destroy();
  return pages;
}

/** All text of a PDF, per page, with pdfjs-dist (items joined with and without spaces). */
export async function pdfText(file: string): Promise<string> {
  return (await pdfPages(file)).flatMap((p) => [p.items.join(''), p.items.join(' ')]).join('\n');
}

/** Every row of a Parquet file through DuckDB, values as JSON-compatible strings/numbers. */
export async function readParquet(file: string): Promise<{ columns: { name: string; type: string }[]; rows: Record<string, unknown>[] }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    const q = `'${file.replace(/'/g, "''")}'`;
    const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${q})`);
    const columns = (desc.getRowObjectsJson() as { column_name: string; column_type: string }[]).map((r) => ({ name: r.column_name, type: r.column_type }));
    const all = await con.runAndReadAll(`SELECT * FROM read_parquet(${q})`);
    return { columns, rows: all.getRowObjectsJson() as Record<string, unknown>[] };
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}
