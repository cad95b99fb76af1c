import { setMaxListeners } from 'node:events';
import type { Finding, FindingKind, Notice } from '../../../shared/findings';
import { CHAIN_GENESIS } from '../../../shared/seal';
import type { DigestReport, FileReport, FileStatus, ReportFinding, VerificationReport } from '../../../shared/verification-report';
import { discoverArchive, type ArchiveLayout, type DayFile } from '../archive/layout';
import { loadPublicKeyFile, type PublicKeyEntry } from '../keys/keys';
import { inflateModeFor } from '../archive/line-scanner';
import { TaskCancelledError, type WorkerPool } from '../workers/worker-pool';
import { checkDigestChain, checkSignature, compareWithFile, loadDigest, type LoadedDigest } from './digests';
import { ActivationIdSet, unpackActivationId } from './activation-id-set';
import { checkLink, type ChainLink, type DayFileResult, type SchemaCheck } from './verify-file';

export interface VerifyProgress {
  doneBytes: number;
  totalBytes: number;
  filesDone: number;
  filesTotal: number;
}

export interface VerifyArchiveOptions {
  pool: WorkerPool;
  trustedKeys: readonly PublicKeyEntry[];
  lineCap?: number;
  /** Parse and schema-check every record, not only those off the fast path. */
  schema?: SchemaCheck;
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
}

export { TaskCancelledError as VerificationCancelledError };

const GENESIS_LINK: ChainLink = { line: 0, seq: -1, recordHash: '', chainHash: CHAIN_GENESIS };

/**
 * Verifies a whole archive: one worker task per day file (largest first, so the pool stays busy),
 * then the cross-file chain, archive-wide duplicate ids and the signed digests, on this thread.
 */
