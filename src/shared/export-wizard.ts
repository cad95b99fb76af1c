import { z } from 'zod';
import { ExportFormat, ManifestRule } from './export-manifest';
import { parseInstant } from './query';
import { CustomPattern, FieldPath, FieldRule, KnownValueSource, ProfileName, TextAction } from './redaction-profile';
import { RunId, RunStatus } from './verification-run';
import { FileFinding, SelectionIntegrity } from './selection-integrity';
import { DigestSignature } from './verification-report';

// What the app's export wizard asks the backend and what it is told (docs/EXPORT.md, "In the
// app"): the scope of an export, the columns, presets of them, the profiles, the preview, the run
// with its progress and outcome, and the check of the manifest just written. The operations
// themselves are declared in ipc-contract.ts.

// ---------- scope ----------

const Instant = z
  .string()
  .max(64)
  .refine((s) => parseInstant(s) !== undefined, 'expected an ISO-8601 instant such as 2026-11-19 or 2026-11-19T08:00:00Z');

/** The ids a "selected rows" export may name; a grid selection is far smaller. */
export const MAX_EXPORT_IDS = 10_000;

export const ExportScope = z.discriminatedUnion('kind', [
  /** The Records screen's query and time window (from inclusive, to exclusive). */
  z.strictObject({
    kind: z.literal('query'),
    query: z.string().max(2000, 'a query is at most 2000 characters'),
    from: Instant.optional(),
    to: Instant.optional(),
    /** The inclusive end as the user typed it (the Records screen's "Through"), for the report's wording. */
    through: z.string().max(64).optional(),
  }),
  /** Exactly these records (rows selected in the grid). */
  z.strictObject({
    kind: z.literal('rows'),
    activationIds: z
      .array(z.string().min(1, 'expected an activation_id').max(200, 'an activation_id is far shorter than 200 characters'))
      .min(1, 'select at least one row')
      .max(MAX_EXPORT_IDS, `at most ${MAX_EXPORT_IDS} selected rows`),
  }),
  z.strictObject({ kind: z.literal('all') }),
]);
export type ExportScope = z.infer<typeof ExportScope>;

// ---------- columns ----------

export interface ExportField {
  path: string;
  label: string;
  group: string;
  /** A personal-data field of the record spec (redacted by the default profile). */
  personal?: boolean;
}

/** The columns the wizard offers, in the order of the default table (columns.ts takes its default from here). */
export const EXPORT_FIELDS: readonly ExportField[] = [
  { path: 'activation_id', label: 'Activation id', group: 'Record' },
  { path: 'timestamp', label: 'Time', group: 'Record' },
  { path: 'content_input.content_id', label: 'Content id', group: 'Content' },
  { path: 'content_input.content_type', label: 'Content type', group: 'Content' },
  { path: 'content_input.locale', label: 'Locale', group: 'Content' },
  { path: 'content_input.source', label: 'Source', group: 'Content' },
  { path: 'content_input.title', label: 'Title', group: 'Content' },
  { path: 'content_input.author.name', label: 'Author name', group: 'Content', personal: true },
  { path: 'content_input.author.email', label: 'Author e-mail', group: 'Content', personal: true },
  { path: 'validation_results.is_valid', label: 'Valid', group: 'Pipeline' },
  { path: 'ai_enrichment.provider', label: 'AI provider', group: 'Pipeline' },
  { path: 'ai_enrichment.model', label: 'AI model', group: 'Pipeline' },
  { path: 'ai_enrichment.tokens.prompt', label: 'Prompt tokens', group: 'Pipeline' },
  { path: 'ai_enrichment.tokens.completion', label: 'Completion tokens', group: 'Pipeline' },
  { path: 'ai_enrichment.cost_usd', label: 'AI cost (USD)', group: 'Pipeline' },
  { path: 'brand_voice_analysis.overall_score', label: 'Brand-voice score', group: 'Pipeline' },
  { path: 'brand_voice_analysis.gate_passed', label: 'Gate passed', group: 'Pipeline' },
  { path: 'brand_voice_analysis.blocking_reason', label: 'Blocking reason', group: 'Pipeline' },
  { path: 'platform_publishing.platform', label: 'Platform', group: 'Publishing' },
  { path: 'platform_publishing.status', label: 'Status', group: 'Publishing' },
  { path: 'platform_publishing.campaign_id', label: 'Campaign id', group: 'Publishing' },
  { path: 'processing_metadata.environment', label: 'Environment', group: 'Processing' },
  { path: 'processing_metadata.user_id', label: 'User id', group: 'Processing', personal: true },
  { path: 'processing_metadata.client_ip', label: 'Client IP', group: 'Processing', personal: true },
  { path: 'processing_metadata.session_id', label: 'Session id', group: 'Processing', personal: true },
  { path: 'performance_metrics.total_ms', label: 'Total ms', group: 'Outcome' },
  { path: 'quality_assessment.overall_quality_score', label: 'Quality score', group: 'Outcome' },
  { path: 'quality_assessment.success', label: 'Success', group: 'Outcome' },
  { path: 'suitable_for_training', label: 'Suitable for training', group: 'Outcome' },
  { path: 'errors', label: 'Errors (all details)', group: 'Outcome' },
  { path: 'content_input.body', label: 'Body', group: 'Content' },
];

