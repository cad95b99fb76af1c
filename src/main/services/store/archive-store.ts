import path from 'node:path';
import type { ArchiveOverview, ShippedKey } from '../../../shared/archive-overview';
import type { AppEvent, ArchiveInfo, EventListener, Unsubscribe } from '../../../shared/ipc-contract';
import type { RecordAtLine } from '../../../shared/record-view';
import type { TrustedKey } from '../../../shared/trusted-key';
import type { VerificationState } from '../../../shared/verification-run';
import { discoverArchive } from '../archive/layout';
import { loadPublicKeyFile, type PublicKeyEntry } from '../keys/keys';
import type { WorkerPool } from '../workers/worker-pool';
import { LineNotFoundError, readLine } from './line-reader';
import { describeLine, PARSE_LIMIT_BYTES } from './record-view';
import { TrustedKeyStore, type ImportResult } from './trusted-key-store';
import { VerificationRunner } from './verification-runner';

export interface ArchiveStoreOptions {
  /** The archive folder. */
  root: string;
  /** Where the user's settings live (trusted keys); must not be inside the archive. */
  userDataDir: string;
  pool: WorkerPool;
  /** Keys trusted for this run only (`--trust-key`). */
  sessionKeys?: readonly PublicKeyEntry[];
}

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
  readonly #listeners = new Set<EventListener>();
  readonly #runner: VerificationRunner;
  #keysVersion = 0;

  constructor(opts: ArchiveStoreOptions) {
    this.root = path.resolve(opts.root);
    const userData = path.resolve(opts.userDataDir);
    const relative = path.relative(this.root, userData);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      throw new ArchiveStoreError(`the user-data folder ${userData} is inside the archive: trust settings must live outside it`);
    }
    this.keys = new TrustedKeyStore(userData, opts.sessionKeys);
    this.#runner = new VerificationRunner({
      root: this.root,
      pool: opts.pool,
      trustedKeys: () => this.keys.entries(),
      keysVersion: () => this.#keysVersion,
      emit: (event) => this.#emit(event),
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
            ? { status: r.status, records: r.records, lines: r.lines, uncompressedBytes: r.bytes, findings: r.findings.length }
            : null,
        };
      }),
      shippedKeys,
      notices: layout.notices,
      verifiedAt: report ? this.#runner.lastReportFinishedAt : null,
    };
  }

  startVerification(): { runId: string } {
    return this.#runner.start();
  }

  cancelVerification(runId?: string): boolean {
    return this.#runner.cancel(runId);
  }

  verificationState(): VerificationState {
    return this.#runner.state();
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

  /** Cancels a running verification and waits for it to stop. */
  async close(): Promise<void> {
    this.#runner.cancel();
    await this.#runner.settled();
    this.#listeners.clear();
  }

  #keysChanged(): void {
    this.#keysVersion++;
    this.#emit({ type: 'trustedKeysChanged' });
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
