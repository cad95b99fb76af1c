import type { FieldInfo } from '../../../../shared/record-search';

// Completion for the query bar: field names (and their short aliases) while a field is typed, and
// a few-valued field's values after its colon. Pure, so it is tested without a browser.

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** Replaces the text from `from` to `to`. */
  insert: string;
  /** A second, quieter line: the canonical path an alias stands for, or the field's type. */
  detail: string;
}

export interface Completion {
  from: number;
  to: number;
  items: Suggestion[];
}

const MAX_ITEMS = 8;
/** Characters of a field name (dotted paths, `errors[]`). */
const NAME_CHAR = /[A-Za-z0-9_.[\]]/;
const KEYWORDS = new Set(['and', 'or', 'not', 'to']);

/** Suggestions for the word at `caret`, or undefined when there is nothing to suggest. */
export function completeAt(query: string, caret: number, fields: readonly FieldInfo[]): Completion | undefined {
  // Inside a quoted value: nothing to complete.
  if ((query.slice(0, caret).match(/"/g) ?? []).length % 2 === 1) return undefined;
  let start = caret;
  while (start > 0 && NAME_CHAR.test(query[start - 1]!)) start--;
  let end = caret;
  while (end < query.length && NAME_CHAR.test(query[end]!)) end++;

  // `field:` just before the caret (after an optional comparison): complete its values.
  const before = query.slice(0, start);
  const valueOf = /([A-Za-z0-9_.[\]]+):(?:[<>]=?)?$/.exec(before);
  if (valueOf) return completeValue(valueOf[1]!, query.slice(start, caret), start, end, fields);

  const word = query.slice(start, caret);
  if (word.length === 0 || KEYWORDS.has(word.toLowerCase())) return undefined;
  if (start > 0 && query[start - 1] === ':') return undefined;
  const lower = word.toLowerCase();
  const ranked: { rank: number; item: Suggestion }[] = [];
  for (const f of fields) {
    for (const name of [...f.aliases, f.name]) {
      const n = name.toLowerCase();
      const rank = n.startsWith(lower) ? (name === f.name ? 1 : 0) : n.includes(lower) ? 2 : -1;
      if (rank < 0 || (n === lower && query[end] === ':')) continue;
      ranked.push({ rank, item: { label: name, insert: `${name}:`, detail: name === f.name ? f.type : f.name } });
    }
  }
  ranked.sort((a, b) => a.rank - b.rank || a.item.label.length - b.item.label.length || a.item.label.localeCompare(b.item.label));
  const seen = new Set<string>();
  const items = ranked.map((r) => r.item).filter((i) => !seen.has(i.label) && seen.add(i.label));
  if (items.length === 0) return undefined;
  // Typing the colon of an accepted field ends the name.
  return { from: start, to: end + (query[end] === ':' ? 1 : 0), items: items.slice(0, MAX_ITEMS) };
}

function completeValue(fieldName: string, typed: string, from: number, to: number, fields: readonly FieldInfo[]): Completion | undefined {
  const name = fieldName.toLowerCase();
  const field = fields.find((f) => f.name.toLowerCase() === name || f.aliases.some((a) => a.toLowerCase() === name));
  if (!field) return undefined;
  const values = field.type === 'boolean' ? ['true', 'false'] : field.values;
  const lower = typed.toLowerCase();
  const items = values
    .filter((v) => v.toLowerCase().startsWith(lower) && v.toLowerCase() !== lower)
    .slice(0, MAX_ITEMS)
    .map((v) => ({ label: v, insert: quoteValue(v), detail: field.name }));
  return items.length === 0 ? undefined : { from, to, items };
}

/** A value as the query language needs it: bare when it is a plain word, quoted otherwise. */
export function quoteValue(v: string): string {
  return /^[A-Za-z0-9_.@+-]+$/.test(v) && !KEYWORDS.has(v.toLowerCase()) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

/** The query with a suggestion applied, and where the caret goes. */
export function applySuggestion(query: string, completion: Completion, item: Suggestion): { query: string; caret: number } {
  const next = query.slice(0, completion.from) + item.insert + query.slice(completion.to);
  return { query: next, caret: completion.from + item.insert.length };
}