/** Default columns of CSV, XLSX and Parquet: every field the wizard offers. */
export const DEFAULT_TABLE_FIELDS: readonly string[] = EXPORT_FIELDS.map((f) => f.path);

export const FIELD_PRESETS = [
  {
    id: 'compliance',
    label: 'Compliance summary',
    description: 'What happened to each piece of content and why, without any text or personal data.',
    fields: [
      'activation_id',
      'timestamp',
      'content_input.content_id',
      'content_input.content_type',
      'validation_results.is_valid',
      'ai_enrichment.provider',
      'ai_enrichment.model',
      'ai_enrichment.cost_usd',
      'brand_voice_analysis.gate_passed',
      'brand_voice_analysis.blocking_reason',
      'platform_publishing.platform',
      'platform_publishing.status',
      'processing_metadata.environment',
      'performance_metrics.total_ms',
      'quality_assessment.overall_quality_score',
      'quality_assessment.success',
    ],
  },
  {
    id: 'full',
    label: 'Full records',
    description: 'Every column (JSONL: whole records), personal data redacted by the profile.',
    fields: DEFAULT_TABLE_FIELDS,
  },
  {
    id: 'ml',
    label: 'ML training set',
    description: 'Content with its scores and outcome, for training models; no people or sessions.',
    fields: [
      'content_input.content_id',
      'content_input.content_type',
      'content_input.locale',
      'content_input.title',
      'content_input.body',
      'ai_enrichment.provider',
      'ai_enrichment.model',
      'brand_voice_analysis.overall_score',
      'brand_voice_analysis.gate_passed',
      'quality_assessment.overall_quality_score',
      'quality_assessment.success',
      'suitable_for_training',
    ],
  },
] as const satisfies readonly { id: string; label: string; description: string; fields: readonly string[] }[];
export type FieldPresetId = (typeof FIELD_PRESETS)[number]['id'];

/** Columns for an export; absent means the format's default (whole records for JSONL). */
export const ExportFields = z.array(FieldPath).min(1, 'choose at least one column').max(200).optional();

// ---------- profiles ----------

/** A profile with every setting spelled out (`RedactionProfile`), as the wizard shows it. */
export const ResolvedProfile = z.object({
  name: z.string(),
  description: z.string(),
  extends: z.string().nullable(),
  fields: z.array(FieldRule),
  text: z.object({
    scan: z.union([z.literal('all'), z.array(FieldPath)]),
    exclude: z.array(FieldPath),
    detectors: z.record(z.string(), z.object({ action: TextAction, label: z.string() })),
  }),
  known_values: z.array(KnownValueSource),
  patterns: z.array(CustomPattern),
});
export type ResolvedProfile = z.infer<typeof ResolvedProfile>;

export const ProfileSource = z.enum(['built-in', 'saved']);

export const ProfileEntry = z.object({
  name: z.string(),
  source: ProfileSource,
  profile: ResolvedProfile,
});
export type ProfileEntry = z.infer<typeof ProfileEntry>;

/** Text of a custom profile as the user pasted or loaded it. */
export const ProfileText = z.string().min(1, 'paste or load a profile (JSON)').max(1024 * 1024, 'a profile is far shorter than 1 MB');

export const ProfileIssue = z.object({ path: z.string(), message: z.string() });
export type ProfileIssue = z.infer<typeof ProfileIssue>;

export const ProfileValidation = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true), profile: ResolvedProfile }),
  z.object({ valid: z.literal(false), issues: z.array(ProfileIssue) }),
]);
export type ProfileValidation = z.infer<typeof ProfileValidation>;

/** An export's profile: a built-in or saved one by name, or a custom profile's JSON object. */
export const ExportProfileChoice = z.union([ProfileName, z.record(z.string(), z.unknown())]);
export type ExportProfileChoice = z.infer<typeof ExportProfileChoice>;

// ---------- setup, plan and preview ----------

