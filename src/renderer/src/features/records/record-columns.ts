import type { RecordRow } from '../../../../shared/record-search';
import { inertTitle } from '../../ui/InertText';

// The Records grid's columns: every indexed field (by its canonical path, which is also the
// column id and the sort field), the record's place, and its seal state. Labels use the words of
// the pipeline's operators; the path is the header's tooltip.

export interface RecordSortSpec {
  field: string;
  dir: 'asc' | 'desc';
}

export type ColumnFormat = 'text' | 'id' | 'time' | 'ms' | 'usd' | 'score' | 'count' | 'boolean' | 'list' | 'file' | 'line' | 'integrity';

export interface RecordColumn {
  id: string;
  label: string;
  format: ColumnFormat;
  width: number;
  /** Shown until the user changes the column set. */
  visible: boolean;
  sortable: boolean;
}

const col = (id: string, label: string, format: ColumnFormat, width: number, visible = true, sortable = true): RecordColumn => ({
  id,
  label,
  format,
  width,
  visible,
  sortable,
});

export const INTEGRITY_COLUMN = 'integrity';

/** In their default order. */
export const RECORD_COLUMNS: readonly RecordColumn[] = [
  col(INTEGRITY_COLUMN, 'Seal', 'integrity', 58, true, false),
  col('timestamp', 'Time (UTC)', 'time', 214),
  col('activation_id', 'Activation ID', 'id', 150),
  col('platform_publishing.status', 'Status', 'text', 92),
  col('ai_enrichment.provider', 'Provider', 'text', 84),
  col('ai_enrichment.model', 'Model', 'text', 140),
  col('platform_publishing.platform', 'Platform', 'text', 92),
  col('processing_metadata.environment', 'Env', 'text', 96),
  col('performance_metrics.total_ms', 'Total ms', 'ms', 88),
  col('ai_enrichment.cost_usd', 'Cost USD', 'usd', 90),
  col('quality_assessment.overall_quality_score', 'Quality', 'score', 74),
  col('errors[].error_class', 'Errors', 'list', 200),
  col('file', 'File', 'file', 222),
  col('line', 'Line', 'line', 60),
  col('content_input.content_type', 'Type', 'text', 136, false),
  col('content_input.locale', 'Locale', 'text', 72, false),
  col('brand_voice_analysis.overall_score', 'Brand score', 'score', 92, false),
  col('brand_voice_analysis.gate_passed', 'Gate passed', 'boolean', 92, false),
  col('errors[].severity', 'Severity', 'list', 110, false),
  col('content_input.content_id', 'Content ID', 'id', 200, false),
  col('content_input.source', 'Source', 'text', 120, false),
  col('validation_results.is_valid', 'Valid input', 'boolean', 90, false),
  col('ai_enrichment.tokens.prompt', 'Prompt tokens', 'count', 110, false),
  col('ai_enrichment.tokens.completion', 'Completion tokens', 'count', 130, false),
  col('quality_assessment.success', 'Success', 'boolean', 80, false),
  col('suitable_for_training', 'Training', 'boolean', 80, false),
];

export const SORTABLE_COLUMNS: ReadonlySet<string> = new Set(RECORD_COLUMNS.filter((c) => c.sortable).map((c) => c.id));

/** A row's value for a column, as the query answered it. */
export function cellValue(row: RecordRow, id: string): unknown {
  if (id === 'file') return row.file;
  if (id === 'line') return row.line;
  if (id === INTEGRITY_COLUMN) return row.integrity;
  if (id === 'activation_id') return row.activation_id;
  if (id === 'timestamp') return row.timestamp;
  return row.fields[id] ?? null;
}

const grouped = new Intl.NumberFormat('en-US');
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Cell text; numbers keep a fixed number of decimals so their columns line up. */
export function formatCell(value: unknown, format: ColumnFormat): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number') {
    switch (format) {
      case 'ms':
        return oneDecimal.format(value);
      case 'usd':
        return value.toFixed(6);
      case 'score':
        return value.toFixed(3);
      case 'count':
      case 'line':
        return Number.isInteger(value) ? grouped.format(value) : String(value);
      default:
        return String(value);
    }
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  if (format === 'time') return formatRecordTime(text);
  return text;
}

/**
 * What a grid cell shows: the formatted value with invisible and direction-changing characters as
 * their code point labels (see InertText), or a dash for no value. ag-grid writes it as text.
 */
export function cellText(value: unknown, format: ColumnFormat): string {
  const text = formatCell(value, format);
  return text === '' ? '–' : inertTitle(text);
}

/** `2026-11-20T00:37:03.972426Z` as `2026-11-20 00:37:03.972426` (always UTC, so the Z is in the header). */
export function formatRecordTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(iso) ? iso.slice(0, -1).replace('T', ' ') : iso;
}

export function isNumericFormat(format: ColumnFormat): boolean {
  return format === 'ms' || format === 'usd' || format === 'score' || format === 'count' || format === 'line';
}
