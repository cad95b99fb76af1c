import { z } from 'zod';
import { Digest } from './seal';

// The export contract: formats, what the export wizard (or `alog export`) asks for, the progress
// it reports, and the manifest written beside every export. The manifest lets a recipient check,
// without the archive, that the export file is the one described, that each involved day's digest
// was signed by a key they trust, and that every exported record sits in its day's signed Merkle
// tree (RFC 6962 inclusion proof). See docs/EXPORT.md.

export const EXPORT_FORMATS = ['csv', 'jsonl', 'xlsx', 'pdf', 'parquet'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const MANIFEST_SUFFIX = '.manifest.json';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The columns every tabular export starts with: they tie a row to its proof in the manifest. */
export const SEAL_COLUMNS = ['integrity.seq', 'integrity.record_hash'] as const;

export const ManifestRecord = z.strictObject({
  /** Position of the record in the export file (0-based, in file order). */
  row: z.number().int().nonnegative(),
  /** The record's seq and record_hash as sealed in the archive (null for an unsealed record). */
  seq: z.number().int().nonnegative().nullable(),
  record_hash: Hex64.nullable(),
  /** Its day (the digest it is proven against), its line in the day file, its leaf index in the day's tree. */
  date: IsoDate,
  line: z.number().int().positive(),
  leaf_index: z.number().int().nonnegative().nullable(),
  /** RFC 6962 audit path, leaf upwards, hex. Empty for a single-record day, or when `problem` is set. */
  proof: z.array(Hex64).max(64),
  /** Why this record cannot be proven (its content does not match its record_hash, its day's root differs, unsealed). */
  problem: z.string().optional(),
  /** Whether redaction changed any value of the record (absent in older manifests). */
  redacted: z.boolean().optional(),
});
export type ManifestRecord = z.infer<typeof ManifestRecord>;

export const ManifestDay = z.strictObject({
  date: IsoDate,
  /** The day file the records were read from. */
  file: z.string(),
  /** The day's signed digest, exactly as found in the archive; null when there is none (unsealed). */
  digest: Digest.nullable(),
  /** Leaves counted in the day file when exporting, and whether their root equalled the digest's. */
  leaves: z.number().int().nonnegative(),
  root_matches_digest: z.boolean(),
  /** Records of this day in the export. */
  exported: z.number().int().nonnegative(),
});
export type ManifestDay = z.infer<typeof ManifestDay>;

export const ManifestRule = z.strictObject({
  id: z.string(),
  kind: z.enum(['field', 'text', 'pattern']),
  action: z.string(),
  label: z.string().nullable(),
  description: z.string(),
  count: z.number().int().nonnegative(),
});

export const ExportManifest = z.strictObject({
  manifest: z.literal('activationlog-export'),
  version: z.literal(1),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  created_at: z.string(),
  export: z.strictObject({
    /** The export file's name, in the manifest's folder. */
    file: z.string().min(1),
    format: ExportFormat,
    bytes: z.number().int().nonnegative(),
    sha256: Hex64,
    /** Records written (for a PDF: selected; its table may show fewer, see `rows_shown`). */
    records: z.number().int().nonnegative(),
    columns: z.array(z.string()).nullable(),
    rows_shown: z.number().int().nonnegative().nullable(),
    bom: z.boolean(),
    /** JSONL of whole records (no --fields): each line can be hashed back to its record_hash. */
    whole_records: z.boolean().optional(),
  }),
  selection: z.strictObject({
    query: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** The inclusive end as the user chose it ("2026-11-07"), when `to` stands for one. */
    through: z.string().nullable().optional(),
    order: z.literal('archive'),
  }),
  profile: z.strictObject({
    name: z.string(),
    /** SHA-256 of JCS(definition). */
    sha256: Hex64,
    definition: z.record(z.string(), z.unknown()),
  }),
  redaction: z.strictObject({
    rules: z.array(ManifestRule),
    values_changed: z.number().int().nonnegative(),
    /** Distinct pseudonyms issued per label. */
    pseudonyms: z.record(z.string(), z.number().int().nonnegative()),
  }),
  archive: z.strictObject({
    path: z.string(),
    sealed: z.boolean(),
    days: z.array(ManifestDay),
  }),
  /** Who exported, and the key that signed this manifest (absent in unsigned, older manifests). */
  exported_by: z
    .strictObject({
      operator: z.string().max(200),
      key_id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex characters'),
      /** The exporter's public key (SPKI PEM), for information: it proves nothing unless the recipient trusts it. */
      public_key: z.string().max(1000),
    })
    .optional(),
  /** SHA-256 of the records, each as JCS(record) followed by a line feed, in order (signed manifests). */
  records_sha256: Hex64.optional(),
  /** Ed25519 signature (base64) by `exported_by.key_id` over JCS(this object without `records` and `signature`). */
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64').optional(),
  records: z.array(ManifestRecord),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

/** What an exporter signature covers: the manifest without its records (their hash stands in) and without the signature. */
export function signedManifestPart(m: Omit<ExportManifest, 'records'> & { records?: unknown }): Record<string, unknown> {
  const { records: _records, signature: _signature, ...rest } = m;
  return rest;
}

/** What an export asks for; the wizard builds one of these, `alog export` parses it from flags. */
export const ExportRequest = z.strictObject({
  query: z.string().max(10_000).default(''),
  from: z.string().optional(),
  to: z.string().optional(),
  /** How the user chose the end of the period (inclusive, as typed), for the report's wording only. */
  through: z.string().max(64).optional(),
  /**
   * Exactly these records (the wizard's "selected rows"); the manifest then gives the equivalent
   * query, `id:"…" OR id:"…"`, and `query`, `from` and `to` must be left empty.
   */
  activationIds: z.array(z.string().min(1).max(200)).min(1).max(100_000).optional(),
  format: ExportFormat,
  /** Destination file; its manifest goes beside it as FILE.manifest.json. */
  out: z.string().min(1),
  /** A built-in profile's name, or a custom profile file's path (the CLI) / content (the wizard). */
  profile: z.union([z.string(), z.record(z.string(), z.unknown())]).default('external-auditor'),
  /** Columns for tabular formats (dotted paths); for JSONL, the members kept. Default: see docs/EXPORT.md. */
  fields: z.array(z.string()).optional(),
  bom: z.boolean().default(false),
  overwrite: z.boolean().default(false),
  /** PDF only: rows shown in the record table (statistics always cover the whole selection). */
  pdfMaxRows: z.number().int().positive().max(100_000).default(2000),
}).refine((r) => r.activationIds === undefined || (r.query === '' && r.from === undefined && r.to === undefined && r.through === undefined), {
  message: 'give either activationIds or a query and time range, not both',
  path: ['activationIds'],
});
export type ExportRequest = z.input<typeof ExportRequest>;

export type ExportPhase = 'selecting' | 'verifying' | 'collecting' | 'writing' | 'finishing';

export interface ExportProgress {
  phase: ExportPhase;
  /** Records done in this phase, out of `total` selected (`verifying`: bytes of the archive verified). */
  done: number;
  total: number;
}
