// `verify-export MANIFEST --archive ARCHIVE`: every exported cell against the archive's record,
// after the same redaction. The redaction is redone exactly as the export did it: the manifest's
// profile, the known values collected over the same records, and the records in the same order, so
// pseudonym numbers come out the same (they follow the order values are met, whatever the secret).
// The export file and the archive's day files are read side by side, a row at a time.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { canonicalize } from '../../../shared/jcs';
import { sha256Hex } from '../seal/crypto';
import { discoverArchive, type DayFile } from '../archive/layout';
import { profileFromJson } from '../redaction/profiles';
import { parseInstant } from '../../../shared/query';
import { columnFor, type Column } from './columns';
import { collectKnownValues } from './export-service';
import { readDayLines } from './day-lines';
import { neutralizeFormula } from './writers/csv';
import { EXACT_TEXT_SUFFIX, textCell } from './writers/xlsx';
import { csvRows, jsonlLines, parquetRows, xlsxRows } from './export-rows';
import { LineRedactor, type OutputSpec } from './record-processor';
import type { ExportSelection } from './selection';
import type { ExportManifestHeader } from './verify-export';

export interface ExportedPlace {
  date: string;
  line: number;
}

export interface CellDifference {
  row: number;
  seq: number | null;
  column: string;
  exported: string;
  archive: string;
}

export interface ArchiveComparison {
  checked: boolean;
  path: string;
  rows: number;
  cells: number;
  differing: number;
  /** The first differences (at most MAX_LISTED); `differing` counts all. */
  differences: CellDifference[];
  message: string;
}

const MAX_LISTED = 50;
const SHOWN_CHARS = 120;

/** A value as a message shows it: JSON-quoted, long ones shortened with their length said. */
function shown(v: unknown): string {
  if (v === undefined) return '(no cell)';
  let s = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : JSON.stringify(v) ?? String(v);
  if (s.length > SHOWN_CHARS) s = `${s.slice(0, SHOWN_CHARS)}… (${s.length} characters)`;
  return s;
}

function outputSpec(m: ExportManifestHeader): OutputSpec | null {
  const cols = m.export.columns;
  switch (m.export.format) {
    case 'csv':
    case 'xlsx':
      return cols ? { kind: 'cells', columns: cols, raw: false } : null;
    case 'parquet':
      return cols ? { kind: 'cells', columns: cols, raw: true } : null;
    case 'jsonl':
      return m.export.whole_records === false ? null : { kind: 'json' };
    case 'pdf':
      return null;
  }
}

/** Values a record holds (members of members, array elements): what "cells" means for JSONL. */
function leafCount(v: unknown): number {
  if (v === null || typeof v !== 'object') return 1;
  let n = 0;
  for (const x of Object.values(v as object)) n += leafCount(x);
  return Math.max(1, n);
}

/** Leaf paths where two JSON values differ (at most `limit`). */
function jsonDifferences(a: unknown, b: unknown, at: string, out: { path: string; a: unknown; b: unknown }[], limit: number): void {
  if (out.length >= limit) return;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      jsonDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k, out, limit);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: at || '(record)', a, b });
}

/** The cell the export writes for a value, in the form each reader gives it back. */
function expectedCell(format: 'csv' | 'xlsx' | 'parquet', col: Column, v: unknown, exactText: boolean): unknown {
  if (format === 'csv') {
    // What a CSV reader gives back of the writer's field (csvField): the text, formula-neutralized.
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return neutralizeFormula(v);
    return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
  }
  if (format === 'xlsx') {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') {
      if (col.type === 'timestamp' && !exactText) {
        const t = parseInstant(v);
        if (t) return new Date(Math.floor(t.micros / 1000)).toISOString();
      }
      return (textCell(v) as { richText: { text: string }[] }).richText[0]!.text;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  }
  // Parquet: the writer's typed values, compared as text.
  if (v === null || v === undefined) return null;
  if (col.type === 'timestamp') {
    // parquetjs reads TIMESTAMP_MICROS back as a Date: compared to the millisecond.
    const t = typeof v === 'string' ? parseInstant(v) : undefined;
    return t ? String(Math.floor(t.micros / 1000) * 1000) : null;
  }
  if (col.type === 'json') return JSON.stringify(v);
  if (col.type === 'string' && typeof v !== 'string') return JSON.stringify(v);
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? String(v) : null;
}

