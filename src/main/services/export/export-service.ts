// Exports a selection of an archive, redacted, into one file plus its manifest. The steps, which
// the export wizard can drive one by one (plan, preview, run with progress and cancel):
//
//   1. select   the query engine's selection; per involved day, the selected line numbers
//   2. collect  (when the profile has known_values) one pass over the selected lines gathering
//               author names and ids, so they are found in text wherever they recur
//   3. write    one pass over each involved day file: every line's seal becomes a Merkle leaf;
//               each selected record is parsed, checked against its record_hash, redacted and
//               written; at the end of the day its inclusion proofs go to the manifest
//   4. finish   the writer completes the file, its SHA-256 goes into the manifest, and both are
//               fsync'ed and renamed into place (temp files removed on any error or cancel)
import { createHash, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { canonicalize } from '../../../shared/jcs';
import {
  ExportRequest as ExportRequestSchema,
  MANIFEST_SUFFIX,
  signedManifestPart,
  type ExportFormat,
  type ExportManifest,
  type ExportProgress,
  type ExportRequest,
  type ManifestDay,
  type ManifestRecord,
} from '../../../shared/export-manifest';
import type { RedactionProfile } from '../../../shared/redaction-profile';
import type { Period } from '../../../shared/period';
import { dayFindings, dayLines, periodFindings, recordStanding, RECORD_STANDINGS, selectionIntegrity, type FileFinding, type RecordStanding, type SelectionIntegrity } from '../../../shared/selection-integrity';
import type { VerificationReport } from '../../../shared/verification-report';
import { verifyIndex } from '../index/index-verification';
import type { ArchiveIndex } from '../index/archive-index';
import type { PublicKeyEntry } from '../keys/keys';
import type { WorkerPool } from '../workers/worker-pool';
import { KnownValueCollector } from '../redaction/known-values';
import { Redactor, type RedactionRuleCount } from '../redaction/redactor';
import { loadProfile, profileFromJson } from '../redaction/profiles';
import { readDayLines, ExportCancelledError } from './day-lines';
import { DayMerkleTree } from './merkle-tree';
import { confirmedByBytes, lineSeal } from './line-seal';
import { InlineProcessor, WorkerProcessor, type ProcessedJob, type ProcessorSetup, type RecordProcessor } from './record-processor';
import { checkDestination, removeStaleTemps, SafeOutput } from './safe-output';
import { activationIdsQuery, digestFor, loadShippedKeys, selectForExport, type DayDigest, type ExportSelection, type SelectionRequest } from './selection';
import type { DayVerification, ExportReport } from './report';
import { FileSink } from './writers/file-sink';
import { CsvWriter } from './writers/csv';
import { JsonlWriter } from './writers/jsonl';
import { XlsxWriter } from './writers/xlsx';
import { ParquetWriter } from './writers/parquet';
import { PdfWriter } from './writers/pdf';
import type { RecordWriter, RowInfo, WriterOptions } from './writers/types';
import { keyIdOf, sha256OfFile, signEd25519 } from '../seal/crypto';

export { ExportCancelledError } from './day-lines';
export { ExportDestinationError } from './safe-output';

export const TOOL_NAME = 'ActivationLog Inspector';

const CONTENT_MISMATCH = 'the record content does not hash to its record_hash: it was altered in the archive';
/** A job for the processor: this many records or bytes, whichever comes first. */
const JOB_RECORDS = 256;
const JOB_BYTES = 2 * 1024 * 1024;
const MAX_JOBS_IN_FLIGHT = 3;

export interface ExportContext {
  index: ArchiveIndex;
  /** For the query engine's scans. */
  pool: WorkerPool;
  /** Keys the user trusts (by key_id); digests signed by others are reported untrusted. */
  trustedKeys: ReadonlyMap<string, PublicKeyEntry>;
  toolVersion: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Pseudonym secret (default: 32 random bytes, never stored). */
  secret?: Uint8Array;
  /**
   * The bundled redaction worker (out/cli/export-worker.cjs): redaction then runs on its own thread,
   * beside reading, hashing and writing. Without it, redaction runs on this thread; the output is
   * the same.
   */
  redactionWorker?: string;
  /**
   * The archive's verification report, which every integrity statement of the export reads: the
   * app passes its one verification state (waiting for it when a run is going), the CLI the report
   * it opened the index with. Without it, the index's own verification (indexVerification).
   */
  verification?: VerificationSource;
  /** The exporter's key and name: the manifest is then signed (`exported_by`, `signature`). */
  exporter?: { privateKey: KeyObject; operator: string };
}

/** Gives the archive's verification report, running the verification if need be. */
export type VerificationSource = (opts: {
  signal?: AbortSignal;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}) => Promise<{ report: VerificationReport; finishedAt: string | null }>;

/**
 * The archive's verification as its index holds it, under the context's trusted keys: the pass
 * that built (or refreshed) the index verified every day file it read, the others' results come
 * from its cache, so no day file is read again. The report is the one `alog verify` gives, and the
 * one `alog query` and `stats` answer under.
 */
export function indexVerification(ctx: Pick<ExportContext, 'index' | 'trustedKeys'>): VerificationSource {
  return async () => {
    const { report } = await verifyIndex(ctx.index, [...ctx.trustedKeys.values()]);
    return { report, finishedAt: new Date().toISOString() };
  };
}

export interface ExportResult {
  file: string;
  manifest: string;
  bytes: number;
  sha256: string;
  report: ExportReport;
  seconds: number;
  /** Things worth telling the user (records skipped, values dropped by type). */
  notices: string[];
  /** Who signed the manifest (null: it is unsigned). */
  exporter: { operator: string; keyId: string } | null;
}

type ParsedRequest = ReturnType<typeof ExportRequestSchema.parse>;

function makeWriter(format: ExportFormat, opts: WriterOptions): RecordWriter {
  switch (format) {
    case 'csv':
      return new CsvWriter(opts);
    case 'jsonl':
      return new JsonlWriter(opts);
    case 'xlsx':
      return new XlsxWriter(opts);
    case 'parquet':
      return new ParquetWriter(opts);
    case 'pdf':
      return new PdfWriter(opts);
  }
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ExportCancelledError();
}

/** Pass 2's per-record parsing: a selected line that is not a JSON object is reported, not exported. */
function parseRecord(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Collects the profile's known values over every selected line (pass 1). Day files are read two at
 * a time: their decompression runs on libuv's thread pool, beside this thread's scanning.
 */
export async function collectKnownValues(
  selection: ExportSelection,
  profile: RedactionProfile,
  ctx: Pick<ExportContext, 'signal' | 'onProgress'>,
  limit = Infinity,
): Promise<KnownValueCollector> {
  const collector = new KnownValueCollector(profile.known_values);
  if (!collector.active) return collector;
  let done = 0;
  const collectDay = async (day: ExportSelection['days'][number]): Promise<void> => {
    let k = 0;
    for await (const batch of readDayLines(day.file.path, day.file.gzip, { signal: ctx.signal })) {
      const last = batch.firstLine + batch.lines.length - 1;
      while (k < day.lines.length && day.lines[k]! <= last) {
        collector.fromLineBytes(batch.lines[day.lines[k]! - batch.firstLine]!);
        k++;
        done++;
        if (done >= limit) return;
      }
      ctx.onProgress?.({ phase: 'collecting', done, total: selection.total });
      if (k >= day.lines.length) return;
    }
  };
  const queue = [...selection.days];
  const runner = async (): Promise<void> => {
    for (let day = queue.shift(); day && done < limit; day = queue.shift()) await collectDay(day);
  };
  await Promise.all([runner(), runner()]);
  return collector;
}


interface PendingRecord {
  row: number;
  /** What the writer was told about the row (updated if the day's own check fails at its end). */
  info?: RowInfo;
  /** Redaction changed a value of the record. */
  redacted?: boolean;
  seq: number | null;
  recordHash: string | null;
  line: number;
  leafIndex: number | null;
  problem?: string;
}

/** The period a selection covers, for its completeness (null for given rows, which claim no period). */
export function selectionPeriod(req: Partial<SelectionRequest>): Period | null {
  return req.activationIds ? null : { from: req.from ?? null, to: req.to ?? null };
}

/** The selection as the manifest states it: a selection by id as the query that selects those records. */
export function describeSelection(req: SelectionRequest): { query: string; from: string | null; to: string | null; through: string | null } {
  if (req.activationIds) return { query: activationIdsQuery(req.activationIds), from: null, to: null, through: null };
  return { query: req.query, from: req.from ?? null, to: req.to ?? null, through: req.to !== undefined ? (req.through ?? null) : null };
}

/** The request's profile: a built-in's name, a profile file's path, or (from the wizard) the profile itself. */
export async function profileOf(req: Pick<ParsedRequest, 'profile'>): Promise<RedactionProfile> {
  return typeof req.profile === 'string' ? loadProfile(req.profile) : profileFromJson(req.profile, 'the export request\'s profile');
}

/**
 * Runs an export. `profile` overrides the request's (already loaded, e.g. by the CLI). Throws
 * ExportCancelledError on cancel, ExportDestinationError for destination problems, ProfileError
 * for a bad profile.
 */
export async function runExport(ctx: ExportContext, request: ExportRequest, profileOverride?: RedactionProfile): Promise<ExportResult> {
  const started = performance.now();
  const req: ParsedRequest = ExportRequestSchema.parse(request);
  const profile = profileOverride ?? (await profileOf(req));
  const { index, signal } = ctx;
  const archiveRoot = index.layout.root;
  const file = await checkDestination(req.out, { archiveRoot, overwrite: req.overwrite });
  const manifestPath = await checkDestination(file + MANIFEST_SUFFIX, { archiveRoot, overwrite: req.overwrite });
  await removeStaleTemps(file);
  await removeStaleTemps(manifestPath);

  ctx.onProgress?.({ phase: 'selecting', done: 0, total: 0 });
  const selection = await selectForExport(index, ctx.pool, req, signal);
  const described = describeSelection(req);
  throwIfCancelled(signal);
  const shipped = await loadShippedKeys(index);
  const digests = new Map<string, DayDigest>();
  for (const d of selection.days) digests.set(d.file.name, await digestFor(index, d.file, ctx.trustedKeys, shipped));

  const verification = await (ctx.verification ?? indexVerification(ctx))({
    signal,
    onProgress: (done, total) => ctx.onProgress?.({ phase: 'verifying', done, total }),
  });
  throwIfCancelled(signal);
  const selectedLines = selection.days.map((d) => ({ date: d.file.date, file: d.file.name, lines: d.lines }));
  const integrity = selectionIntegrity(verification.report, selectedLines, verification.finishedAt, selectionPeriod(req));
  const integrityFindings: FileFinding[] = [
    ...selection.days.flatMap((d) => dayFindings(verification.report, d.file.name)),
    ...periodFindings(verification.report, selectionPeriod(req)),
  ];
  /** Records by standing as written: the report's word, made worse by what the export itself found. */
  const marks = Object.fromEntries(RECORD_STANDINGS.map((k) => [k, 0])) as Record<RecordStanding, number>;

  const collector = await collectKnownValues(selection, profile, ctx);
  throwIfCancelled(signal);

  const out = await SafeOutput.create(file, req.overwrite);
  let manifestOut: SafeOutput | undefined;
  let recordsPart: SafeOutput | undefined;
  let writer: RecordWriter | undefined;
  let partSink: FileSink | undefined;
  let processor: RecordProcessor | undefined;
  const notices: string[] = [];
  try {
    manifestOut = await SafeOutput.create(manifestPath, req.overwrite);
    // Proof entries stream to a scratch file beside the manifest, never all held in memory.
    recordsPart = await SafeOutput.create(`${manifestPath}.records`, true);
    partSink = new FileSink(recordsPart.tempPath, manifestPath);
    writer = makeWriter(req.format, { tempPath: out.tempPath, displayPath: file, fields: req.fields, bom: req.bom, pdfMaxRows: req.pdfMaxRows });
    const setup: ProcessorSetup = {
      profile,
      secret: ctx.secret ?? randomBytes(32),
      names: collector.names.entries(),
      identifiers: collector.identifiers.entries(),
      output: writer.output,
    };
    processor = ctx.redactionWorker ? new WorkerProcessor(ctx.redactionWorker, setup) : new InlineProcessor(setup);
    const w = writer;
    const proc = processor;

    const days: DayVerification[] = [];
    const manifestDays: ManifestDay[] = [];
    let row = 0;
    let proven = 0;
    let contentMismatch = 0;
    let unprovable = 0;
    let firstEntry = true;
    const sealed = index.layout.digests.length > 0;
    /** What an exporter signature covers of the records: JCS(record) + LF each, in order. */
    const recordsHash = createHash('sha256');

    for (const day of selection.days) {
      const dd = digests.get(day.file.name)!;
      const standings = dayLines(verification.report, day.file.name);
      const leaves: Buffer[] = [];
      const pending: PendingRecord[] = [];
      // Selected lines go to the processor in jobs; up to MAX_JOBS_IN_FLIGHT are being redacted
      // (in the worker) while this thread reads, hashes and writes. Results come back in order.
      type Meta = Omit<PendingRecord, 'row'> & { lineNo: number };
      const inFlight: { result: Promise<ProcessedJob>; metas: Meta[] }[] = [];
      let job: { lines: Buffer[]; check: (string | null)[]; metas: Meta[]; bytes: number } = { lines: [], check: [], metas: [], bytes: 0 };
      const consume = async (): Promise<void> => {
        const next = inFlight.shift()!;
        const { rows, mismatch, changed } = await next.result;
        for (let i = 0; i < rows.length; i++) {
          const meta = next.metas[i]!;
          const r = rows[i];
          if (r === null || r === undefined) {
            notices.push(`${day.file.name} line ${meta.lineNo}: not a JSON object any more (the file changed since it was indexed); skipped`);
            continue;
          }
          const entry: PendingRecord = { row, seq: meta.seq, recordHash: meta.recordHash, line: meta.line, leafIndex: meta.leafIndex, problem: meta.problem, redacted: (changed[i] ?? 0) > 0 };
          let trust = recordStanding(standings, meta.line);
          if (mismatch[i] || meta.problem === CONTENT_MISMATCH) {
            entry.problem = CONTENT_MISMATCH;
            contentMismatch++;
            trust = 'altered';
          } else if (meta.problem !== undefined && trust === 'verified') trust = 'file_findings';
          marks[trust]++;
          entry.info = { trust, seq: meta.seq, file: day.file.name, line: meta.line };
          await w.writeRow(r, entry.info);
          pending.push(entry);
          row++;
        }
        ctx.onProgress?.({ phase: 'writing', done: row, total: selection.total });
      };
      const submit = async (): Promise<void> => {
        if (job.lines.length === 0) return;
        inFlight.push({ result: proc.process({ lines: job.lines, check: job.check }), metas: job.metas });
        job = { lines: [], check: [], metas: [], bytes: 0 };
        while (inFlight.length >= MAX_JOBS_IN_FLIGHT) await consume();
      };
      let k = 0;
      for await (const batch of readDayLines(day.file.path, day.file.gzip, { signal })) {
        for (let j = 0; j < batch.lines.length; j++) {
          const lineNo = batch.firstLine + j;
          const line = batch.lines[j]!;
          const seal = batch.oversize?.has(lineNo) ? null : lineSeal(line, sealed);
          const leafIndex = seal ? leaves.length : null;
          if (seal) leaves.push(Buffer.from(seal.recordHash, 'hex'));
          if (k >= day.lines.length || day.lines[k] !== lineNo) continue;
          k++;
          const meta: Meta = { seq: seal?.seq ?? null, recordHash: seal?.recordHash ?? null, line: lineNo, lineNo, leafIndex };
          let check: string | null = null;
          if (!seal) meta.problem = sealed ? 'the record carries no valid seal' : 'the archive is unsealed';
          else if (!seal.sealed) meta.problem = 'the record is not sealed (no integrity member)';
          // Confirmed from the canonical bytes here; otherwise the processor checks the parsed record.
          else if (!confirmedByBytes(line, seal)) check = seal.recordHash;
          job.lines.push(line);
          job.check.push(check);
          job.metas.push(meta);
          job.bytes += line.length;
          if (job.lines.length >= JOB_RECORDS || job.bytes >= JOB_BYTES) await submit();
        }
      }
      await submit();
      while (inFlight.length > 0) await consume();
      throwIfCancelled(signal);

      const tree = new DayMerkleTree(leaves);
      const root = tree.rootHex();
      const digest = dd.digest;
      const rootMatches = digest !== null && digest.merkle_root === root && digest.record_count === tree.size;
      let dayProblem: string | undefined;
      if (!sealed) dayProblem = 'the archive is unsealed';
      else if (!digest) dayProblem = dd.problem ?? `no usable digest for ${day.file.date}`;
      else if (!rootMatches) dayProblem = `the day file's records give Merkle root ${root.slice(0, 16)}… over ${tree.size} leaves, the digest says ${digest.merkle_root.slice(0, 16)}… over ${digest.record_count}: the day file was altered`;
      const lines: string[] = [];
      for (const p of pending) {
        const problem = p.problem ?? dayProblem;
        // The day file no longer gives its signed root (it changed since it was verified): nothing of it is verified.
        if (problem !== undefined && p.info?.trust === 'verified') {
          marks.verified--;
          marks.file_findings++;
          p.info.trust = 'file_findings';
        }
        const entry: ManifestRecord = {
          row: p.row,
          seq: p.seq,
          record_hash: p.recordHash,
          date: day.file.date,
          line: p.line,
          leaf_index: p.leafIndex,
          proof: problem === undefined && p.leafIndex !== null ? tree.proof(p.leafIndex) : [],
          ...(problem !== undefined ? { problem } : {}),
          redacted: p.redacted ?? false,
        };
        if (problem === undefined) proven++;
        else if (p.problem !== CONTENT_MISMATCH) unprovable++;
        recordsHash.update(canonicalize(entry)).update('\n');
        lines.push(`${firstEntry ? '' : ',\n'}    ${JSON.stringify(entry)}`);
        firstEntry = false;
      }
      if (lines.length > 0) await partSink.write(lines.join(''));
      days.push({ date: day.file.date, file: day.file.name, digest, trust: dd.trust, leaves: tree.size, rootMatches, exported: pending.length });
      manifestDays.push({ date: day.file.date, file: day.file.name, digest, leaves: tree.size, root_matches_digest: rootMatches, exported: pending.length });
    }
    await partSink.close();

    ctx.onProgress?.({ phase: 'finishing', done: row, total: selection.total });
    const createdAt = new Date().toISOString();
    const totals = await processor.totals();
    const rules: RedactionRuleCount[] = totals.rules;
    const report: ExportReport = {
      tool: { name: TOOL_NAME, version: ctx.toolVersion },
      createdAt,
      integrity: { ...integrity, records: row, counts: marks },
      integrityFindings,
      trustedKeyIds: [...ctx.trustedKeys.keys()].sort(),
      format: req.format,
      file,
      archive: { path: archiveRoot, sealed, days },
      selection: { ...described, total: selection.total },
      profile,
      rules,
      valuesChanged: totals.changed,
      pseudonyms: totals.pseudonyms,
      stats: selection.stats,
      records: { exported: row, proven, contentMismatch, unprovable },
    };
    await writer.finish(report);
    throwIfCancelled(signal);
    if (writer instanceof ParquetWriter && writer.typeMismatches > 0) {
      notices.push(`${writer.typeMismatches} value(s) did not fit their Parquet column's type and were written as null`);
    }
    const { sha256, bytes } = await sha256OfFile(out.tempPath);

    const header: Omit<ExportManifest, 'records'> = {
      manifest: 'activationlog-export',
      version: 1,
      tool: report.tool,
      created_at: createdAt,
      export: {
        file: file.split(/[\\/]/).pop()!,
        format: req.format,
        bytes,
        sha256,
        records: row,
        columns: writer.columns ? writer.columns.map((c) => c.path) : null,
        rows_shown: writer.rowsShown,
        bom: req.format === 'csv' && req.bom,
        whole_records: req.format === 'jsonl' && !(req.fields && req.fields.length > 0),
      },
      selection: { query: described.query, from: described.from, to: described.to, ...(described.through !== null ? { through: described.through } : {}), order: 'archive' },
      profile: { name: profile.name, sha256: createHash('sha256').update(canonicalize(profile)).digest('hex'), definition: profile as unknown as Record<string, unknown> },
      redaction: {
        rules: rules.map((r) => ({ id: r.id, kind: r.kind, action: r.action, label: r.label, description: r.description, count: r.count })),
        values_changed: totals.changed,
        pseudonyms: totals.pseudonyms,
      },
      archive: { path: archiveRoot, sealed, days: manifestDays },
    };
    let exporter: ExportResult['exporter'] = null;
    if (ctx.exporter) {
      const publicKey = createPublicKey(ctx.exporter.privateKey);
      const keyId = keyIdOf(publicKey);
      header.exported_by = { operator: ctx.exporter.operator, key_id: keyId, public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
      header.records_sha256 = recordsHash.digest('hex');
      header.signature = signEd25519(ctx.exporter.privateKey, canonicalize(signedManifestPart(header)));
      exporter = { operator: ctx.exporter.operator, keyId };
    }
    const manifestSink = new FileSink(manifestOut.tempPath, manifestPath);
    const head = JSON.stringify(header, null, 2);
    await manifestSink.write(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "records": [\n`);
    for await (const chunk of createReadStream(recordsPart.tempPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      await manifestSink.write(chunk);
    }
    await manifestSink.write(`${firstEntry ? '' : '\n'}  ]\n}\n`);
    await manifestSink.close();
    throwIfCancelled(signal);

    await out.commit();
    try {
      await manifestOut.commit();
    } catch (e) {
      // An export without its manifest cannot be checked: do not leave one behind.
      await unlink(file).catch(() => undefined);
      throw e;
    }
    return { file, manifest: manifestPath, bytes, sha256, report, seconds: (performance.now() - started) / 1000, notices, exporter };
  } catch (e) {
    await writer?.abort().catch(() => undefined);
    await partSink?.destroy().catch(() => undefined);
    throw e;
  } finally {
    await processor?.close().catch(() => undefined);
    await out.discard();
    await manifestOut?.discard();
    await recordsPart?.discard();
  }
}

export interface ExportPlan {
  total: number;
  days: { date: string; file: string; records: number }[];
  sealed: boolean;
  /** What the verification report says of the selection (nothing known without a report). */
  integrity: SelectionIntegrity;
}

/**
 * What an export of this selection would cover (the wizard's first step), with the verification
 * report's word on its records; `verification` is null when the archive has not been verified.
 */
export async function planExport(
  ctx: Pick<ExportContext, 'index' | 'pool' | 'signal'>,
  req: Partial<SelectionRequest>,
  verification: { report: VerificationReport; finishedAt: string | null } | null = null,
): Promise<ExportPlan> {
  const selection = await selectForExport(ctx.index, ctx.pool, { ...req, query: req.query ?? '' }, ctx.signal);
  const days = selection.days.map((d) => ({ date: d.file.date, file: d.file.name, records: d.lines.length }));
  const integrity = selectionIntegrity(
    verification?.report ?? null,
    selection.days.map((d) => ({ date: d.file.date, file: d.file.name, lines: d.lines })),
    verification?.finishedAt ?? null,
    selectionPeriod(req),
  );
  return { total: selection.total, days, sealed: ctx.index.layout.digests.length > 0, integrity };
}

export interface ExportPreview {
  total: number;
  /** The first `limit` selected records, redacted exactly as the export would. */
  records: unknown[];
  /** The same records as they are in the archive. */
  originals: unknown[];
  /** What each rule changed in those records. */
  rules: RedactionRuleCount[];
}

/**
 * The first records of a selection, redacted (the wizard's preview). Known values are collected
 * over the whole selection first, as the export does, so the preview shows what will be written.
 */
export async function previewExport(
  ctx: Pick<ExportContext, 'index' | 'pool' | 'signal' | 'onProgress' | 'secret'>,
  req: Partial<SelectionRequest>,
  profile: RedactionProfile,
  limit = 20,
): Promise<ExportPreview> {
  const selection = await selectForExport(ctx.index, ctx.pool, { ...req, query: req.query ?? '' }, ctx.signal);
  const collector = await collectKnownValues(selection, profile, ctx);
  const redactor = new Redactor(profile, { secret: ctx.secret, names: collector.names, identifiers: collector.identifiers });
  const records: unknown[] = [];
  const originals: unknown[] = [];
  outer: for (const day of selection.days) {
    let k = 0;
    for await (const batch of readDayLines(day.file.path, day.file.gzip, { signal: ctx.signal })) {
      const last = batch.firstLine + batch.lines.length - 1;
      while (k < day.lines.length && day.lines[k]! <= last) {
        const rec = parseRecord(batch.lines[day.lines[k]! - batch.firstLine]!.toString('utf8'));
        k++;
        if (rec !== undefined) {
          originals.push(rec);
          records.push(redactor.redactRecord(rec));
        }
        if (records.length >= limit) break outer;
      }
      if (k >= day.lines.length) break;
    }
  }
  return { total: selection.total, records, originals, rules: redactor.ruleCounts() };
}