export async function verifyArchive(root: string, opts: VerifyArchiveOptions): Promise<VerificationReport> {
  const started = performance.now();
  const layout = await discoverArchive(root);
  const archiveSealed = layout.digests.length > 0;

  const shipped = new Map<string, PublicKeyEntry>();
  const notices: Notice[] = layout.notices.map((message) => ({ file: '', message }));
  for (const k of layout.keys) {
    try {
      const entry = await loadPublicKeyFile(k.path);
      shipped.set(entry.keyId, { ...entry, source: k.name });
    } catch (e) {
      notices.push({ file: k.name, message: (e as Error).message });
    }
  }
  const trusted = new Map(opts.trustedKeys.map((k) => [k.keyId, k]));

  const results = await runFiles(layout, archiveSealed, opts);
  const sealed = archiveSealed || [...results.values()].some((r) => 'sealedRecords' in r && r.sealedRecords > 0);

  const fileFindings = new Map<string, Finding[]>(layout.dayFiles.map((f) => [f.name, []]));
  const addFinding = (f: Finding) => fileFindings.get(f.file)?.push(f);

  // Per-file findings and notices from the workers.
  for (const f of layout.dayFiles) {
    const r = results.get(f.name)!;
    if ('error' in r) continue;
    r.findings.forEach(addFinding);
    notices.push(...r.notices);
    if (sealed) {
      for (const line of r.unsealedLines) addFinding({ kind: 'unsealed_record', file: f.name, line, message: 'record has no integrity member in a sealed archive: it was added outside the producer' });
    }
  }

  const chainHeads = stitchChain(layout.dayFiles, results, addFinding);
  findCrossFileDuplicates(layout.dayFiles, results, addFinding);

  // Digests: load, signature, link, and comparison with their data files.
  const loaded: LoadedDigest[] = await Promise.all(layout.digests.map(loadDigest));
  const chainFindings = checkDigestChain(loaded);
  const digestOf = new Map<string, LoadedDigest>();
  const digestReports: DigestReport[] = loaded.map((ld) => {
    const findings = [...ld.findings, ...checkSignature(ld, trusted, shipped), ...(chainFindings.get(ld) ?? [])];
    let file: string | null = ld.digest?.file ?? null;
    if (ld.digest) {
      const dayFile = layout.dayFiles.find((f) => f.name === ld.digest!.file) ?? layout.dayFiles.find((f) => f.date === ld.digest!.date);
      if (!dayFile) {
        findings.push({ kind: 'missing_file', file: ld.source.name, message: `the digest names ${ld.digest.file}, which is not in the archive` });
      } else {
        file = dayFile.name;
        digestOf.set(dayFile.name, ld);
        if (dayFile.name !== ld.digest.file) {
          notices.push({ file: dayFile.name, message: `the digest names ${ld.digest.file}; compared with ${dayFile.name}, the same day` });
        }
        const r = results.get(dayFile.name)!;
        if (!('error' in r)) compareWithFile(ld.digest, r, chainHeads.get(dayFile.name)).forEach(addFinding);
      }
    }
    ld.findings = findings;
    return { digest: ld.source.name, file, status: findings.length === 0 ? 'valid' : 'invalid', keyId: ld.digest?.key_id ?? null, findings: findings.map(toReportFinding) };
  });
  if (sealed) {
    for (const f of layout.dayFiles) {
      if (!digestOf.has(f.name)) addFinding({ kind: 'missing_digest', file: f.name, message: `no digest signs this file (expected digests/activations-${f.date}.digest.json)` });
    }
  }

  const fileReports: FileReport[] = layout.dayFiles.map((f) => {
    const r = results.get(f.name)!;
    const findings = sortFindings(fileFindings.get(f.name)!);
    let status: FileStatus;
    if ('error' in r) status = 'unreadable';
    else if (!sealed) status = findings.length > 0 ? 'invalid' : 'unsealed';
    else {
      const digestBad = (digestOf.get(f.name)?.findings.length ?? 0) > 0;
      status = findings.length === 0 && !digestBad && r.complete ? 'valid' : 'invalid';
    }
    if ('error' in r) findings.unshift({ kind: 'malformed_line', file: f.name, message: `cannot read the file: ${r.error}` });
    return {
      file: f.name,
      status,
      records: 'error' in r ? 0 : r.records,
      lines: 'error' in r ? 0 : r.lines,
      bytes: 'error' in r ? 0 : r.bytes,
      findings: findings.map(toReportFinding),
    };
  });

  const allFindings = [...fileReports.flatMap((f) => f.findings), ...digestReports.flatMap((d) => d.findings)];
  const findingsByKind: Partial<Record<FindingKind, number>> = {};
  for (const f of allFindings) findingsByKind[f.kind] = (findingsByKind[f.kind] ?? 0) + 1;
  const count = (s: FileStatus) => fileReports.filter((f) => f.status === s).length;

  return {
    archive: layout.root,
    summary: {
      sealed,
      dayFiles: fileReports.length,
      validFiles: count('valid'),
      invalidFiles: count('invalid'),
      unsealedFiles: count('unsealed'),
      unreadableFiles: count('unreadable'),
      digests: digestReports.length,
      validDigests: digestReports.filter((d) => d.status === 'valid').length,
      records: fileReports.reduce((n, f) => n + f.records, 0),
      findings: allFindings.length,
      findingsByKind,
      bytes: fileReports.reduce((n, f) => n + f.bytes, 0),
      seconds: (performance.now() - started) / 1000,
      schemaChecked: opts.schema ?? 'changed',
      ok: sealed && allFindings.length === 0 && fileReports.length > 0,
    },
    files: fileReports,
    digests: digestReports,
    notices,
  };
}

type FileOutcome = DayFileResult | { error: string };

