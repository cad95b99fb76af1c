import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppEvent } from '../../../shared/ipc-contract';
import { canonicalize } from '../../../shared/jcs';
import { MANIFEST_SUFFIX, type ExportFormat, type ExportProgress } from '../../../shared/export-manifest';
import {
  PREVIEW_RECORDS,
  StartExportInput,
  type ExportOutcome,
  type ExporterKeyInfo,
  type ExportPlanOutput,
  type ExportPreviewOutput,
  type ExportProfileChoice,
  type ExportRunProgress,
  type ExportScope,
  type ExportSetup,
  type ExportState,
  type ManifestCheck,
  type PreviewSample,
  type ProfileEntry,
  type ProfileValidation,
} from '../../../shared/export-wizard';
import type { RedactionProfile } from '../../../shared/redaction-profile';
import type { RunStatus } from '../../../shared/verification-run';
import { FINDINGS_LISTED } from '../../../shared/selection-integrity';
import type { ArchiveIndex } from '../index/archive-index';
import type { PublicKeyEntry } from '../keys/keys';
import type { WorkerPool } from '../workers/worker-pool';
import {
  describeSelection,
  ExportCancelledError,
  ExportDestinationError,
  planExport,
  previewExport,
  runExport,
  type ExportResult,
} from '../export/export-service';
import { recordChanges } from '../export/preview-changes';
import { fullyVerified, verificationVerdict } from '../export/report';
import { checkDestination } from '../export/safe-output';
import type { SelectionRequest } from '../export/selection';
import { verifyExport } from '../export/verify-export';
import { profileFromJson } from '../redaction/profiles';
import { SavedProfiles, validateProfileText } from './saved-profiles';
import { ensureKeyPair } from '../keys/key-pair';
import type { VerificationRunner } from './verification-runner';

/** Progress events are coalesced to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 100;
const SAMPLES = 5;
const MAX_NOTICES = 20;

/**
 * What exports need from where the app runs. The desktop app gives a save dialog and "show in
 * folder" (src/main/export-desktop.ts); the browser host has neither, and the wizard then asks for
 * the path as text.
 */
export interface ExportHost {
  /** The bundled redaction worker; without it redaction runs on the main thread (same output). */
  redactionWorker?: string;
  toolVersion?: string;
  /** Where exports go by default (default: Downloads, else the home folder). */
  defaultFolder?: string;
  chooseDestination?(request: { defaultPath: string; format: ExportFormat; purpose?: 'export' | 'integrity_report' }): Promise<string | null>;
  showInFolder?(file: string): void | Promise<void>;
}

/** The archive's one verification state, as exports read it: the store's VerificationRunner. */
export type ExportVerification = Pick<VerificationRunner, 'state' | 'reportInForce' | 'ensureCurrent' | 'currentReport'>;

export interface ExportRunnerOptions {
  root: string;
  verification: ExportVerification;
  pool: WorkerPool;
  userDataDir: string;
  index: () => Promise<ArchiveIndex>;
  trustedKeys: () => Promise<PublicKeyEntry[]>;
  emit: (event: AppEvent) => void;
  host?: ExportHost;
}

export class ExportRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRequestError';
  }
}

interface Run {
  runId: string;
  controller: AbortController;
  startedAt: number;
  done: Promise<void>;
}

