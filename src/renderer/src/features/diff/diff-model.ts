import { create, type Delta } from 'jsondiffpatch';
import { formatPath } from '../../../../shared/record-schema';

// A structural diff of two records as a tree of rows for side-by-side display. jsondiffpatch finds
// what changed (its delta); this module walks both records along that delta so every field is
// shown, unchanged ones included, and the React view renders the rows as text.

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface DiffNode {
  /** Member name or array index; null for the record itself. */
  key: string | number | null;
  /** Path in the record, e.g. `platform_publishing.attempts[1].status` (the right side's for array items). */
  path: string;
  status: DiffStatus;
  left: unknown;
  right: unknown;
  hasLeft: boolean;
  hasRight: boolean;
  /** Set when the row is an object or array on the side(s) it exists. */
  children?: DiffNode[];
  /** Changed, added or removed leaves at or below this row. */
  changes: number;
}

// Arrays are compared by position (a record's attempts and errors are ordered lists, not sets),
// moves are not looked for, and long strings are compared whole (no text-diff patches).
const differ = create({ arrays: { detectMove: false }, matchByPosition: true });

export function recordDelta(left: unknown, right: unknown): Delta {
  return differ.diff(left, right);
}

/**
 * Fields whose values differ between any two attempts by their nature (ids, times, trace ids,
 * hashes, the seal), so a diff can leave them out and show what actually changed.
 */
export function isVolatileKey(key: string): boolean {
  return (
    key === 'activation_id' ||
    key === 'timestamp' ||
    key === 'integrity' ||
    key === 'at' ||
    /_at$/.test(key) ||
    /(^|_)(trace|span|session|request|correlation)_id$/.test(key) ||
    /(^|_)hash$/.test(key) ||
    /_sha256$/.test(key)
  );
}

type Container = Record<string, unknown> | unknown[];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameKind(a: unknown, b: unknown): boolean {
  return (Array.isArray(a) && Array.isArray(b)) || (isObject(a) && isObject(b));
}

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

function entriesOf(v: Container): [string | number, unknown][] {
  return Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
}

export interface DiffOptions {
  hideVolatile: boolean;
}

/** The diff tree of two records along their jsondiffpatch delta. */
export function buildDiffTree(left: unknown, right: unknown, delta: Delta, opts: DiffOptions): DiffNode {
  return node(null, [], left, right, true, true, delta, opts);
}

function node(
  key: string | number | null,
  path: (string | number)[],
  left: unknown,
  right: unknown,
  hasLeft: boolean,
  hasRight: boolean,
  delta: Delta | undefined,
  opts: DiffOptions,
): DiffNode {
  const base = { key, path: formatPath(path), left, right, hasLeft, hasRight };
  if (!hasLeft || !hasRight) {
    const status: DiffStatus = hasLeft ? 'removed' : 'added';
    const value = hasLeft ? left : right;
    const children = isContainer(value)
      ? filtered(entriesOf(value), opts).map(([k, v]) => node(k, [...path, k], hasLeft ? v : undefined, hasRight ? v : undefined, hasLeft, hasRight, undefined, opts))
      : undefined;
    return { ...base, status, children, changes: children ? Math.max(1, sum(children)) : 1 };
  }
  if (delta === undefined) {
    const children = sameKind(left, right) ? sameChildren(path, left as Container, opts) : undefined;
    return { ...base, status: 'same', children, changes: 0 };
  }
  if (Array.isArray(delta) || !sameKind(left, right)) {
    // A replaced value ([old, new]), or a member that changed type.
    return { ...base, status: 'changed', changes: 1 };
  }
  const children = Array.isArray(left) ? arrayChildren(path, left, right as unknown[], delta as Record<string, Delta>, opts) : objectChildren(path, left as Record<string, unknown>, right as Record<string, unknown>, delta as Record<string, Delta>, opts);
  const changes = sum(children);
  return { ...base, status: changes > 0 ? 'changed' : 'same', children, changes };
}

function sameChildren(path: (string | number)[], value: Container, opts: DiffOptions): DiffNode[] {
  return filtered(entriesOf(value), opts).map(([k, v]) => node(k, [...path, k], v, v, true, true, undefined, opts));
}

function objectChildren(path: (string | number)[], left: Record<string, unknown>, right: Record<string, unknown>, delta: Record<string, Delta>, opts: DiffOptions): DiffNode[] {
  // The left record's order, then members only the right one has.
  const keys = [...Object.keys(left), ...Object.keys(right).filter((k) => !Object.hasOwn(left, k))];
  return keys
    .filter((k) => !(opts.hideVolatile && isVolatileKey(k)))
    .map((k) =>
      node(k, [...path, k], left[k], right[k], Object.hasOwn(left, k), Object.hasOwn(right, k), Object.hasOwn(delta, k) ? delta[k] : undefined, opts),
    );
}

/**
 * Aligns two arrays along an array delta (`_t: 'a'`): keys `_i` are items removed from the left
 * at index i, keys `j` are items of the right at index j, added (`[value]`) or changed (a nested
 * delta, or `[old, new]`). Items in neither are unchanged and pair up in order.
 */
function arrayChildren(path: (string | number)[], left: unknown[], right: unknown[], delta: Record<string, Delta>, opts: DiffOptions): DiffNode[] {
  const removed = new Set<number>();
  const added = new Set<number>();
  for (const [k, d] of Object.entries(delta)) {
    if (k === '_t') continue;
    if (k.startsWith('_')) {
      removed.add(Number(k.slice(1)));
      // A move (['', to, 3]) shows as removed here and added where it went.
      if (Array.isArray(d) && d[2] === 3) added.add(Number(d[1]));
    } else if (Array.isArray(d) && d.length === 1) added.add(Number(k));
  }
  const out: DiffNode[] = [];
  let li = 0;
  let ri = 0;
  while (li < left.length || ri < right.length) {
    if (li < left.length && (removed.has(li) || ri >= right.length)) {
      out.push(node(li, [...path, li], left[li], undefined, true, false, undefined, opts));
      li++;
    } else if (ri < right.length && (added.has(ri) || li >= left.length)) {
      out.push(node(ri, [...path, ri], undefined, right[ri], false, true, undefined, opts));
      ri++;
    } else {
      const d = Object.hasOwn(delta, String(ri)) ? delta[String(ri)] : undefined;
      out.push(node(ri, [...path, ri], left[li], right[ri], true, true, d, opts));
      li++;
      ri++;
    }
  }
  return out;
}

function filtered(entries: [string | number, unknown][], opts: DiffOptions): [string | number, unknown][] {
  return opts.hideVolatile ? entries.filter(([k]) => typeof k !== 'string' || !isVolatileKey(k)) : entries;
}

function sum(children: DiffNode[]): number {
  return children.reduce((n, c) => n + c.changes, 0);
}

/** The parts of two strings around their differing middle, for highlighting what changed inside a long value. */
export function splitChange(a: string, b: string): { prefix: string; left: string; right: string; suffix: string } {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a[p] === b[p]) p++;
  let s = 0;
  while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { prefix: a.slice(0, p), left: a.slice(p, a.length - s), right: b.slice(p, b.length - s), suffix: a.slice(a.length - s) };
}
