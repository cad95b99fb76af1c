import { z } from 'zod';
import { ArchiveOverview } from './archive-overview';
import { ExportFormat } from './export-manifest';
import {
  DestinationPath,
  ExporterKeyInfo,
  ExportPlanOutput,
  ExportPreviewOutput,
  ExportProfileChoice,
  ExportFields,
  ExportRunProgress,
  ExportScope,
  ExportSetup,
  ExportState,
  ManifestCheck,
  ProfileEntry,
  ProfileText,
  ProfileValidation,
  StartExportInput,
} from './export-wizard';
import { RecordDetail, RecordRef } from './record-detail';
import { FieldInfo, IndexProgress, IndexState, IndexStatus, QueryRecordsInput, QueryRecordsOutput } from './record-search';
import { RecordAtLine } from './record-view';
import { ArchivePathInput, RecentArchive } from './recent-archives';
import { DAY_FILE_PATTERN } from './seal';
import { KeyId, MAX_PEM_LENGTH, TrustedKey } from './trusted-key';
import { CompletenessSettings, ExpectedPeriod } from './completeness-settings';
import { RunId, RunStatus, VerificationProgress, VerificationState } from './verification-run';

// The one contract between the UI and the backend. Every transport (Electron IPC, the browser
// host's HTTP) builds its client with `createApi` and validates inputs with these schemas through
// `runOperation`, so an operation is added by adding an entry to `ipcContract` and a handler.

