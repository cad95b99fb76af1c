import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateArchive, type GenerateSummary } from '../../../src/main/services/gen/generator';
import { loadPublicKeyFile, type PublicKeyEntry } from '../../../src/main/services/keys/keys';
import { expect } from 'vitest';
import { openArchiveIndex } from '../../../src/main/services/index/archive-index';
import { verifyIndex } from '../../../src/main/services/index/index-verification';
import { verifyArchive, type VerifyArchiveOptions } from '../../../src/main/services/verify/verify-archive';
import { WorkerPool } from '../../../src/main/services/workers/worker-pool';
import type { VerificationReport } from '../../../src/shared/verification-report';

export const WORKER_PATH = path.resolve(__dirname, '../../../out/cli/archive-worker.cjs');

/** A small sealed archive made once per test file; each tamper works on a fresh copy. */
export class ArchiveFixture {
  readonly pool = new WorkerPool(WORKER_PATH, 2);
  private tmp = '';
  base = '';
  summary!: GenerateSummary;
  trusted!: PublicKeyEntry;
  days: string[] = [];

  async setup(opts: { days?: number; perDay?: number; sealed?: boolean; emptyDays?: string[]; plantWarnings?: string[]; endDate?: string } = {}): Promise<void> {
    this.tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-test-'));
    this.base = path.join(this.tmp, 'base');
    this.summary = await generateArchive({
      out: this.base,
      days: opts.days ?? 3,
      perDay: opts.perDay ?? 20,
      seed: 7,
      sealed: opts.sealed ?? true,
      gzipOlder: true,
      keyDir: path.join(this.tmp, 'signing'),
      bodyKb: 1,
      emptyDays: opts.emptyDays,
      plantWarnings: opts.plantWarnings,
      endDate: opts.endDate,
    });
    this.days = this.summary.files.map((f) => f.file);
    if (this.summary.publicKeyFile) this.trusted = await loadPublicKeyFile(path.join(this.base, this.summary.publicKeyFile));
  }

  /** The producer's private key (PKCS8 PEM), for tests that re-seal a day as a producer would. */
  get signingKeyPath(): string {
    return path.join(this.tmp, 'signing', 'signing-key.pem');
  }

  async teardown(): Promise<void> {
    await this.pool.close();
    if (this.tmp) await rm(this.tmp, { recursive: true, force: true });
  }

  private copies = 0;

  /** A folder for files kept outside the archives (checkpoints). */
  get outside(): string {
    return this.tmp;
  }

  /** A fresh copy of the base archive. */
  async copy(): Promise<string> {
    const dir = path.join(this.tmp, `copy-${++this.copies}`);
    await cp(this.base, dir, { recursive: true });
    return dir;
  }

  /**
   * `alog verify`'s report of `dir`. Unless the options ask for what only `verify` does (schema
   * checks of every record, cancellation, progress), the index's verification is made too, by a
   * fresh build and by a reopen from its cache, and must give the very same report.
   */
  async verify(dir: string, extra: Partial<VerifyArchiveOptions> = {}): Promise<VerificationReport> {
    const opts = { pool: this.pool, trustedKeys: [this.trusted], ...extra };
    const report = await verifyArchive(dir, opts);
    if (opts.schema !== 'all' && !opts.signal && !opts.onProgress) {
      const cacheRoot = path.join(this.tmp, `cache-${++this.caches}`);
      for (const pass of ['build', 'reopen']) {
        const { index } = await openArchiveIndex(dir, { pool: this.pool, cacheRoot, lineCap: opts.lineCap });
        const viaIndex = (await verifyIndex(index, opts.trustedKeys, undefined, opts.completeness)).report;
        expect(withoutTime(viaIndex), `the index's verification (${pass}) differs from alog verify's`).toEqual(withoutTime(report));
      }
    }
    return report;
  }

  private caches = 0;
}

/** A report without its timing, which two runs never share. */
export function withoutTime(r: VerificationReport): unknown {
  return { ...r, summary: { ...r.summary, seconds: 0 } };
}

/** The uncompressed bytes of a day file. */
export async function readDay(dir: string, name: string): Promise<Buffer> {
  const raw = await readFile(path.join(dir, name));
  return name.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export async function writeDay(dir: string, name: string, bytes: Buffer | string): Promise<void> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  await writeFile(path.join(dir, name), name.endsWith('.gz') ? gzipSync(buf) : buf);
}

/** Lines of a day file without their "\n" (the last, empty element after the final newline dropped). */
export async function readLines(dir: string, name: string): Promise<string[]> {
  const lines = (await readDay(dir, name)).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export async function writeLines(dir: string, name: string, lines: string[]): Promise<void> {
  await writeDay(dir, name, lines.map((l) => l + '\n').join(''));
}

export async function editLines(dir: string, name: string, edit: (lines: string[]) => string[] | void): Promise<void> {
  const lines = await readLines(dir, name);
  await writeLines(dir, name, edit(lines) ?? lines);
}

/** The findings the report lists for `file`: a data file, a digest, or a file the completeness checks expected. */
export function findingsOf(report: VerificationReport, file: string): { kind: string; line?: number; seq?: number; date?: string; message: string }[] {
  const f = report.files.find((x) => x.file === file) ?? report.digests.find((d) => d.digest === file);
  const expected = report.completeness.findings.filter((x) => x.file === file);
  if (!f && expected.length === 0) throw new Error(`no report entry for ${file}`);
  return [...(f?.findings ?? []), ...expected];
}

/** Every finding of the report with the file it is listed under, for exact comparisons. */
export function allFindings(report: VerificationReport): { file: string; kind: string; line?: number; date?: string }[] {
  const brief = (file: string, f: { kind: string; line?: number; date?: string }) => ({
    file,
    kind: f.kind,
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.date !== undefined ? { date: f.date } : {}),
  });
  return [
    ...report.files.flatMap((x) => x.findings.map((f) => brief(x.file, f))),
    ...report.digests.flatMap((d) => d.findings.map((f) => brief(d.digest, f))),
    ...report.completeness.findings.map((f) => brief(f.file, f)),
  ];
}

export function kindsAt(report: VerificationReport, file: string): string[] {
  return findingsOf(report, file).map((f) => (f.line !== undefined ? `${f.kind}@${f.line}` : f.kind));
}

export function statusOf(report: VerificationReport, file: string): string {
  return report.files.find((x) => x.file === file)?.status ?? report.digests.find((d) => d.digest === file)!.status;
}

export function digestName(dayFile: string): string {
  return `digests/${dayFile.replace(/\.jsonl(\.gz)?$/, '.digest.json')}`;
}
