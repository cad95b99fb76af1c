import path from 'node:path';
import type { ArchiveOverview, ShippedKey } from '../../../shared/archive-overview';
import type { AppEvent, ArchiveInfo, EventListener, Unsubscribe } from '../../../shared/ipc-contract';
import type { ReportFinding } from '../../../shared/verification-report';
import type { RecordDetail, RecordRef } from '../../../shared/record-detail';
import type { FieldInfo, IndexState, QueryRecordsOutput } from '../../../shared/record-search';
import type { RecordAtLine } from '../../../shared/record-view';
import type { TrustedKey } from '../../../shared/trusted-key';
import type { VerificationState } from '../../../shared/verification-run';
import { intactRecordClass, type IntegrityClass } from '../../../shared/integrity-class';
import { discoverArchive, type ArchiveLayout, type DayFile } from '../archive/layout';
import { findRowById, readRecordAt } from '../query/record-reader';
import { loadPublicKeyFile, type PublicKeyEntry } from '../keys/keys';
import type { WorkerPool } from '../workers/worker-pool';
import { ExportRunner, type ExportHost } from './export-runner';
import { IndexRunner } from './index-runner';
import { LineNotFoundError, readLine } from './line-reader';
import { fieldList, previousAttempt } from './record-lookup';
import { locateRow, RecordQueries, rowIntegrity, type RecordsRequest } from './record-queries';
import { describeLine, PARSE_LIMIT_BYTES } from './record-view';
import { SealExplainer } from './seal-explainer';
import { TrustedKeyStore, type ImportResult } from './trusted-key-store';
import { VerificationRunner, VerificationUnavailableError, type CurrentReport } from './verification-runner';
import { writeIntegrityReport } from '../reports/integrity-report';
import { ExportDestinationError } from '../export/safe-output';
import { TOOL_NAME } from '../export/export-service';
import { ArchiveSettingsStore, type ArchiveSettings } from './archive-settings';
import type { Checkpoint } from '../../../shared/checkpoint';
import type { CompletenessSettings, ExpectedPeriod } from '../../../shared/completeness-settings';
import type { VerificationReport } from '../../../shared/verification-report';
import { checkpointOf } from '../verify/checkpoint-file';
import type { CompletenessOptions } from '../verify/completeness';

export interface ArchiveStoreOptions {
  /** The archive folder. */
  root: string;
  /** Where the user's settings live (trusted keys); must not be inside the archive. */
  userDataDir: string;
  pool: WorkerPool;
  /** Keys trusted for this run only (`--trust-key`). */
  sessionKeys?: readonly PublicKeyEntry[];
  /** Root of the index cache; by default `index-cache` in the user-data folder. */
  indexCacheRoot?: string;
  /** The redaction worker, the tool version and what the host offers exports (dialogs). */
  exportHost?: ExportHost;
}

/** A record by its activation_id or by its place. */
export type RecordLocator = { activationId: string } | { file: string; line: number };

export class ArchiveStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveStoreError';
  }
}

/**
 * Everything the UI needs of one open archive, in plain Node: its layout, verification (one run at
 * a time, with progress events), the trusted keys, and single records for following a finding.
 * The Electron main process and the browser host both serve it through the same contract.
 */
export class ArchiveStore {
  readonly root: string;
  readonly keys: TrustedKeyStore;
  /** The export wizard's operations. */
  readonly exports: ExportRunner;
  readonly #listeners = new Set<EventListener>();
  readonly #runner: VerificationRunner;
  readonly #index: IndexRunner;
  readonly #queries: RecordQueries;
  readonly #seals: SealExplainer;
  readonly #pool: WorkerPool;
  #keysVersion = 0;
  readonly #toolVersion: string;
  readonly #settings: ArchiveSettingsStore;
  /** The archive's remembered settings, as loaded when it was opened and changed since. */
  readonly #loaded: Promise<ArchiveSettings>;
  /**
   * The checkpoint this session checks the archive against: the one stored when it was opened.
   * Verifications here record newer ones for the next open; this one stays until it is forgotten.
   */
  #checkedAgainst: Checkpoint | null = null;
  /** Checkpoints being recorded: closing waits for them, so the next open finds them. */
  #writes: Promise<void> = Promise.resolve();

