// The query language's narrow AST, its field aliases and the request/answer shapes of a query.
// Pure: the parser (liqe, in main) produces this AST; the UI may use the aliases and types.
import { z } from 'zod';
import { INDEXED_FIELDS, type IndexedField } from './record-schema';
import type { IntegrityClass } from './integrity-class';

/** A query longer than this is refused: the Earley parser is super-linear on long tokens. */
export const MAX_QUERY_LENGTH = 2000;
/** Free-text needles and non-indexed comparisons each cost a scan; more than this is refused. */
export const MAX_SCAN_PREDICATES = 32;
/** Nesting deeper than this is refused (keeps recursion bounded). */
export const MAX_QUERY_DEPTH = 64;

/**
 * Pseudo-fields that are not members of the record but of its place in the archive:
 * `verified` (no verification finding on the record), `file` (day file name), `line`.
 */
export type PseudoField = 'verified' | 'file' | 'line';

export type FieldRef =
  | { kind: 'indexed'; path: string; field: IndexedField }
  | { kind: 'pseudo'; path: PseudoField; type: 'boolean' | 'keyword' | 'number' }
  /** Any other dotted path: compared by scanning the candidate records. */
  | { kind: 'path'; path: string };

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';

export type QueryNode =
  | { type: 'all' }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** Case-insensitive equality (keywords), numeric/boolean equality otherwise. */
  | { type: 'eq'; field: FieldRef; value: string | number | boolean }
  /** Glob with `*` and `?`, case-insensitive; a pure prefix is `abc*`. */
  | { type: 'wildcard'; field: FieldRef; pattern: string }
  | { type: 'compare'; field: FieldRef; op: CompareOp; value: string | number }
  | { type: 'range'; field: FieldRef; min: number; max: number; minInclusive: boolean; maxInclusive: boolean }
  /** The field holds at least one value. */
  | { type: 'exists'; field: FieldRef }
  /** ASCII-case-insensitive substring of the record's raw JSON line. */
  | { type: 'text'; text: string };

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  /** Canonical path of an indexed field (aliases resolved), or a pseudo-field. */
  field: string;
  direction: SortDirection;
}

export interface QueryRequest {
  query: string;
  /** ISO-8601 instant, inclusive. */
  from?: string;
  /** ISO-8601 instant, exclusive. */
  to?: string;
  sort?: SortSpec;
  offset?: number;
  limit?: number;
}

/** The request as it crosses a process boundary (IPC, HTTP): validate with this before running it. */
export const QueryRequestSchema = z.object({
  query: z.string().max(MAX_QUERY_LENGTH),
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  sort: z.object({ field: z.string().max(200), direction: z.enum(['asc', 'desc']) }).optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(0).max(10_000).optional(),
});

export type IndexedValue = string | number | boolean | null | string[];

export interface QueryRow {
  activation_id: string;
  timestamp: string;
  file: string;
  line: number;
  /** The record is intact and its day signed by a trusted key (`integrity` is `verified`). */
  verified: boolean;
  integrity: IntegrityClass;
  /** Indexed fields by canonical path; multi-valued ones as arrays; absent ones null. */
  fields: Record<string, IndexedValue>;
}

export interface QueryResult {
  total: number;
  rows: QueryRow[];
  millis: number;
}

export interface QuerySyntaxIssue {
  message: string;
  /** 0-based character offset in the query where the problem is. */
  position: number;
}

