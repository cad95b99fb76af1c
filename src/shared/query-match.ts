// The meaning of a query on one parsed record, written plainly over JS values. The index answers
// from columns; this answers from the record itself. The workers use it for non-indexed paths, and
// the tests use it as the brute-force reference the index must agree with.
import { readIndexedValues } from './record-schema';
import { asciiLower, globMatch, timestampMicros, type FieldRef, type QueryNode } from './query';

export interface RecordPlace {
  file: string;
  line: number;
  verified: boolean;
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Values at a dotted path, stepping into arrays at any level (an array matches when any element does). */
export function readPathValues(record: unknown, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of spread(current)) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn(v, key)) continue;
      next.push((v as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return spread(current).filter((v) => v !== null && v !== undefined);
}

function spread(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack = [...values].reverse();
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else out.push(v);
  }
  return out;
}

/** Typed values of a field: what the index stores (wrong types count as absent). */
export function fieldValues(record: unknown, field: FieldRef, place: RecordPlace): unknown[] {
  switch (field.kind) {
    case 'pseudo':
      return [field.path === 'verified' ? place.verified : field.path === 'file' ? place.file : place.line];
    case 'path':
      return readPathValues(record, field.path);
    case 'indexed': {
      const raw = readIndexedValues(record, field.field.path);
      switch (field.field.type) {
        case 'keyword':
          return raw.filter((v) => typeof v === 'string');
        case 'boolean':
          return raw.filter((v) => typeof v === 'boolean');
        case 'number':
          return raw.filter((v) => typeof v === 'number' && Number.isFinite(v));
        case 'timestamp':
          return raw.map(timestampMicros).filter((v) => !Number.isNaN(v));
      }
    }
  }
}

function compare(a: number | string, op: 'gt' | 'gte' | 'lt' | 'lte', b: number | string): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/** Whether one value satisfies a field predicate (the field itself is not looked at). */
export function matchValue(node: QueryNode, v: unknown): boolean {
  switch (node.type) {
    case 'eq': {
      const want = node.value;
      if (typeof want === 'string') return typeof v === 'string' && v.toLowerCase() === want.toLowerCase();
      if (typeof want === 'number') return v === want || (typeof v === 'string' && v === String(want));
      return v === want || (typeof v === 'string' && v.toLowerCase() === String(want));
    }
    case 'wildcard':
      return typeof v === 'string' && globMatch(node.pattern.toLowerCase(), v.toLowerCase());
    case 'compare':
      if (typeof node.value === 'number') return typeof v === 'number' && compare(v, node.op, node.value);
      return typeof v === 'string' && compare(v.toLowerCase(), node.op, node.value.toLowerCase());
    case 'range':
      return (
        typeof v === 'number' &&
        (node.minInclusive ? v >= node.min : v > node.min) &&
        (node.maxInclusive ? v <= node.max : v < node.max)
      );
    case 'exists':
      return true;
    default:
      return false;
  }
}

/** Whether a field predicate holds for a record (any value matching is enough). */
export function matchField(node: QueryNode & { field: FieldRef }, record: unknown, place: RecordPlace): boolean {
  return fieldValues(record, node.field, place).some((v) => matchValue(node, v));
}

/** The whole query on one record; `line` is the record's raw JSON text (for free text). */
export function matchRecord(node: QueryNode, record: unknown, line: string, place: RecordPlace): boolean {
  switch (node.type) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((c) => matchRecord(c, record, line, place));
    case 'or':
      return node.children.some((c) => matchRecord(c, record, line, place));
    case 'not':
      return !matchRecord(node.child, record, line, place);
    case 'text':
      return asciiLower(line).includes(asciiLower(node.text));
    default:
      return matchField(node, record, place);
  }
}
