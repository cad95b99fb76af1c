import type { ExportFormat } from '../../../../shared/export-manifest';
import { FIELD_PRESETS, FORMAT_INFO, type ExportProfileChoice, type ExportScope, type ExportSetup, type FieldPresetId } from '../../../../shared/export-wizard';

// The export wizard's choices before they become a request: pure functions, so the rules (which
// scope, which columns, where the file goes) are tested without a browser.

/** What the Records screen hands the wizard: the query it shows and the rows selected in it. */
export interface ExportContext {
  query: string;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  /** The inclusive end as the user typed it ("Through"), for the report's wording. */
  through?: string;
  selectedIds: string[];
}

export const NO_CONTEXT: ExportContext = { query: '', selectedIds: [] };

export type ScopeKind = ExportScope['kind'];
export type ProfileDraft = { kind: 'named'; name: string } | { kind: 'custom'; text: string };

export interface ExportDraft {
  scope: ScopeKind;
  preset: FieldPresetId | 'custom';
  fields: string[];
  profile: ProfileDraft;
  format: ExportFormat;
  out: string;
  overwrite: boolean;
  bom: boolean;
  /** Who exports: signed into the manifest with the exporter key ('' until the default is known). */
  operator: string;
}

export const STEPS = [
  { id: 'scope', label: 'Scope' },
  { id: 'fields', label: 'Columns' },
  { id: 'profile', label: 'Redaction' },
  { id: 'format', label: 'Format' },
  { id: 'review', label: 'Review' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

export function presetFields(id: FieldPresetId): string[] {
  return [...FIELD_PRESETS.find((p) => p.id === id)!.fields];
}

/** The preset whose columns these are, in any order, or `custom`. */
export function presetOf(fields: readonly string[]): FieldPresetId | 'custom' {
  const set = new Set(fields);
  const match = FIELD_PRESETS.find((p) => p.fields.length === set.size && p.fields.every((f) => set.has(f)));
  return match?.id ?? 'custom';
}

/** The scope a fresh wizard starts with: the selected rows if there are any, else the query if there is one. */
export function initialScope(context: ExportContext): ScopeKind {
  if (context.selectedIds.length > 0) return 'rows';
  return context.query !== '' || context.from !== undefined || context.to !== undefined ? 'query' : 'all';
}

export function scopeOf(kind: ScopeKind, context: ExportContext): ExportScope {
  switch (kind) {
    case 'rows':
      return { kind: 'rows', activationIds: context.selectedIds };
    case 'query':
      return { kind: 'query', query: context.query, ...(context.from !== undefined ? { from: context.from } : {}), ...(context.to !== undefined ? { to: context.to } : {}), ...(context.to !== undefined && context.through ? { through: context.through } : {}) };
    case 'all':
      return { kind: 'all' };
  }
}

/** Columns for the request: the full-records preset leaves each format its default (whole records in JSONL). */
export function fieldsOf(draft: Pick<ExportDraft, 'preset' | 'fields'>): string[] | undefined {
  return draft.preset === 'full' ? undefined : draft.fields;
}

export function profileChoice(profile: ProfileDraft): ExportProfileChoice | undefined {
  if (profile.kind === 'named') return profile.name;
  try {
    const value: unknown = JSON.parse(profile.text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const KNOWN_EXTENSIONS = new Set(Object.values(FORMAT_INFO).map((f) => f.extension));

/** The path with the format's extension in place of a known export extension (or added). */
export function withExtension(path: string, format: ExportFormat): string {
  const ext = FORMAT_INFO[format].extension;
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  if (m && KNOWN_EXTENSIONS.has(m[1]!.toLowerCase())) return `${path.slice(0, m.index)}.${ext}`;
  return path.trim() === '' ? path : `${path}.${ext}`;
}

/** A file name that says what it holds: archive, date, format; characters file systems dislike replaced. */
export function defaultFileName(archiveName: string, format: ExportFormat, now = new Date()): string {
  const safe = archiveName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'archive';
  return `${safe}-export-${now.toISOString().slice(0, 10)}.${FORMAT_INFO[format].extension}`;
}

export function defaultDestination(setup: ExportSetup, format: ExportFormat, now = new Date()): string {
  const folder = setup.defaultFolder.endsWith(setup.separator) ? setup.defaultFolder : `${setup.defaultFolder}${setup.separator}`;
  return `${folder}${defaultFileName(setup.archiveName, format, now)}`;
}

export function initialDraft(context: ExportContext): ExportDraft {
  return {
    scope: initialScope(context),
    preset: 'compliance',
    fields: presetFields('compliance'),
    profile: { kind: 'named', name: 'external-auditor' },
    format: 'csv',
    out: '',
    overwrite: false,
    bom: false,
    operator: '',
  };
}

/** Records per second in the current phase of a run. */
export function phaseRate(done: number, phaseElapsedMs: number): number {
  return phaseElapsedMs > 0 ? (done * 1000) / phaseElapsedMs : 0;
}
