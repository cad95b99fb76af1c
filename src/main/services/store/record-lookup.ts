// Lookups the Records screen needs that the query engine does not offer as such: the earlier
// attempt at the same content, and the field list for completion. Both read the index's columns
// directly (exact, case-sensitive matches; no query string is built from archive text).
import { FIELD_ALIASES, PSEUDO_FIELDS } from '../../../shared/query';
import type { RecordRef } from '../../../shared/record-detail';
import type { FieldInfo } from '../../../shared/record-search';
import { INDEXED_FIELDS } from '../../../shared/record-schema';
import type { ArchiveIndex, SegmentEntry } from '../index/archive-index';
import type { Dict, LoadedColumn } from '../index/segment';
import { columnValue } from '../query/query-engine';

const COLUMN = new Map(INDEXED_FIELDS.map((f, i) => [f.path, i]));
const TS_COL = COLUMN.get('timestamp')!;
const ID_COL = COLUMN.get('activation_id')!;
const CONTENT_COL = COLUMN.get('content_input.content_id')!;

/** Keyword fields with at most this many distinct values offer them for completion. */
const MAX_COMPLETION_VALUES = 40;

type KeywordColumn = Extract<LoadedColumn, { type: 'keyword' }>;

/** The 1-based code of exactly `value` in a case-insensitively sorted dictionary, or 0. */
function codeOf(dict: Dict, value: string): number {
  const lower = value.toLowerCase();
  const lo = dict.lowerBound((s) => s >= lower);
  const hi = dict.lowerBound((s) => s > lower);
  for (let c = lo; c < hi; c++) if (dict.value(c) === value) return c;
  return 0;
}

function keywordAt(seg: SegmentEntry, col: number, local: number): string | null {
  const v = columnValue(seg.segment.columns[col]!, local);
  return typeof v === 'string' ? v : null;
}

function timestampMicros(seg: SegmentEntry, local: number): number {
  return (seg.segment.columns[TS_COL] as { values: Float64Array }).values[local]!;
}

function refOf(seg: SegmentEntry, local: number): RecordRef {
  return {
    activationId: keywordAt(seg, ID_COL, local) ?? '',
    file: seg.file.name,
    line: seg.segment.rows.line[local]!,
    timestamp: (columnValue(seg.segment.columns[TS_COL]!, local) as string | null) ?? '',
  };
}

/**
 * The latest record before the one at `row` (by timestamp, then archive position) with the same
 * content_input.content_id: the previous attempt at publishing the same content.
 */
export function previousAttempt(index: ArchiveIndex, row: number): { contentId: string | null; previous: RecordRef | null } {
  const seg = index.segmentOf(row)!;
  const local = row - seg.base;
  const contentId = keywordAt(seg, CONTENT_COL, local);
  const ts = timestampMicros(seg, local);
  if (contentId === null || Number.isNaN(ts)) return { contentId, previous: null };
  let best: { seg: SegmentEntry; local: number; ts: number; row: number } | undefined;
  for (const s of index.segments) {
    const col = s.segment.columns[CONTENT_COL] as KeywordColumn;
    const code = codeOf(col.dict, contentId);
    if (code === 0) continue;
    for (let i = 0; i < s.rows; i++) {
      if (col.codes[i] !== code) continue;
      const t = timestampMicros(s, i);
      const r = s.base + i;
      if (Number.isNaN(t) || r === row) continue;
      const before = t < ts || (t === ts && r < row);
      const later = !best || t > best.ts || (t === best.ts && r > best.row);
      if (before && later) best = { seg: s, local: i, ts: t, row: r };
    }
  }
  return { contentId, previous: best ? refOf(best.seg, best.local) : null };
}

/** Indexed fields, their aliases and (for few-valued keywords) their values; then the pseudo-fields. */
export function fieldList(index: ArchiveIndex | undefined): FieldInfo[] {
  const aliases = new Map<string, string[]>();
  for (const [alias, path] of Object.entries(FIELD_ALIASES)) {
    if (alias.includes('.')) continue;
    aliases.set(path, [...(aliases.get(path) ?? []), alias]);
  }
  const fields: FieldInfo[] = INDEXED_FIELDS.map((f, col) => ({
    name: f.path,
    type: f.type,
    multi: f.multi,
    aliases: aliases.get(f.path) ?? [],
    values: index && f.type === 'keyword' ? fewValues(index, col) : [],
    pseudo: false,
  }));
  for (const [name, type] of Object.entries(PSEUDO_FIELDS)) {
    const values = name === 'file' && index ? index.segments.map((s) => s.file.name) : [];
    fields.push({ name, type, multi: false, aliases: [], values, pseudo: true });
  }
  return fields;
}

function fewValues(index: ArchiveIndex, col: number): string[] {
  const seen = new Map<string, string>();
  for (const seg of index.segments) {
    const dict = (seg.segment.columns[col] as { dict: Dict }).dict;
    if (dict.size > MAX_COMPLETION_VALUES) return [];
    for (let c = 1; c <= dict.size; c++) {
      // Keywords compare case-insensitively: offer each once.
      const v = dict.value(c);
      if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
      if (seen.size > MAX_COMPLETION_VALUES) return [];
    }
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}