  constructor(opts: ArchiveStoreOptions) {
    this.root = path.resolve(opts.root);
    const userData = path.resolve(opts.userDataDir);
    const relative = path.relative(this.root, userData);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      throw new ArchiveStoreError(`the user-data folder ${userData} is inside the archive: trust settings must live outside it`);
    }
    this.keys = new TrustedKeyStore(userData, opts.sessionKeys);
    this.#toolVersion = opts.exportHost?.toolVersion ?? '0.0.0-dev';
    this.#pool = opts.pool;
    this.#settings = new ArchiveSettingsStore(userData);
    this.#loaded = this.#settings.load(this.root).then((s) => {
      this.#checkedAgainst = s.checkpoint;
      return s;
    });
    // Every build of the index is the archive's verification of the files it reads: the runner
    // follows it and assembles the archive's report from the segments.
    this.#index = new IndexRunner({
      root: this.root,
      cacheRoot: opts.indexCacheRoot ?? path.join(userData, 'index-cache'),
      pool: opts.pool,
      emit: (event) => this.#emit(event),
      onBuild: (build) => this.#runner.indexBuildStarted(build),
      onProgress: (progress) => this.#runner.indexBuildProgress(progress),
    });
    this.#runner = new VerificationRunner({
      root: this.root,
      pool: opts.pool,
      index: this.#index,
      trustedKeys: () => this.keys.entries(),
      keysVersion: () => this.#keysVersion,
      emit: (event) => this.#emit(event),
      // Pages of rows answered under the old report carry the old integrity classes.
      onReport: (report) => {
        this.#queries.invalidate();
        this.#recordCheckpoint(report);
      },
      completeness: () => this.#completenessOptions(),
    });
    this.#queries = new RecordQueries(() => this.#index.ready());
    this.#seals = new SealExplainer(opts.pool);
    this.exports = new ExportRunner({
      root: this.root,
      verification: this.#runner,
      pool: opts.pool,
      userDataDir: userData,
      index: async () => (await this.#index.ready()).index,
      trustedKeys: () => this.keys.entries(),
      emit: (event) => this.#emit(event),
      host: opts.exportHost,
    });
  }

  info(): ArchiveInfo {
    return { path: this.root, name: path.basename(this.root) };
  }

  onEvent(listener: EventListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async overview(): Promise<ArchiveOverview> {
    const layout = await discoverArchive(this.root);
    const report = this.#runner.lastReport;
    const fileReports = new Map(report?.files.map((f) => [f.file, f]));
    const digestByDate = new Map(layout.digests.map((d) => [d.date, d.name]));
    const trustedIds = new Set((await this.keys.list()).map((k) => k.keyId));

    const shippedKeys: ShippedKey[] = await Promise.all(
      layout.keys.map(async (k): Promise<ShippedKey> => {
        try {
          const entry = await loadPublicKeyFile(k.path);
          return { file: k.name, keyId: entry.keyId, trusted: trustedIds.has(entry.keyId), error: null };
        } catch (e) {
          return { file: k.name, keyId: null, trusted: false, error: (e as Error).message };
        }
      }),
    );

    return {
      root: layout.root,
      name: path.basename(layout.root),
      hasDigests: layout.digests.length > 0,
      bytes: layout.dayFiles.reduce((n, f) => n + f.size, 0),
      files: layout.dayFiles.map((f) => {
        const r = fileReports.get(f.name);
        return {
          file: f.name,
          date: f.date,
          compressed: f.gzip,
          bytes: f.size,
          digest: digestByDate.get(f.date) ?? null,
          integrity: r
            ? { status: r.status, verdict: r.verdict, records: r.records, lines: r.lines, uncompressedBytes: r.bytes, findings: r.findings.length }
            : null,
        };
      }),
      shippedKeys,
      notices: layout.notices,
      verifiedAt: report ? this.#runner.lastReportFinishedAt : null,
    };
  }

  /**
   * Verifies the archive: the index pass when the index is not open (it verifies the files it
   * reads; unchanged files' results come from the cache), else every day file read again.
   */
  startVerification(): { runId: string } {
    return this.#runner.start();
  }

  cancelVerification(runId?: string): boolean {
    return this.#runner.cancel(runId);
  }

  /**
   * The archive's one verification state: the run going, the last report and its verdict. Every
   * view, report and command reads this (or the classes it puts on the index's records).
   */
  verificationState(): VerificationState {
    return this.#runner.state();
  }

  /** Writes the integrity report (PDF) of the report in force, waiting for (or starting) the verification that makes it. */
  async saveIntegrityReport(out: string, overwrite: boolean): Promise<{ file: string; bytes: number; pages: number }> {
    if (!path.isAbsolute(out)) throw new ArchiveStoreError('give the full path of the report to write');
    const { report, finishedAt } = await this.currentReport();
    const keys = await this.keys.list();
    try {
      return await writeIntegrityReport(
        {
          report,
          verifiedAt: finishedAt,
          tool: { name: TOOL_NAME, version: this.#toolVersion },
          trustedKeys: keys.map((k) => ({ keyId: k.keyId, source: k.source })),
        },
        out,
        { overwrite },
      );
    } catch (e) {
      if (e instanceof ExportDestinationError) throw new ArchiveStoreError(e.message.replace('(pass --overwrite to replace it)', '(tick "Replace an existing file" to replace it)'));
      throw e;
    }
  }

  /**
   * The report in force, for what states the archive's integrity (the integrity report; exports
   * read the runner the same way): waits for the run going, or starts the one that makes it.
   */
  async currentReport(opts: { signal?: AbortSignal; onProgress?: (doneBytes: number, totalBytes: number) => void } = {}): Promise<CurrentReport> {
    try {
      return await this.#runner.currentReport(opts);
    } catch (e) {
      if (e instanceof VerificationUnavailableError) throw new ArchiveStoreError(e.message);
      throw e;
    }
  }

  /** A record's integrity class under the current verification state (`unknown` when not indexed yet). */
  recordIntegrity(file: string, line: number): IntegrityClass {
    const index = this.#index.opened?.index;
    return (index && rowIntegrity(index, file, line)) ?? (index ? intactRecordClass(this.#runner.lastReport, file) : 'unknown');
  }

  /** Resolves once the current verification run, if any, has ended. */
  verificationSettled(): Promise<void> {
    return this.#runner.settled();
  }

  listTrustedKeys(): Promise<TrustedKey[]> {
    return this.keys.list();
  }

  async importTrustedKey(pem: string, source = 'pasted'): Promise<ImportResult> {
    const result = await this.keys.import(pem, source);
    if (!result.alreadyTrusted) this.#keysChanged();
    return result;
  }

  /**
   * Trusts the key the archive ships (`keys/`) under this key id: the one action that turns an
   * "untrusted key" verdict into a verified one, once the user has checked the id with the publisher.
   */
  async trustShippedKey(keyId: string): Promise<ImportResult> {
    const layout = await discoverArchive(this.root);
    for (const k of layout.keys) {
      const entry = await loadPublicKeyFile(k.path).catch(() => undefined);
      if (entry?.keyId !== keyId) continue;
      // The key as parsed, re-exported: never the file's text, which may hold more.
      const pem = entry.key.export({ type: 'spki', format: 'pem' }).toString();
      return this.importTrustedKey(pem, `${k.name} of ${path.basename(this.root)}`);
    }
    throw new ArchiveStoreError(`the archive ships no key with the id ${keyId} (in keys/)`);
  }

  async removeTrustedKey(keyId: string): Promise<boolean> {
    const removed = await this.keys.remove(keyId);
    if (removed) this.#keysChanged();
    return removed;
  }

  /** One physical line (1-based) of a day file of this archive, with its parsed form. */
  async recordAt(file: string, line: number): Promise<RecordAtLine> {
    // Only names the layout lists are read: a request can never reach outside the archive.
    const layout = await discoverArchive(this.root);
    const dayFile = layout.dayFiles.find((f) => f.name === file);
    if (!dayFile) throw new ArchiveStoreError(`${file} is not a day file of this archive`);
    const offsetHint = this.#runner.lastReport?.files
      .find((f) => f.file === file)
      ?.findings.find((f) => f.line === line && f.offset !== undefined)?.offset;
    try {
      const read = await readLine(dayFile.path, { gzip: dayFile.gzip, line, offsetHint, keep: PARSE_LIMIT_BYTES });
      return describeLine(file, read);
    } catch (e) {
      if (e instanceof LineNotFoundError) throw new ArchiveStoreError(`${file}: ${e.message}`);
      throw e;
    }
  }

  /** Starts opening the archive's index unless it is open or opening. */
  openIndex(): IndexState {
    return this.#index.open();
  }

  indexState(): IndexState {
    return this.#index.state();
  }

  cancelIndexing(): boolean {
    return this.#index.cancel();
  }

  /** Resolves once the index is open; rejects when opening it fails or is cancelled. */
  async indexReady(): Promise<void> {
    await this.#index.ready();
  }

  queryRecords(req: RecordsRequest): Promise<QueryRecordsOutput> {
    return this.#queries.run(req);
  }

  fields(): FieldInfo[] {
    return fieldList(this.#index.opened?.index);
  }

  async previousAttempt(activationId: string): Promise<{ contentId: string | null; previous: RecordRef | null }> {
    const { index } = await this.#index.ready();
    const row = findRowById(index, activationId);
    if (row === undefined) throw new ArchiveStoreError(`no record has the activation_id ${JSON.stringify(activationId)}`);
    return previousAttempt(index, row);
  }

  /** One record with its state, the findings on its line and (unless `seal` is false) its seal explained. */
  async record(locator: RecordLocator, opts: { seal?: boolean } = {}): Promise<RecordDetail> {
    const layout = await discoverArchive(this.root);
    const { file, line } = await this.#place(locator);
    const dayFile = layout.dayFiles.find((f) => f.name === file);
    if (!dayFile) throw new ArchiveStoreError(`${file} is not a day file of this archive`);
    const view = await this.#readRecordLine(dayFile, line);
    const index = this.#index.opened?.index;
    const integrity = index ? (rowIntegrity(index, file, line) ?? null) : null;
    const value = view.parsed.ok ? view.parsed.value : undefined;
    const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

    let seal: RecordDetail['seal'] = null;
    let lineFindings: ReportFinding[];
    if (opts.seal !== false) {
      const [trusted, shipped] = await Promise.all([this.keys.entries(), shippedKeys(layout)]);
      const explained = await this.#seals.explain({
        layout,
        dayFile,
        line,
        record,
        trusted: new Map(trusted.map((k) => [k.keyId, k])),
        shipped,
        index,
      });
      seal = explained.seal;
      lineFindings = explained.findings;
    } else {
      lineFindings = index ? (locateRow(index, file, line)?.segment.segment.header.verify.findings.filter((f) => f.line === line) ?? []) : [];
    }
    return { ...view, integrity, findings: mergeFindings(lineFindings, this.#reportFindings(file, line)), seal };
  }

  async #place(locator: RecordLocator): Promise<{ file: string; line: number }> {
    if (!('activationId' in locator)) return locator;
    const { index } = await this.#index.ready();
    const row = findRowById(index, locator.activationId);
    if (row === undefined) throw new ArchiveStoreError(`no record has the activation_id ${JSON.stringify(locator.activationId)}`);
    const seg = index.segmentOf(row)!;
    return { file: seg.file.name, line: seg.segment.rows.line[row - seg.base]! };
  }

  /**
   * A line by its place: with the index's offsets when the line is an indexed record of an
   * unchanged file (one positioned read, or a short inflate from a gzip access point), else by
   * reading the file up to it.
   */
  async #readRecordLine(dayFile: DayFile, line: number): Promise<RecordAtLine> {
    const opened = this.#index.opened;
    const at = opened ? locateRow(opened.index, dayFile.name, line) : undefined;
    if (opened && at) {
      const { rows, header } = at.segment.segment;
      const length = rows.length[at.local]!;
      const unchanged = header.identity.size === dayFile.size && header.identity.mtimeMs === dayFile.mtimeMs;
      if (unchanged && length <= PARSE_LIMIT_BYTES) {
        const read = await readRecordAt(opened.index, at.segment.base + at.local, { pool: this.#pool });
        const bytes = Buffer.from(read.text, 'utf8');
        if (bytes.length === length) return describeLine(dayFile.name, { line, offset: rows.offset[at.local]!, length, bytes });
      }
    }
    return this.recordAt(dayFile.name, line);
  }

  #reportFindings(file: string, line: number): ReportFinding[] {
    return this.#runner.lastReport?.files.find((f) => f.file === file)?.findings.filter((f) => f.line === line) ?? [];
  }

  /** The expected period and the checkpoints this archive is checked against here. */
  async completenessSettings(): Promise<CompletenessSettings> {
    await this.#loaded;
    const stored = await this.#settings.load(this.root);
    return { expected: stored.expected, checkedAgainst: this.#checkedAgainst, stored: stored.checkpoint };
  }

  /** Remembers the period the archive must cover (null: none) and checks the archive against it. */
  async setExpectedPeriod(period: ExpectedPeriod | null): Promise<CompletenessSettings> {
    await this.#loaded;
    const empty = period === null || (period.from === null && period.through === null);
    await this.#settings.update(this.root, (s) => ({ ...s, expected: empty ? null : period }));
    this.#emit({ type: 'completenessSettingsChanged' });
    this.#runner.settingsChanged();
    return this.completenessSettings();
  }

  /**
   * Forgets the recorded history: the archive is no longer checked against the checkpoint it was
   * opened with, and the next verification whose newest day verifies records the history as it is
   * now. For a history the user knows was rightly re-issued.
   */
  async forgetCheckpoint(): Promise<CompletenessSettings> {
    await this.#loaded;
    this.#checkedAgainst = null;
    await this.#settings.update(this.root, (s) => ({ ...s, checkpoint: null }));
    this.#emit({ type: 'completenessSettingsChanged' });
    this.#runner.settingsChanged();
    return this.completenessSettings();
  }

  async #completenessOptions(): Promise<CompletenessOptions> {
    const s = await this.#loaded;
    const stored = await this.#settings.load(this.root).catch(() => s);
    const out: CompletenessOptions = {};
    if (stored.expected?.from) out.expectFrom = stored.expected.from;
    if (stored.expected?.through) out.expectThrough = stored.expected.through;
    if (this.#checkedAgainst) out.checkpoint = this.#checkedAgainst;
    return out;
  }

  /** A report whose newest day verified (and that extends the checkpoint, if any) is recorded for the next open. */
  #recordCheckpoint(report: VerificationReport): void {
    const made = checkpointOf(report, new Date());
    if (!('checkpoint' in made)) return;
    const write = this.#settings
      .update(this.root, (s) => ({ ...s, checkpoint: made.checkpoint }))
      .then(() => this.#emit({ type: 'completenessSettingsChanged' }))
      .catch((e: unknown) => console.warn(`cannot record the checkpoint of ${this.root}: ${(e as Error).message}`));
    this.#writes = Promise.all([this.#writes, write]).then(() => undefined);
  }

  /** Cancels a running verification, indexing, queries and export, and waits for them to stop. */
  async close(): Promise<void> {
    this.#runner.close();
    this.#index.close();
    this.#queries.cancelAll();
    await Promise.all([this.#runner.settled(), this.#index.settled(), this.exports.close()]);
    await this.#writes;
    this.#listeners.clear();
  }

  #keysChanged(): void {
    this.#keysVersion++;
    this.#emit({ type: 'trustedKeysChanged' });
    this.#runner.keysChanged();
  }

  #emit(event: AppEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (e) {
        console.error('event listener failed:', e);
      }
    }
  }
}

/** Keys shipped inside the archive (`keys/`), by key id; unreadable ones are left out. */
async function shippedKeys(layout: ArchiveLayout): Promise<Map<string, PublicKeyEntry>> {
  const loaded = await Promise.all(layout.keys.map((k) => loadPublicKeyFile(k.path).catch(() => undefined)));
  return new Map(loaded.filter((k) => k !== undefined).map((k) => [k.keyId, k]));
}

/** Findings of the line from two passes, each once. */
function mergeFindings(a: readonly ReportFinding[], b: readonly ReportFinding[]): ReportFinding[] {
  const seen = new Set<string>();
  const out: ReportFinding[] = [];
  for (const f of [...a, ...b]) {
    const key = `${f.kind}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The file is the record's own; the finding keeps what it says about the line.
    out.push({ kind: f.kind, line: f.line, seq: f.seq, offset: f.offset, message: f.message });
  }
  return out;
}