export const ArchiveInfo = z.object({
  path: z.string(),
  name: z.string(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

const NoInput = z.strictObject({});

const DayFileName = z
  .string()
  .max(64)
  .regex(DAY_FILE_PATTERN, 'expected a day file name such as activations-2026-11-20.jsonl or .jsonl.gz');

const LineNumber = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Any string an archive may hold as an id (hostile ones included); looked up exactly, never parsed. */
const ActivationIdInput = z.string().min(1, 'expected an activation_id').max(200, 'an activation_id is far shorter than 200 characters');

interface Operation {
  input: z.ZodType;
  output: z.ZodType;
}

export const ipcContract = {
  getArchiveInfo: { input: NoInput, output: ArchiveInfo },
  getOverview: { input: NoInput, output: ArchiveOverview },
  /**
   * Verifies the archive: through the index pass while the index is not open, else by reading
   * every day file again (a reread going is cancelled first; an index pass going is the answer).
   */
  startVerification: { input: NoInput, output: z.object({ runId: RunId }) },
  /** Cancels the given run, or whichever is running. */
  cancelVerification: {
    input: z.strictObject({ runId: RunId.optional() }),
    output: z.object({ cancelled: z.boolean() }),
  },
  getVerificationReport: { input: NoInput, output: VerificationState },
  listTrustedKeys: { input: NoInput, output: z.object({ keys: z.array(TrustedKey) }) },
  importTrustedKey: {
    input: z.strictObject({
      pem: z.string().min(1, 'paste a PEM public key').max(MAX_PEM_LENGTH, `a PEM public key is far shorter than ${MAX_PEM_LENGTH} characters`),
      /** A label for where it came from, e.g. the picked file's name. */
      source: z.string().min(1).max(200).optional(),
    }),
    output: z.object({ key: TrustedKey, alreadyTrusted: z.boolean() }),
  },
  removeTrustedKey: { input: z.strictObject({ keyId: KeyId }), output: z.object({ removed: z.boolean() }) },
  /**
   * Trusts the public key the archive ships in `keys/` under this id (after the user checked the
   * id with the publisher): "authentic if the key is the publisher's" becomes verified.
   */
  trustShippedKey: { input: z.strictObject({ keyId: KeyId }), output: z.object({ key: TrustedKey, alreadyTrusted: z.boolean() }) },
  /** The expected period and the checkpoints the archive is checked against (remembered per archive). */
  getCompletenessSettings: { input: NoInput, output: CompletenessSettings },
  /** Remembers the period the archive must cover (null or both bounds null: none); the report is worked out again. */
  setExpectedPeriod: { input: z.strictObject({ period: ExpectedPeriod.nullable() }), output: CompletenessSettings },
  /** Stops checking against the recorded history; the next verified state is recorded instead. */
  forgetCheckpoint: { input: NoInput, output: CompletenessSettings },
  /** One physical line of a day file (1-based), for following a finding to its record. */
  getRecordAt: {
    input: z.strictObject({ file: DayFileName, line: LineNumber }),
    output: RecordAtLine,
  },
  /** Opens the archive's index (building what the cache lacks, with progress events); idempotent. */
  openIndex: { input: NoInput, output: IndexState },
  getIndexState: { input: NoInput, output: IndexState },
  cancelIndexing: { input: NoInput, output: z.object({ cancelled: z.boolean() }) },
  /**
   * A page of the records a query selects, with the exact total. A request with a new `requestId`
   * cancels the requests of the previous one, which answer `cancelled`.
   */
  queryRecords: { input: QueryRecordsInput, output: QueryRecordsOutput },
  /** One record, by activation_id or place, with its seal explained (unless `seal: false`). */
  getRecord: {
    input: z
      .strictObject({
        activationId: ActivationIdInput.optional(),
        file: DayFileName.optional(),
        line: LineNumber.optional(),
        seal: z.boolean().optional(),
      })
      .refine(
        (r) => (r.activationId !== undefined ? r.file === undefined && r.line === undefined : r.file !== undefined && r.line !== undefined),
        'give either an activationId, or a file and a line',
      )
      .transform(({ activationId, file, line, seal }) => ({
        locator: activationId !== undefined ? { activationId } : { file: file!, line: line! },
        seal,
      })),
    output: RecordDetail,
  },
  /** The latest earlier record with the same content_input.content_id (by timestamp), if any. */
  getPreviousAttempt: {
    input: z.strictObject({ activationId: ActivationIdInput }),
    output: z.object({ contentId: z.string().nullable(), previous: RecordRef.nullable() }),
  },
  /** Indexed field names with their aliases (and few-valued fields' values), for completion. */
  listFields: { input: NoInput, output: z.object({ fields: z.array(FieldInfo) }) },

  /**
   * Opens another archive folder in place of the current one (which is closed); an
   * `archiveOpened` event follows. Refused, the current archive staying open, if the path is not a
   * folder holding day files.
   */
  openArchive: { input: z.strictObject({ path: ArchivePathInput }), output: ArchiveInfo },
  /** The archives opened lately, newest first, each flagged if its folder is gone. */
  listRecentArchives: { input: NoInput, output: z.object({ archives: z.array(RecentArchive) }) },

  // The export wizard (docs/EXPORT.md, "In the app").
  /** Default destination folder and what this host can do (save dialog, show in folder). */
  getExportSetup: { input: NoInput, output: ExportSetup },
  /** Built-in and saved redaction profiles, spelled out; saved files that do not validate as problems. */
  listRedactionProfiles: {
    input: NoInput,
    output: z.object({ profiles: z.array(ProfileEntry), problems: z.array(z.object({ file: z.string(), message: z.string() })) }),
  },
  /** Checks a custom profile's JSON text against the profile schema; every problem with its JSON path. */
  validateRedactionProfile: { input: z.strictObject({ text: ProfileText }), output: ProfileValidation },
  /** Validates and saves a custom profile in the user-data folder, under its name. */
  saveRedactionProfile: { input: z.strictObject({ text: ProfileText }), output: ProfileEntry },
  /** How many records an export of this scope holds, per day with its digest's trust. */
  planExport: { input: z.strictObject({ scope: ExportScope }), output: ExportPlanOutput },
  /** A few records of the scope before and after redaction, and what each rule changes in the first ones. */
  previewExport: {
    input: z.strictObject({ scope: ExportScope, profile: ExportProfileChoice, fields: ExportFields }),
    output: ExportPreviewOutput,
  },
  /** Whether an export could be written there (absolute, folder exists, outside the archive, not in the way). */
  checkExportDestination: {
    input: z.strictObject({ out: DestinationPath, overwrite: z.boolean().default(false) }),
    output: z.object({ ok: z.boolean(), file: z.string(), message: z.string() }),
  },
  /** The desktop app's save dialog; `supported: false` where there is none (the browser host). */
  chooseExportDestination: {
    input: z.strictObject({
      format: ExportFormat,
      defaultPath: DestinationPath,
      /** What the file is for (the dialog's wording): an export (default) or the integrity report. */
      purpose: z.enum(['export', 'integrity_report']).optional(),
    }),
    output: z.object({ supported: z.boolean(), path: z.string().nullable() }),
  },
  /** Starts an export (one at a time); progress and the end arrive as events. */
  startExport: { input: StartExportInput, output: z.object({ runId: RunId }) },
  /** Cancels the given export, or whichever is running; nothing of it is left on disk. */
  cancelExport: { input: z.strictObject({ runId: RunId.optional() }), output: z.object({ cancelled: z.boolean() }) },
  getExportState: { input: NoInput, output: ExportState },
  /** Checks the manifest the given (completed) export wrote, under the trusted keys. */
  verifyExportManifest: { input: z.strictObject({ runId: RunId }), output: ManifestCheck },
  /** Shows the given export's file in the system's file manager, where the host has one. */
  showExportInFolder: { input: z.strictObject({ runId: RunId }), output: z.object({ shown: z.boolean() }) },
  /**
   * The user's exporter key (created in the user-data folder on first use), which signs every
   * export's manifest: its id and public key, to hand to whoever checks the exports.
   */
  getExporterKey: { input: NoInput, output: ExporterKeyInfo },
  /**
   * Writes the integrity report (PDF) of the archive's current verification report, verifying
   * first when there is none; refused inside the archive, or over a file without `overwrite`.
   */
  saveIntegrityReport: {
    input: z.strictObject({ out: DestinationPath, overwrite: z.boolean().default(false) }),
    output: z.object({ file: z.string(), bytes: z.number().int().nonnegative(), pages: z.number().int().positive() }),
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof ipcContract;
export type OperationInput<N extends OperationName> = z.input<(typeof ipcContract)[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<(typeof ipcContract)[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<(typeof ipcContract)[N]['output']>;

export const operationNames = Object.keys(ipcContract) as OperationName[];

/** Own keys only: a request for `__proto__` or `toString` is not an operation. */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(ipcContract, name);
}

export function ipcChannel(name: OperationName): string {
  return `api:${name}`;
}

// Events: one typed stream from the backend to the UI (Electron: webContents.send on EVENT_CHANNEL,
// browser host: Server-Sent Events). They say that something changed; state is read through the
// operations, so a missed event costs a refresh, never a wrong screen.
export const AppEvent = z.discriminatedUnion('type', [
  /** The stream (re)connected: anything may have changed while it was down. */
  z.object({ type: z.literal('connected') }),
  z.object({ type: z.literal('verificationStarted'), runId: RunId }),
  z.object({ type: z.literal('verificationProgress'), progress: VerificationProgress }),
  z.object({
    type: z.literal('verificationFinished'),
    runId: RunId,
    status: RunStatus.exclude(['idle', 'running']),
    error: z.string().nullable(),
  }),
  z.object({ type: z.literal('trustedKeysChanged') }),
  /** The expected period or the recorded checkpoint of the open archive changed. */
  z.object({ type: z.literal('completenessSettingsChanged') }),
  z.object({ type: z.literal('indexStarted') }),
  z.object({ type: z.literal('indexProgress'), progress: IndexProgress }),
  z.object({ type: z.literal('indexFinished'), status: IndexStatus.exclude(['idle', 'indexing']), error: z.string().nullable() }),
  /** Another archive is open now: every view reads its state again. */
  z.object({ type: z.literal('archiveOpened'), archive: ArchiveInfo }),
  z.object({ type: z.literal('exportStarted'), runId: RunId }),
  z.object({ type: z.literal('exportProgress'), progress: ExportRunProgress }),
  z.object({
    type: z.literal('exportFinished'),
    runId: RunId,
    status: RunStatus.exclude(['idle', 'running']),
    error: z.string().nullable(),
  }),
  /** The desktop menu's File > Export…: the window opens the export wizard. */
  z.object({ type: z.literal('exportRequested') }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

export const EVENT_CHANNEL = 'api:event';

// Errors thrown across IPC reach the renderer as a bare, prefixed message, so failures are values.
export interface IpcError {
  message: string;
  /** `invalid_input`: the request broke the contract; `refused`: the transport would not deliver it. */
  code?: 'invalid_input' | 'refused' | 'failed';
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type EventListener = (event: AppEvent) => void;
export type Unsubscribe = () => void;

export type Api = {
  readonly [N in OperationName]: (input: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;
} & {
  /** Subscribes to backend events; call the returned function to stop. */
  readonly onEvent: (listener: EventListener) => Unsubscribe;
};

/** How a client reaches the backend: one request per operation, and the event stream. */
export interface Transport {
  invoke(name: OperationName, input: unknown): Promise<unknown>;
  subscribe(listener: EventListener): Unsubscribe;
}

/**
 * One function per operation, bound to a transport. Only these functions reach the page: the
 * transport itself is never exposed, so the page cannot call arbitrary channels.
 */
export function createApi(transport: Transport): Api {
  const entries = operationNames.map((name) => [name, (input: unknown) => transport.invoke(name, input)]);
  // The transport answers with the result the handler produced for this operation's schema.
  return { ...Object.fromEntries(entries), onEvent: (listener: EventListener) => transport.subscribe(listener) } as Api;
}

export type OperationHandlers = {
  readonly [N in OperationName]: (input: ParsedInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>>;
};

/**
 * The server half of every transport: validates the raw input with the operation's schema, runs
 * its handler and turns whatever happens into a result object.
 */
export async function runOperation<N extends OperationName>(
  handlers: OperationHandlers,
  name: N,
  rawInput: unknown,
): Promise<IpcResult<OperationOutput<N>>> {
  // TypeScript cannot tie ipcContract[name] to handlers[name] for a generic name
  // (microsoft/TypeScript#30581); the schema is the one that defines that handler's input.
  const input = ipcContract[name].input.safeParse(rawInput) as z.ZodSafeParseResult<ParsedInput<N>>;
  if (!input.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: `Invalid input for ${name}: ${z.prettifyError(input.error)}` },
    };
  }
  try {
    const handler = handlers[name] as (input: ParsedInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>>;
    return { ok: true, value: await handler(input.data) };
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
}
