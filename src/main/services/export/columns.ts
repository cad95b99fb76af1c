// Columns of tabular exports (CSV, XLSX, Parquet, the PDF table): dotted paths into the redacted
// record, each with a value type so that Parquet gets typed columns. Nested values (objects,
// arrays, `[]` paths) become one JSON text cell.
import { FieldPath } from '../../../shared/redaction-profile';
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import { SEAL_COLUMNS } from '../../../shared/export-manifest';

export type ColumnType = 'string' | 'number' | 'integer' | 'boolean' | 'timestamp' | 'json';

export interface Column {
  /** The dotted path, also the column's header. */
  path: string;
  type: ColumnType;
  segments: string[];
}

/** Types of record fields beyond the indexed ones (activationlog-record.md). */
const KNOWN_TYPES: Record<string, ColumnType> = {
  'integrity.seq': 'integer',
  'integrity.record_hash': 'string',
  'integrity.chain_hash': 'string',
  'ai_enrichment.tokens.prompt': 'integer',
  'ai_enrichment.tokens.completion': 'integer',
  'ai_enrichment.processing_ms': 'number',
  'ai_enrichment.confidence': 'number',
  'performance_metrics.memory_mb': 'number',
  'performance_metrics.cpu_pct': 'number',
  'errors': 'json',
  'content_input.tags': 'json',
  'content_input.images': 'json',
  'training_labels': 'json',
};

for (const f of INDEXED_FIELDS) {
  if (f.path.includes('[]')) continue;
  if (KNOWN_TYPES[f.path]) continue;
  KNOWN_TYPES[f.path] = f.type === 'keyword' ? 'string' : f.type;
}

/** Default columns of CSV, XLSX and Parquet: the indexed fields, the personal-data fields (redacted), title and body. */
export { DEFAULT_TABLE_FIELDS } from '../../../shared/export-wizard';

/** Default columns of the PDF record table: narrow enough for a landscape page. */
export const DEFAULT_PDF_FIELDS = [
  'timestamp',
  'activation_id',
  'platform_publishing.status',
  'ai_enrichment.provider',
  'platform_publishing.platform',
  'performance_metrics.total_ms',
  'ai_enrichment.cost_usd',
  'errors[].error_class',
  'content_input.title',
];

export class ColumnSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ColumnSpecError';
  }
}

function segmentsOf(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    if (part.endsWith('[]')) out.push(part.slice(0, -2), '[]');
    else out.push(part);
  }
  return out;
}

export function columnFor(path: string): Column {
  const ok = FieldPath.safeParse(path);
  if (!ok.success || path.includes('*')) throw new ColumnSpecError(`"${path}" is not a field path (use dotted names such as content_input.title or errors[].error_class)`);
  const type: ColumnType = path.includes('[]') ? 'json' : (KNOWN_TYPES[path] ?? 'string');
  return { path, type, segments: segmentsOf(path) };
}

/** The seal columns first, then the chosen fields (duplicates and seal columns dropped from `fields`). */
export function tableColumns(fields: readonly string[] | undefined, fallback: readonly string[]): Column[] {
  const chosen = fields && fields.length > 0 ? fields : fallback;
  const seen = new Set<string>(SEAL_COLUMNS);
  const out = SEAL_COLUMNS.map(columnFor);
  for (const f of chosen) {
    const p = f.trim();
    if (!p || seen.has(p)) continue;
    seen.add(p);
    out.push(columnFor(p));
  }
  return out;
}

function valuesAt(v: unknown, segs: readonly string[], i: number, out: unknown[]): void {
  if (i === segs.length) {
    out.push(v);
    return;
  }
  const s = segs[i]!;
  if (s === '[]') {
    if (Array.isArray(v)) for (const e of v) valuesAt(e, segs, i + 1, out);
    return;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
  if (Object.prototype.hasOwnProperty.call(v, s)) valuesAt((v as Record<string, unknown>)[s], segs, i + 1, out);
}

/** The raw value at a column's path: undefined when absent; an array for `[]` paths. */
export function rawValue(record: unknown, col: Column): unknown {
  if (col.path.includes('[]')) {
    const out: unknown[] = [];
    valuesAt(record, col.segments, 0, out);
    return out;
  }
  let v: unknown = record;
  for (const s of col.segments) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s)) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/** A cell for text formats: strings as they are, numbers and booleans as values, anything nested as JSON, absent as null. */
export function cellValue(record: unknown, col: Column): string | number | boolean | null {
  const v = rawValue(record, col);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return col.type === 'json' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** Keeps only `fields` (and the seal) of a record, nested as in the record: the JSONL projection. */
export function projectRecord(record: unknown, fields: readonly string[]): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const out = Object.create(null) as Record<string, unknown>;
  for (const f of ['integrity', ...fields]) {
    const segs = f.split('.');
    let src: unknown = record;
    let dst = out;
    for (let i = 0; i < segs.length; i++) {
      const k = segs[i]!.replace(/\[\]$/, '');
      if (src === null || typeof src !== 'object' || Array.isArray(src) || !Object.prototype.hasOwnProperty.call(src, k)) break;
      const next = (src as Record<string, unknown>)[k];
      if (i === segs.length - 1 || segs[i]!.endsWith('[]')) {
        // The member itself, or a whole array a `[]` path walks into.
        dst[k] = next;
        break;
      }
      if (dst[k] === undefined || dst[k] === null || typeof dst[k] !== 'object') dst[k] = Object.create(null) as Record<string, unknown>;
      dst = dst[k] as Record<string, unknown>;
      src = next;
    }
  }
  return out;
}