async function runFiles(layout: ArchiveLayout, archiveSealed: boolean, opts: VerifyArchiveOptions): Promise<Map<string, FileOutcome>> {
  const totalBytes = layout.dayFiles.reduce((n, f) => n + f.size, 0);
  const done = new Map<string, number>();
  let filesDone = 0;
  const report = () => {
    let doneBytes = 0;
    for (const v of done.values()) doneBytes += v;
    opts.onProgress?.({ doneBytes, totalBytes, filesDone, filesTotal: layout.dayFiles.length });
  };
  const bySizeDesc = [...layout.dayFiles].sort((a, b) => b.size - a.size);
  const inflate = inflateModeFor(layout.dayFiles.length, opts.pool.size);
  const results = new Map<string, FileOutcome>();
  // Every queued task listens for the abort until the run ends: a month of day files is over Node's
  // default of 10 listeners per signal (MaxListenersExceededWarning on stderr). Tasks listen on a
  // signal of this run's own, sized for them and dropped afterwards.
  const run = new AbortController();
  setMaxListeners(layout.dayFiles.length + 10, run.signal);
  const forward = () => run.abort();
  if (opts.signal?.aborted) run.abort();
  else opts.signal?.addEventListener('abort', forward, { once: true });
  try {
    await Promise.all(
      bySizeDesc.map(async (f) => {
        if (f.unreadable) {
          results.set(f.name, { error: f.unreadable });
          filesDone++;
          return;
        }
        try {
          const r = await opts.pool.run(
            { kind: 'verifyFile', path: f.path, file: f.name, gzip: f.gzip, archiveSealed, lineCap: opts.lineCap, schema: opts.schema, inflate },
            {
              signal: run.signal,
              onProgress: (b) => {
                done.set(f.name, b);
                report();
              },
            },
          );
          results.set(f.name, r);
        } catch (e) {
          if (e instanceof TaskCancelledError) throw e;
          results.set(f.name, { error: (e as Error).message });
        }
        done.set(f.name, f.size);
        filesDone++;
        report();
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
  return results;
}

/**
 * The chain runs across day files in date order, from 32 zero bytes at seq 0. Returns each file's
 * chain head: its last record's chain_hash, or, for a day without sealed records, the head carried
 * over from the day before (what a producer signs for an empty day).
 */
function stitchChain(dayFiles: readonly DayFile[], results: Map<string, FileOutcome>, addFinding: (f: Finding) => void): Map<string, string> {
  const heads = new Map<string, string>();
  let prev = GENESIS_LINK;
  let prevFile = '(start of the archive)';
  for (const f of dayFiles) {
    const r = results.get(f.name)!;
    if (!('error' in r) && r.head && r.tail) {
      checkLink(prev, r.head, (x) => addFinding({ ...x, file: f.name }), prevFile);
      prev = r.tail;
      prevFile = f.name;
    }
    heads.set(f.name, prev.chainHash);
  }
  return heads;
}

function findCrossFileDuplicates(dayFiles: readonly DayFile[], results: Map<string, FileOutcome>, addFinding: (f: Finding) => void): void {
  // Each file's ids are first sightings within that file (in-file duplicates were reported by
  // its worker), so every hit here is a sighting in an earlier file.
  const seen = new ActivationIdSet();
  dayFiles.forEach((f, fileIndex) => {
    const r = results.get(f.name)!;
    if ('error' in r) return;
    const report = (id: string, line: number, earlier: number) =>
      addFinding({ kind: 'duplicate_activation_id', file: f.name, line, message: `activation_id ${id} already appears in ${dayFiles[earlier]!.name}` });
    const { bytes, lines, otherIds, otherLines } = r.ids;
    for (let i = 0; i < lines.length; i++) {
      const earlier = seen.addPacked(bytes, i * 16, fileIndex);
      if (earlier !== undefined && earlier !== fileIndex) report(unpackActivationId(bytes, i * 16), lines[i]!, earlier);
    }
    otherIds.forEach((id, i) => {
      const earlier = seen.addIfAbsent(id, fileIndex);
      if (earlier !== undefined && earlier !== fileIndex) report(id, otherLines[i]!, earlier);
    });
  });
}

/** Line findings in line order, then the file-level ones they explain (counts, roots, heads). */
function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

function toReportFinding(f: Finding): ReportFinding {
  const out: ReportFinding = { kind: f.kind, message: f.message };
  if (f.line !== undefined) out.line = f.line;
  if (f.seq !== undefined) out.seq = f.seq;
  if (f.offset !== undefined) out.offset = f.offset;
  return out;
}
