// The wizard's before/after view of a record: every value redaction changed, with its place in the
// record, as short texts. Long strings are cut to a window around their first change, so an e-mail
// address pseudonymized in the middle of a body is what the reader sees.
import { SEAL_PATH } from '../../../shared/redaction-profile';
import type { PreviewChange } from '../../../shared/export-wizard';

/** Characters of context shown before a change in a long text, and the most shown of one side. */
const CONTEXT = 48;
const WINDOW = 220;
/** Characters of the before side's end looked for in the after side, to end both at the same text. */
const ANCHOR = 24;
/** Changes listed per record; the rest are counted. */
export const MAX_CHANGES = 40;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/** Both texts cut to the same window around their first difference. */
export function excerptPair(before: string, after: string): { before: string; after: string } {
  if (before.length <= WINDOW && after.length <= WINDOW) return { before, after };
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first++;
  const start = Math.max(0, first - CONTEXT);
  const endBefore = Math.min(before.length, start + WINDOW);
  // The after side ends where the same text does: found from the last words the before side shows.
  let endAfter = Math.min(after.length, start + WINDOW);
  if (endBefore < before.length) {
    const anchor = before.slice(Math.max(first, endBefore - ANCHOR), endBefore);
    const at = anchor.length >= ANCHOR / 2 ? after.indexOf(anchor, first) : -1;
    if (at >= 0) endAfter = at + anchor.length;
  } else endAfter = Math.min(after.length, start + WINDOW + WINDOW / 2);
  const cut = (s: string, end: number): string => `${start > 0 ? '…' : ''}${s.slice(start, end)}${s.length > end ? '…' : ''}`;
  return { before: cut(before, endBefore), after: cut(after, endAfter) };
}

/** `errors[0].message` → `errors[].message`: the form column paths take. */
function columnForm(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** Whether a change at `path` ends up in an export with these columns (absent: all of the record). */
export function inColumns(path: string, fields: readonly string[] | undefined): boolean {
  if (!fields) return true;
  const p = columnForm(path);
  return fields.some((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`) || f.startsWith(`${p}.`) || f.startsWith(`${p}[`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(before: unknown, after: unknown, path: string, out: PreviewChange[]): void {
  if (path === SEAL_PATH) return;
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (!Object.hasOwn(after, key)) out.push({ path: child, ...excerptPair(show(before[key]), ''), after: null });
      else walk(before[key], after[key], child, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((v, i) => walk(v, after[i], `${path}[${i}]`, out));
    return;
  }
  if (Object.is(before, after)) return;
  if (typeof before !== 'string' && typeof before === typeof after && JSON.stringify(before) === JSON.stringify(after)) return;
  out.push({ path, ...excerptPair(show(before), show(after)) });
}

/** What redaction changed in one record, split into changes the chosen columns show and the others. */
export function recordChanges(before: unknown, after: unknown, fields?: readonly string[]): { changes: PreviewChange[]; hidden: number } {
  const all: PreviewChange[] = [];
  walk(before, after, '', all);
  const shown = all.filter((c) => inColumns(c.path, fields));
  return { changes: shown.slice(0, MAX_CHANGES), hidden: all.length - shown.length + Math.max(0, shown.length - MAX_CHANGES) };
}