/** Short names an investigator types, to the record paths they stand for. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = {
  id: 'activation_id',
  ts: 'timestamp',
  time: 'timestamp',
  content_id: 'content_input.content_id',
  content_type: 'content_input.content_type',
  type: 'content_input.content_type',
  locale: 'content_input.locale',
  source: 'content_input.source',
  valid: 'validation_results.is_valid',
  is_valid: 'validation_results.is_valid',
  provider: 'ai_enrichment.provider',
  model: 'ai_enrichment.model',
  prompt_tokens: 'ai_enrichment.tokens.prompt',
  completion_tokens: 'ai_enrichment.tokens.completion',
  cost: 'ai_enrichment.cost_usd',
  cost_usd: 'ai_enrichment.cost_usd',
  brand_score: 'brand_voice_analysis.overall_score',
  gate: 'brand_voice_analysis.gate_passed',
  gate_passed: 'brand_voice_analysis.gate_passed',
  platform: 'platform_publishing.platform',
  status: 'platform_publishing.status',
  env: 'processing_metadata.environment',
  environment: 'processing_metadata.environment',
  total_ms: 'performance_metrics.total_ms',
  latency: 'performance_metrics.total_ms',
  quality: 'quality_assessment.overall_quality_score',
  success: 'quality_assessment.success',
  error: 'errors[].error_class',
  error_class: 'errors[].error_class',
  'errors.error_class': 'errors[].error_class',
  severity: 'errors[].severity',
  'errors.severity': 'errors[].severity',
  training: 'suitable_for_training',
};

export const PSEUDO_FIELDS: Readonly<Record<PseudoField, 'boolean' | 'keyword' | 'number'>> = {
  verified: 'boolean',
  file: 'keyword',
  line: 'number',
};

const INDEXED_BY_PATH = new Map(INDEXED_FIELDS.map((f) => [f.path, f]));

// Field names are dotted identifiers; anything else (brackets, quotes, `__proto__`) is refused.
const SAFE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** Resolves a field name as typed (alias, canonical path, or any record path). Undefined when unusable. */
export function resolveField(name: string): FieldRef | undefined {
  if (Object.prototype.hasOwnProperty.call(PSEUDO_FIELDS, name)) {
    const p = name as PseudoField;
    return { kind: 'pseudo', path: p, type: PSEUDO_FIELDS[p] };
  }
  const aliased = Object.prototype.hasOwnProperty.call(FIELD_ALIASES, name) ? FIELD_ALIASES[name]! : name;
  const indexed = INDEXED_BY_PATH.get(aliased) ?? INDEXED_BY_PATH.get(aliased.replace(/^errors\./, 'errors[].'));
  if (indexed) return { kind: 'indexed', path: indexed.path, field: indexed };
  if (!SAFE_PATH.test(name) || name.length > 200) return undefined;
  if (name.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) return undefined;
  return { kind: 'path', path: name };
}

/** Fields a result can be sorted by: indexed fields (by alias or path) and `file`/`line`. */
export function resolveSortField(name: string): string | undefined {
  const ref = resolveField(name);
  if (!ref || ref.kind === 'path') return undefined;
  if (ref.kind === 'pseudo' && ref.path === 'verified') return undefined;
  return ref.path;
}

/** Micro-seconds since the epoch of an ISO-8601 instant or calendar prefix (`2026-11-19`, `2026-11-19T08`), with the length of the unit it names. */
export function parseInstant(text: string): { micros: number; unitMicros: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const base = Date.parse(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${zoneSuffix(zone)}`);
  if (!Number.isFinite(base)) return undefined;
  // Date.parse rolls 2026-02-30 over; refuse dates that do not exist.
  if (!zone || zone === 'Z') {
    const iso = new Date(base).toISOString();
    if (iso.slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  }
  let micros = base * 1000;
  let unitMicros: number;
  if (frac !== undefined) {
    micros += Math.floor(Number(frac.padEnd(6, '0').slice(0, 6)));
    unitMicros = frac.length >= 6 ? 1 : 10 ** (6 - frac.length);
  } else if (s !== undefined) unitMicros = 1_000_000;
  else if (mi !== undefined) unitMicros = 60_000_000;
  else if (h !== undefined) unitMicros = 3_600_000_000;
  else unitMicros = 86_400_000_000;
  return { micros, unitMicros };
}

function zoneSuffix(zone: string | undefined): string {
  if (!zone || zone === 'Z') return 'Z';
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}

/** Record timestamps (`2026-11-20T08:15:02.123456Z`) to micro-seconds; NaN when not an instant. */
export function timestampMicros(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  if (value.length === 27) {
    const fast = recordTimestampMicros(value);
    if (fast !== undefined) return fast;
  }
  const p = parseInstant(value);
  return p ? p.micros : NaN;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The exact record form `YYYY-MM-DDTHH:MM:SS.ffffffZ` without regexes or Date parsing (index hot path). */
function recordTimestampMicros(v: string): number | undefined {
  if (v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':' || v[19] !== '.' || v[26] !== 'Z') return undefined;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 7);
  const d = digits(v, 8, 10);
  const h = digits(v, 11, 13);
  const mi = digits(v, 14, 16);
  const sec = digits(v, 17, 19);
  const frac = digits(v, 20, 26);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || frac < 0) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1]!)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec) * 1000 + frac;
}

/** Micro-seconds back to the record form, e.g. 2026-11-20T08:15:02.123456Z. */
export function formatTimestampMicros(us: number): string {
  if (!Number.isFinite(us)) return '';
  const ms = Math.floor(us / 1000);
  const frac = us - Math.floor(us / 1_000_000) * 1_000_000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(frac).padStart(6, '0')}Z`;
}

/** ASCII-only lower-casing: what free text folds (bytes >= 0x80 compare exactly). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/** Case-insensitive glob (`*` any run, `?` one character) in linear-ish time without regexes. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === text[t])) {
      p++;
      t++;
    } else if (pc === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