function normalizeRead(format: 'csv' | 'xlsx' | 'parquet', col: Column, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (format === 'csv') return v;
  if (format === 'xlsx') {
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === 'object' && 'richText' in v) return (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
    if (v !== null && typeof v === 'object' && 'text' in v) return (v as { text: string }).text;
    return v ?? null;
  }
  if (v === null) return null;
  if (col.type === 'timestamp') {
    if (v instanceof Date) return String(v.getTime() * 1000);
    return typeof v === 'bigint' ? String((v / 1000n) * 1000n) : String(Math.floor(Number(v) / 1000) * 1000);
  }
  return typeof v === 'bigint' ? v.toString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export async function compareWithArchive(opts: {
  archive: string;
  manifest: ExportManifestHeader;
  file: string;
  places: readonly ExportedPlace[];
  signal?: AbortSignal;
}): Promise<ArchiveComparison> {
  const m = opts.manifest;
  const root = path.resolve(opts.archive);
  const result: ArchiveComparison = { checked: false, path: root, rows: 0, cells: 0, differing: 0, differences: [], message: '' };
  const fail = (message: string): ArchiveComparison => ({ ...result, message });
  const spec = outputSpec(m);
  if (!spec) {
    return fail(
      m.export.format === 'pdf'
        ? 'a PDF is not read back cell by cell (its file hash covers it)'
        : m.export.format === 'jsonl'
          ? 'the JSONL holds chosen members only, which the manifest does not list'
          : 'the manifest lists no columns',
    );
  }
  let profile;
  try {
    profile = profileFromJson(m.profile.definition, 'the manifest\'s profile');
  } catch (e) {
    return fail(`the manifest's profile is not a valid profile: ${(e as Error).message}`);
  }
  if (sha256Hex(canonicalize(m.profile.definition)) !== m.profile.sha256) return fail('the manifest\'s profile does not hash to its profile.sha256: it was changed');
  const layout = await discoverArchive(root);
  const byDate = new Map<string, DayFile>(layout.dayFiles.map((f) => [f.date, f]));

  // The selection as the export made it: per day, the exported lines in order.
  const days: { file: DayFile; lines: number[] }[] = [];
  for (const p of opts.places) {
    const last = days.at(-1);
    if (last && last.file.date === p.date) {
      // The manifest is input like any other: its lines must be in file order for the side-by-side read.
      if (p.line <= last.lines.at(-1)!) return fail(`the manifest's records of ${p.date} are not in file order (line ${p.line} after line ${last.lines.at(-1)})`);
      last.lines.push(p.line);
      continue;
    }
    const file = byDate.get(p.date);
    if (!file) return fail(`the archive has no day file for ${p.date}`);
    if (days.some((d) => d.file.date === p.date)) return fail(`the manifest's records of ${p.date} are not together`);
    days.push({ file, lines: [p.line] });
  }
  const selection: ExportSelection = {
    total: opts.places.length,
    days: days.map((d) => ({ file: d.file, lines: Uint32Array.from(d.lines) })),
    stats: null as never,
  };
  const collector = await collectKnownValues(selection, profile, { signal: opts.signal });
  const redactor = new LineRedactor({
    profile,
    secret: randomBytes(32),
    names: collector.names.entries(),
    identifiers: collector.identifiers.entries(),
    output: spec,
  });
  const columns = spec.kind === 'cells' ? spec.columns.map(columnFor) : [];

  const format = m.export.format as 'csv' | 'xlsx' | 'parquet' | 'jsonl';
  const exported: AsyncIterator<Map<string, unknown> | { n: number; text: string }> =
    format === 'csv' ? csvRows(opts.file) : format === 'xlsx' ? xlsxRows(opts.file) : format === 'parquet' ? parquetRows(opts.file) : jsonlLines(opts.file);
  const differ = (d: CellDifference): void => {
    result.differing++;
    if (result.differences.length < MAX_LISTED) result.differences.push(d);
  };

  let row = 0;
  try {
    for (const day of selection.days) {
      let k = 0;
      for await (const batch of readDayLines(day.file.path, day.file.gzip, { signal: opts.signal })) {
        const last = batch.firstLine + batch.lines.length - 1;
        while (k < day.lines.length && day.lines[k]! <= last) {
          const lineNo = day.lines[k]!;
          k++;
          const { rows } = redactor.process({ lines: [batch.lines[lineNo - batch.firstLine]!], check: [null] });
          const expected = rows[0];
          const next = await exported.next();
          if (next.done) return { ...result, checked: true, message: `the file ends after ${row} row(s); the manifest lists ${opts.places.length}` };
          const seqOf = (): number | null => {
            const e = expected;
            if (spec.kind === 'json' && typeof e === 'string') return (JSON.parse(e) as { integrity?: { seq?: number } }).integrity?.seq ?? null;
            if (Array.isArray(e)) {
              const i = columns.findIndex((c) => c.path === 'integrity.seq');
              return typeof e[i] === 'number' ? (e[i] as number) : null;
            }
            return null;
          };
          if (expected === null || expected === undefined) {
            differ({ row, seq: null, column: '(record)', exported: 'a row', archive: `${day.file.name} line ${lineNo} is not a record` });
          } else if (spec.kind === 'json') {
            const text = (next.value as { text: string }).text;
            result.cells += leafCount(JSON.parse(expected as string));
            if (text !== expected) {
              let a: unknown;
              try {
                a = JSON.parse(text);
              } catch {
                a = text;
              }
              const found: { path: string; a: unknown; b: unknown }[] = [];
              jsonDifferences(a, JSON.parse(expected as string), '', found, 20);
              for (const f of found.length > 0 ? found : [{ path: '(line)', a: text, b: expected }]) {
                differ({ row, seq: seqOf(), column: f.path, exported: shown(f.a), archive: shown(f.b) });
              }
            }
          } else {
            const cells = next.value as Map<string, unknown>;
            const values = expected as unknown[];
            const f = format as 'csv' | 'xlsx' | 'parquet';
            columns.forEach((col, i) => {
              const variants = f === 'xlsx' && col.type === 'timestamp' ? [false, true] : [false];
              for (const exact of variants) {
                const key = exact ? `${col.path}${EXACT_TEXT_SUFFIX}` : col.path;
                const got = normalizeRead(f, col, cells.get(key));
                const want = expectedCell(f, col, values[i], exact);
                result.cells++;
                const same = f === 'csv' ? got === want || (got === '' && want === '') : JSON.stringify(got ?? null) === JSON.stringify(want ?? null);
                if (!same) differ({ row, seq: seqOf(), column: key, exported: shown(got), archive: shown(f === 'csv' ? want : values[i]) });
              }
            });
          }
          row++;
        }
        if (k >= day.lines.length) break;
      }
      if (k < day.lines.length) return { ...result, rows: row, message: `${day.file.name} has no line ${day.lines[k]}, which the manifest lists` };
    }
    const extra = await exported.next();
    if (!extra.done) return { ...result, checked: true, rows: row, message: `the file has more rows than the ${opts.places.length} the manifest lists` };
  } catch (e) {
    return fail(`reading failed: ${(e as Error).message}`);
  } finally {
    await exported.return?.(undefined);
  }
  result.rows = row;
  result.checked = true;
  result.message =
    result.differing === 0
      ? `all ${result.cells} cell(s) of ${row} row(s) equal the archive's records after the same redaction`
      : `${result.differing} cell(s) differ from the archive's records after the same redaction`;
  return result;
}