export const ExportSetup = z.object({
  archiveName: z.string(),
  /** Where exports go unless the user says otherwise: Downloads, else home; never the archive. */
  defaultFolder: z.string(),
  separator: z.enum(['/', '\\']),
  /** The desktop app has a save dialog; the browser host has none (the path is typed). */
  nativeDialog: z.boolean(),
  /** Whether "Show in folder" can open the system's file manager. */
  canShowInFolder: z.boolean(),
});
export type ExportSetup = z.infer<typeof ExportSetup>;

/** Where the archive's verification stands, as far as an export's integrity statements go. */
export const ExportVerificationStatus = z.object({
  /** `verified`: a current report was read; `verifying`: one is being made; `not_verified`: none (failed or cancelled: `error`). */
  status: z.enum(['verified', 'verifying', 'not_verified']),
  doneBytes: z.number().nonnegative().nullable(),
  totalBytes: z.number().nonnegative().nullable(),
  error: z.string().nullable(),
});
export type ExportVerificationStatus = z.infer<typeof ExportVerificationStatus>;

export const ExportPlanOutput = z.object({
  total: z.number().int().nonnegative(),
  sealed: z.boolean(),
  /** The selection as the manifest will state it. */
  query: z.string(),
  days: z.array(z.object({ date: z.string(), file: z.string(), records: z.number().int() })),
  /** The verification report's word on the selection's records (nothing known until verified). */
  integrity: SelectionIntegrity,
  verification: ExportVerificationStatus,
});
export type ExportPlanOutput = z.infer<typeof ExportPlanOutput>;

export const PreviewChange = z.object({
  /** Where in the record, array elements as `[n]`. */
  path: z.string(),
  /** Excerpts around the change for long text. */
  before: z.string(),
  /** null: the member is removed. */
  after: z.string().nullable(),
});
export type PreviewChange = z.infer<typeof PreviewChange>;

export const PreviewSample = z.object({
  activationId: z.string().nullable(),
  title: z.string().nullable(),
  /** Changes in the exported columns. */
  changes: z.array(PreviewChange),
  /** Changes in members the chosen columns leave out. */
  hiddenChanges: z.number().int().nonnegative(),
});
export type PreviewSample = z.infer<typeof PreviewSample>;

export const PREVIEW_RECORDS = 200;

export const ExportPreviewOutput = z.object({
  total: z.number().int().nonnegative(),
  /** Records redacted for the counts (the first of the selection, at most PREVIEW_RECORDS). */
  counted: z.number().int().nonnegative(),
  samples: z.array(PreviewSample),
  rules: z.array(ManifestRule),
  valuesChanged: z.number().int().nonnegative(),
});
export type ExportPreviewOutput = z.infer<typeof ExportPreviewOutput>;

// ---------- destination and run ----------

export const DestinationPath = z.string().min(1, 'give the file to write').max(4096, 'a path is far shorter than 4096 characters');

export const ExporterKeyInfo = z.object({
  keyId: z.string(),
  publicKeyPem: z.string(),
  /** Where the public key file is, to hand over as a file. */
  publicKeyFile: z.string(),
  /** The name exports are signed under unless the user gives another (the account's user name). */
  operator: z.string(),
});
export type ExporterKeyInfo = z.infer<typeof ExporterKeyInfo>;

export const OperatorName = z.string().trim().min(1, 'give the name exports are signed under').max(200, 'a name is far shorter than 200 characters');

export const StartExportInput = z.strictObject({
  scope: ExportScope,
  profile: ExportProfileChoice,
  format: ExportFormat,
  /** The file to write (absolute); its manifest goes beside it. */
  out: DestinationPath,
  fields: ExportFields,
  bom: z.boolean().default(false),
  overwrite: z.boolean().default(false),
  pdfMaxRows: z.number().int().positive().max(100_000).optional(),
  /** Who exports: signed into the manifest with the exporter key (default: the account's user name). */
  operator: OperatorName.optional(),
});
export type StartExportInput = z.input<typeof StartExportInput>;

export const ExportPhaseName = z.enum(['selecting', 'verifying', 'collecting', 'writing', 'finishing']);

export const ExportRunProgress = z.object({
  runId: RunId,
  phase: ExportPhaseName,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  /** Time in the current phase, for its rate and the time left. */
  phaseElapsedMs: z.number().nonnegative(),
});
export type ExportRunProgress = z.infer<typeof ExportRunProgress>;