/** The name exports are signed under unless the user gives one: the account's user name. */
function defaultOperator(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

function selectionOf(scope: ExportScope): SelectionRequest {
  switch (scope.kind) {
    case 'query':
      return { query: scope.query, from: scope.from, to: scope.to, through: scope.through };
    case 'rows':
      return { query: '', activationIds: scope.activationIds };
    case 'all':
      return { query: '' };
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The wizard's wording for the destination problems the CLI words for its flags. */
function wizardWording(message: string): string {
  return message.replace('(pass --overwrite to replace it)', '(tick "Replace existing files" to replace it)');
}

/**
 * The export wizard's backend for one archive: profiles, the plan and preview of an export, and
 * one export run at a time in the redaction worker, with progress events, cancel and a check of
 * the manifest it wrote.
 */
export class ExportRunner {
  readonly #opts: ExportRunnerOptions;
  readonly #profiles: SavedProfiles;
  #run: Run | undefined;
  #closed = false;
  #preview: AbortController | undefined;
  #exporterKey: ReturnType<typeof ensureKeyPair> | undefined;
  #state: ExportState = { status: 'idle', runId: null, startedAt: null, finishedAt: null, out: null, progress: null, error: null, outcome: null };

  constructor(opts: ExportRunnerOptions) {
    this.#opts = opts;
    this.#profiles = new SavedProfiles(opts.userDataDir);
  }

  get #host(): ExportHost {
    return this.#opts.host ?? {};
  }

  setup(): ExportSetup {
    return {
      archiveName: path.basename(this.#opts.root),
      defaultFolder: this.defaultFolder(),
      separator: path.sep === '\\' ? '\\' : '/',
      nativeDialog: this.#host.chooseDestination !== undefined,
      canShowInFolder: this.#host.showInFolder !== undefined,
    };
  }

  /** Downloads if there is one, else the home folder; never inside the archive. */
  defaultFolder(): string {
    const home = os.homedir();
    const candidates = [this.#host.defaultFolder, path.join(home, 'Downloads'), home, os.tmpdir()];
    for (const c of candidates) {
      if (c && existsSync(c) && !isInside(path.resolve(c), this.#opts.root)) return path.resolve(c);
    }
    return os.tmpdir();
  }

  listProfiles(): Promise<{ profiles: ProfileEntry[]; problems: { file: string; message: string }[] }> {
    return this.#profiles.list();
  }

  validateProfile(text: string): ProfileValidation {
    const checked = validateProfileText(text);
    return checked.valid ? { valid: true, profile: checked.profile } : checked;
  }

  saveProfile(text: string): Promise<ProfileEntry> {
    return this.#profiles.save(text);
  }

  async #profileOf(choice: ExportProfileChoice): Promise<RedactionProfile> {
    return typeof choice === 'string' ? this.#profiles.byName(choice) : profileFromJson(choice, 'the custom profile');
  }

  async #trustedMap(): Promise<Map<string, PublicKeyEntry>> {
    return new Map((await this.#opts.trustedKeys()).map((k) => [k.keyId, k]));
  }

  /**
   * The records a scope holds and what the archive's verification report says of them. Without a
   * current report (none yet, or the trusted keys changed since), a verification is started and
   * the plan says so; the wizard asks again when it finishes.
   */
  async plan(scope: ExportScope): Promise<ExportPlanOutput> {
    const req = selectionOf(scope);
    const v = this.#opts.verification;
    const current = v.reportInForce();
    if (!current) v.ensureCurrent();
    const plan = await planExport({ index: await this.#opts.index(), pool: this.#opts.pool }, req, current);
    const now = v.state();
    const verification: ExportPlanOutput['verification'] = current
      ? { status: 'verified', doneBytes: null, totalBytes: null, error: null }
      : {
          status: now.status === 'running' ? 'verifying' : 'not_verified',
          doneBytes: now.progress?.doneBytes ?? null,
          totalBytes: now.progress?.totalBytes ?? null,
          error: now.status === 'failed' ? now.error : null,
        };
    return { ...plan, query: describeSelection(req).query, verification };
  }

  /**
   * The first records of the selection before and after redaction (a few shown, up to
   * PREVIEW_RECORDS counted per rule). A newer preview cancels the one still running.
   */
  async preview(input: { scope: ExportScope; profile: ExportProfileChoice; fields?: string[] }): Promise<ExportPreviewOutput> {
    this.#preview?.abort();
    const controller = (this.#preview = new AbortController());
    const profile = await this.#profileOf(input.profile);
    const preview = await previewExport(
      { index: await this.#opts.index(), pool: this.#opts.pool, signal: controller.signal },
      selectionOf(input.scope),
      profile,
      PREVIEW_RECORDS,
    );
    const withChanges: PreviewSample[] = [];
    const without: PreviewSample[] = [];
    preview.originals.forEach((before, i) => {
      if (withChanges.length >= SAMPLES) return;
      const { changes, hidden } = recordChanges(before, preview.records[i], input.fields);
      const rec = before as { activation_id?: unknown; content_input?: { title?: unknown } } | null;
      const sample: PreviewSample = {
        activationId: typeof rec?.activation_id === 'string' ? rec.activation_id : null,
        title: typeof rec?.content_input?.title === 'string' ? rec.content_input.title : null,
        changes,
        hiddenChanges: hidden,
      };
      (changes.length > 0 ? withChanges : without).push(sample);
    });
    const samples = [...withChanges, ...without].slice(0, SAMPLES);
    const rules = preview.rules.map((r) => ({ id: r.id, kind: r.kind, action: r.action, label: r.label, description: r.description, count: r.count }));
    return { total: preview.total, counted: preview.records.length, samples, rules, valuesChanged: rules.reduce((n, r) => n + r.count, 0) };
  }

  /** The destination problems an export would stop at, worded for the wizard. */
  async checkDestination(out: string, overwrite: boolean): Promise<{ ok: boolean; file: string; message: string }> {
    try {
      const file = await this.#destination(out, overwrite);
      return { ok: true, file, message: '' };
    } catch (e) {
      if (e instanceof ExportRequestError || e instanceof ExportDestinationError) return { ok: false, file: path.resolve(out), message: e.message };
      throw e;
    }
  }

  async #destination(out: string, overwrite: boolean): Promise<string> {
    // A relative path would be resolved against wherever the backend runs, which the user cannot see.
    if (!path.isAbsolute(out)) throw new ExportRequestError(`give the full path of the file to write, such as ${path.join(this.defaultFolder(), 'export.csv')}`);
    try {
      const file = await checkDestination(out, { archiveRoot: this.#opts.root, overwrite });
      await checkDestination(file + MANIFEST_SUFFIX, { archiveRoot: this.#opts.root, overwrite });
      return file;
    } catch (e) {
      if (e instanceof ExportDestinationError) throw new ExportDestinationError(e.filePath, wizardWording(e.message));
      throw e;
    }
  }

  async chooseDestination(format: ExportFormat, defaultPath: string, purpose: 'export' | 'integrity_report' = 'export'): Promise<{ supported: boolean; path: string | null }> {
    const choose = this.#host.chooseDestination;
    if (!choose) return { supported: false, path: null };
    return { supported: true, path: await choose({ format, defaultPath, purpose }) };
  }

  /** Checks the request (profile, destination) and starts the export; one runs at a time. */
  async start(raw: StartExportInput): Promise<{ runId: string }> {
    const input = StartExportInput.parse(raw);
    if (this.#run) throw new ExportRequestError('an export is already running; cancel it or wait for it to finish');
    const profile = await this.#profileOf(input.profile);
    const file = await this.#destination(input.out, input.overwrite);
    // Checked again: the profile and the destination were awaited.
    if (this.#run) throw new ExportRequestError('an export is already running; cancel it or wait for it to finish');
    if (this.#closed) throw new ExportRequestError('the archive was closed before the export could start');
    const run: Run = { runId: randomUUID(), controller: new AbortController(), startedAt: Date.now(), done: Promise.resolve() };
    this.#run = run;
    this.#state = {
      status: 'running',
      runId: run.runId,
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: null,
      out: file,
      progress: null,
      error: null,
      outcome: null,
    };
    this.#opts.emit({ type: 'exportStarted', runId: run.runId });
    run.done = this.#execute(run, { ...input, out: file }, profile);
    return { runId: run.runId };
  }

  cancel(runId?: string): boolean {
    const run = this.#run;
    if (!run || (runId !== undefined && runId !== run.runId)) return false;
    run.controller.abort();
    return true;
  }

  state(): ExportState {
    return structuredClone(this.#state);
  }

  /** Resolves once the running export, if any, has ended. */
  async settled(): Promise<void> {
    await this.#run?.done;
  }

  /** True while an export runs (opening another archive would cancel it). */
  get running(): boolean {
    return this.#run !== undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#preview?.abort();
    this.cancel();
    await this.settled();
  }

  #completed(runId: string): ExportOutcome {
    const outcome = this.#state.outcome;
    if (this.#state.runId !== runId || !outcome) throw new ExportRequestError('that export has not completed (or a newer one replaced it)');
    return outcome;
  }

  /** Checks the manifest the given run wrote against the export file, under the trusted keys and the user's own exporter key. */
  async verify(runId: string): Promise<ManifestCheck> {
    const outcome = this.#completed(runId);
    const trusted = await this.#trustedMap();
    const own = await this.#exporter();
    trusted.set(own.keyId, { keyId: own.keyId, key: createPublicKey(own.privateKey), source: 'your exporter key' });
    return verifyExport(outcome.manifest, trusted);
  }

  /** The user's exporter key pair, in the user-data folder, created on first use. */
  #exporter(): ReturnType<typeof ensureKeyPair> {
    return (this.#exporterKey ??= ensureKeyPair(path.join(this.#opts.userDataDir, 'exporter-key'), 'exporter').catch((e: unknown) => {
      this.#exporterKey = undefined;
      throw e;
    }));
  }

  async exporterKey(): Promise<ExporterKeyInfo> {
    const k = await this.#exporter();
    return { keyId: k.keyId, publicKeyPem: k.publicKeyPem, publicKeyFile: k.publicKeyFile, operator: defaultOperator() };
  }

  async showInFolder(runId: string): Promise<{ shown: boolean }> {
    const outcome = this.#completed(runId);
    if (!this.#host.showInFolder) return { shown: false };
    await this.#host.showInFolder(outcome.file);
    return { shown: true };
  }

  async #execute(run: Run, input: ReturnType<typeof StartExportInput.parse>, profile: RedactionProfile): Promise<void> {
    let lastEmit = 0;
    let phase: ExportProgress['phase'] | undefined;
    let phaseStart = run.startedAt;
    const onProgress = (p: ExportProgress): void => {
      const now = Date.now();
      const changed = p.phase !== phase;
      if (changed) {
        phase = p.phase;
        phaseStart = now;
      }
      const progress: ExportRunProgress = { runId: run.runId, ...p, elapsedMs: now - run.startedAt, phaseElapsedMs: now - phaseStart };
      this.#state.progress = progress;
      if (changed || now - lastEmit >= PROGRESS_INTERVAL_MS || p.done === p.total) {
        lastEmit = now;
        this.#opts.emit({ type: 'exportProgress', progress });
      }
    };

    let status: Exclude<RunStatus, 'idle' | 'running'>;
    let error: string | null = null;
    let outcome: ExportOutcome | null = null;
    try {
      const [index, trustedKeys, exporterKey] = await Promise.all([this.#opts.index(), this.#trustedMap(), this.#exporter()]);
      if (run.controller.signal.aborted) throw new ExportCancelledError();
      const selection = selectionOf(input.scope);
      const result = await runExport(
        {
          index,
          pool: this.#opts.pool,
          trustedKeys,
          toolVersion: this.#host.toolVersion ?? '0.0.0-dev',
          signal: run.controller.signal,
          onProgress,
          redactionWorker: this.#host.redactionWorker,
          verification: (o) => this.#opts.verification.currentReport(o),
          exporter: { privateKey: exporterKey.privateKey, operator: input.operator ?? defaultOperator() },
        },
        {
          ...selection,
          format: input.format,
          out: input.out,
          fields: input.fields,
          bom: input.bom,
          overwrite: input.overwrite,
          pdfMaxRows: input.pdfMaxRows,
        },
        profile,
      );
      outcome = outcomeOf(result);
      status = 'done';
    } catch (e) {
      if (e instanceof ExportCancelledError || run.controller.signal.aborted) status = 'cancelled';
      else {
        status = 'failed';
        error = wizardWording(e instanceof Error ? e.message : String(e));
      }
    }
    this.#run = undefined;
    this.#state = { ...this.#state, status, finishedAt: new Date().toISOString(), error, outcome };
    this.#opts.emit({ type: 'exportFinished', runId: run.runId, status, error });
  }
}

function outcomeOf(r: ExportResult): ExportOutcome {
  const rep = r.report;
  const notices = r.notices.length > MAX_NOTICES ? [...r.notices.slice(0, MAX_NOTICES), `${r.notices.length - MAX_NOTICES} more notice(s)`] : r.notices;
  return {
    file: r.file,
    manifest: r.manifest,
    format: rep.format,
    bytes: r.bytes,
    sha256: r.sha256,
    seconds: r.seconds,
    query: rep.selection.query,
    from: rep.selection.from,
    to: rep.selection.to,
    records: rep.records,
    profile: { name: rep.profile.name, sha256: createHash('sha256').update(canonicalize(rep.profile)).digest('hex') },
    rules: rep.rules.map((x) => ({ id: x.id, kind: x.kind, action: x.action, label: x.label, description: x.description, count: x.count })),
    valuesChanged: rep.valuesChanged,
    pseudonyms: rep.pseudonyms,
    verified: fullyVerified(rep),
    verdict: verificationVerdict(rep),
    integrity: rep.integrity,
    findings: rep.integrityFindings.slice(0, FINDINGS_LISTED),
    exporter: r.exporter,
    days: rep.archive.days.map((d) => ({ date: d.date, keyId: d.digest?.key_id ?? null, trust: d.trust, rootMatches: d.rootMatches, exported: d.exported })),
    notices,
  };
}
