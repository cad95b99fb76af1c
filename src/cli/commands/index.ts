import { ArchiveNotFoundError } from '../../main/services/archive/layout';
import { CacheLocationError } from '../../main/services/index/cache';
import { IndexUnavailableError, NOT_INDEXED_YET, openArchiveIndex, type ArchiveIndex, type OpenIndexReport } from '../../main/services/index/archive-index';
import { verifyIndex } from '../../main/services/index/index-verification';
import { prepareGzipAccess } from '../../main/services/query/record-reader';
import { TaskCancelledError, type WorkerPool } from '../../main/services/workers/worker-pool';
import type { VerificationReport } from '../../shared/verification-report';
import { UsageError, abortOnInterrupt, createPool, loadTrustedKeys, parseCommandLine, progressLine } from '../cli-support';
import { formatBytes, safeForTerminal } from '../format';
import { verdictLines } from '../verdict';
import { COMPLETENESS_OPTIONS, completenessOptions } from '../completeness-options';
import type { CompletenessOptions } from '../../main/services/verify/completeness';

/** Exit code for an archive that cannot be opened or indexed, as `verify` uses. */
export const EXIT_UNREADABLE = 2;
export const EXIT_CANCELLED = 130;

export class CliExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'CliExit';
  }
}

/** `--trust-key` for the commands that open the index: the verdict they report is under these keys. */
export const TRUST_KEY_OPTION = { 'trust-key': { type: 'string', multiple: true } } as const;

/** The flags of the verification these commands report: the keys, and the completeness checks. */
export const VERIFICATION_OPTIONS = { ...TRUST_KEY_OPTION, ...COMPLETENESS_OPTIONS } as const;

/**
 * Opens (building or refreshing) an archive's index with a progress line on a terminal, and
 * verifies the archive with it: the pass that builds the index verifies every file it reads (the
 * others' results come from the cache), and the archive's report is assembled as `alog verify`
 * assembles it, under `trustKeyFiles`. Every record's integrity class follows that report.
 */
export async function openIndexForCli(
  archive: string,
  cacheDir: string | undefined,
  trustKeyFiles: readonly string[] | undefined,
  pool: WorkerPool,
  signal: AbortSignal,
  completeness?: CompletenessOptions,
): Promise<{ index: ArchiveIndex; report: OpenIndexReport; verification: VerificationReport }> {
  const trustedKeys = await loadTrustedKeys(trustKeyFiles);
  const started = performance.now();
  const bar = progressLine('indexing');
  try {
    const { index, report } = await openArchiveIndex(archive, { pool, cacheRoot: cacheDir, signal, onProgress: (p) => bar.update(p.doneBytes, p.totalBytes) });
    const { report: verification } = await verifyIndex(index, trustedKeys, started, completeness);
    // The time reported is the whole of it: the build and the archive's verification.
    return { index, report: { ...report, seconds: (performance.now() - started) / 1000 }, verification };
  } catch (e) {
    if (e instanceof ArchiveNotFoundError || e instanceof CacheLocationError || e instanceof IndexUnavailableError) {
      throw new CliExit(EXIT_UNREADABLE, e.message);
    }
    if (e instanceof TaskCancelledError) throw new CliExit(EXIT_CANCELLED, 'indexing cancelled');
    throw e;
  } finally {
    bar.clear();
  }
}

/** Runs a command body with a pool, Ctrl-C cancellation and the shared exit-code mapping. */
export async function withIndexPool(body: (pool: WorkerPool, signal: AbortSignal) => Promise<number>): Promise<number> {
  const pool = createPool();
  const cancel = abortOnInterrupt();
  try {
    return await body(pool, cancel.signal);
  } catch (e) {
    if (e instanceof CliExit) {
      process.stderr.write(`alog: ${e.message}\n`);
      return e.code;
    }
    throw e;
  } finally {
    await pool.close();
  }
}

/** The verification's figures for the JSON output of index, query and stats. */
export function verificationJson(r: VerificationReport) {
  return { ...r.summary, keys: r.keys, completeness: r.completeness };
}

/** Exit code of `alog index`, as `alog verify` would exit on the same archive and keys. */
export function verdictExitCode(r: VerificationReport): number {
  return r.summary.ok ? 0 : 1;
}

export async function runIndex(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'cache-dir': { type: 'string' },
    json: { type: 'boolean' },
    'gzip-access': { type: 'boolean' },
    ...VERIFICATION_OPTIONS,
  });
  const [archive, ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('index takes exactly one ARCHIVE folder');
  const completeness = await completenessOptions(parsed.values);
  return withIndexPool(async (pool, signal) => {
    const { index, report, verification } = await openIndexForCli(archive, parsed.values['cache-dir'], parsed.values['trust-key'], pool, signal, completeness);
    const code = verdictExitCode(verification);
    // Set before writing: a reader closing the pipe early ends the process with this code.
    process.exitCode = code;
    let access: { files: number; bytes: number; seconds: number } | undefined;
    if (parsed.values['gzip-access']) {
      const started = performance.now();
      const r = await prepareGzipAccess(index, pool, signal);
      access = { ...r, seconds: (performance.now() - started) / 1000 };
    }
    if (parsed.values.json) {
      process.stdout.write(JSON.stringify({ ...report, gzipAccess: access, verification: verificationJson(verification) }, null, 2) + '\n');
      return code;
    }
    process.stdout.write(renderIndexReport(report));
    if (access) {
      process.stdout.write(`gzip access points for ${access.files} file(s): ${formatBytes(access.bytes)} in ${access.seconds.toFixed(2)} s\n`);
    }
    process.stdout.write(verdictLines(verification, false));
    return code;
  });
}

export function renderIndexReport(r: OpenIndexReport): string {
  const indexed = r.files.filter((f) => f.action === 'indexed');
  const unreadable = r.files.filter((f) => f.action === 'unreadable');
  const reused = r.files.length - indexed.length - unreadable.length;
  const mbps = r.seconds > 0 ? r.indexedDiskBytes / (1024 * 1024) / r.seconds : 0;
  let out = `${r.files.length} day file(s): ${indexed.length} indexed, ${reused} reused from the cache${unreadable.length > 0 ? `, ${unreadable.length} unreadable` : ''}\n`;
  for (const f of unreadable) out += `  ${safeForTerminal(f.file)}: cannot be read (${safeForTerminal(f.reason ?? '')}); it has no records in the index\n`;
  out += `${r.records} record(s); index ${formatBytes(r.segmentBytes)} in ${safeForTerminal(r.cacheDir)}\n`;
  if (indexed.length > 0) {
    out += `indexed ${formatBytes(r.indexedDiskBytes)} on disk (${formatBytes(r.indexedBytes)} uncompressed) in ${r.seconds.toFixed(2)} s: ${mbps.toFixed(0)} MB/s, ${Math.round(indexed.reduce((n, f) => n + f.records, 0) / Math.max(r.seconds, 1e-9))} records/s\n`;
    // New files need no word each; a file indexed again says why (changed, damaged cache, ...).
    for (const f of indexed) if (f.reason && f.reason !== NOT_INDEXED_YET) out += `  ${safeForTerminal(f.file)}: indexed again, ${f.reason}\n`;
  } else out += `opened in ${r.seconds.toFixed(2)} s\n`;
  return out;
}