export const ExportOutcome = z.object({
  file: z.string(),
  manifest: z.string(),
  format: ExportFormat,
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  seconds: z.number(),
  query: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  records: z.object({
    exported: z.number().int(),
    proven: z.number().int(),
    contentMismatch: z.number().int(),
    unprovable: z.number().int(),
  }),
  profile: z.object({ name: z.string(), sha256: z.string() }),
  rules: z.array(ManifestRule),
  valuesChanged: z.number().int(),
  pseudonyms: z.record(z.string(), z.number().int()),
  /** Every record proven by the verification report and by its inclusion proof (at export time). */
  verified: z.boolean(),
  verdict: z.string(),
  integrity: SelectionIntegrity,
  /** Findings of the exported days (at most FINDINGS_LISTED; `integrity.findingsTotal` counts all). */
  findings: z.array(FileFinding),
  /** The exporter's key that signed the manifest, if any. */
  exporter: z.object({ operator: z.string(), keyId: z.string() }).nullable(),
  days: z.array(
    z.object({ date: z.string(), keyId: z.string().nullable(), trust: DigestSignature, rootMatches: z.boolean(), exported: z.number().int() }),
  ),
  notices: z.array(z.string()),
});
export type ExportOutcome = z.infer<typeof ExportOutcome>;

export const ExportState = z.object({
  status: RunStatus,
  runId: RunId.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The file being written by the current or last run. */
  out: z.string().nullable(),
  progress: ExportRunProgress.nullable(),
  error: z.string().nullable(),
  /** The last run's outcome when it completed. */
  outcome: ExportOutcome.nullable(),
});
export type ExportState = z.infer<typeof ExportState>;

export const ManifestCheck = z.object({
  manifest: z.string(),
  file: z.string(),
  format: z.string(),
  ok: z.boolean(),
  fileCheck: z.object({ ok: z.boolean(), message: z.string() }),
  digests: z.array(z.object({ date: z.string(), keyId: z.string().nullable(), status: z.enum(['trusted', 'untrusted_key', 'signature_invalid', 'missing']), message: z.string() })),
  chain: z.object({ ok: z.boolean(), message: z.string() }),
  proofs: z.object({ total: z.number().int(), valid: z.number().int(), invalid: z.number().int() }),
  rows: z.object({ checked: z.boolean(), ok: z.boolean(), message: z.string() }),
  exporter: z.object({ status: z.enum(['trusted', 'untrusted_key', 'signature_invalid', 'unsigned']), operator: z.string().nullable(), keyId: z.string().nullable(), message: z.string() }),
  values: z.object({ checked: z.boolean(), proven: z.number().int(), redacted: z.number().int(), changed: z.number().int(), message: z.string() }),
  proven: z.array(z.string()),
  notProven: z.array(z.string()),
  problems: z.array(z.string()),
  more: z.number().int(),
});
export type ManifestCheck = z.infer<typeof ManifestCheck>;

export const FORMAT_INFO: Record<ExportFormat, { label: string; extension: string; description: string }> = {
  csv: { label: 'CSV', extension: 'csv', description: 'One row per record; opens in any spreadsheet. Formula injection neutralized.' },
  jsonl: { label: 'JSONL', extension: 'jsonl', description: 'One redacted record per line, nested as in the archive, seal kept.' },
  xlsx: { label: 'Excel (XLSX)', extension: 'xlsx', description: 'A sheet of records and an "About this export" sheet. Never a formula.' },
  pdf: { label: 'PDF report', extension: 'pdf', description: 'A compliance report: verdict, statistics over all records, then a records table.' },
  parquet: { label: 'Parquet', extension: 'parquet', description: 'Typed columns for analytics tools (DuckDB, pandas, Spark).' },
};

const EXTRA_LABELS: Record<string, string> = {
  'integrity.seq': 'Seq',
  'integrity.record_hash': 'Record hash',
  'integrity.chain_hash': 'Chain hash',
  'errors[].error_class': 'Error classes',
  'errors[].severity': 'Error severities',
  'errors[].message': 'Error messages',
  'errors[].stage': 'Error stages',
  'ai_enrichment.processing_ms': 'AI processing ms',
  'ai_enrichment.confidence': 'AI confidence',
  'performance_metrics.memory_mb': 'Memory MB',
  'performance_metrics.cpu_pct': 'CPU %',
};

/**
 * A column's header in reports (PDF, XLSX): the wizard's label for the field, else words made from
 * the path's last member ("errors[].stack_trace" becomes "Errors: stack trace"). Reports also
 * give the record path of every column, so a label never has to carry it.
 */
export function columnLabel(path: string): string {
  const known = EXPORT_FIELDS.find((f) => f.path === path)?.label ?? EXTRA_LABELS[path];
  if (known) return known;
  const parts = path.split('.');
  const last = parts.at(-1)!.replace(/\[\]$/, '').replace(/_/g, ' ');
  const words = last.charAt(0).toUpperCase() + last.slice(1);
  const arrayOwner = parts.find((p) => p.endsWith('[]'));
  return arrayOwner && arrayOwner !== parts.at(-1) ? `${arrayOwner.slice(0, -2).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())}: ${last}` : words;
}
