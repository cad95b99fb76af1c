// RFC 8785 JSON Canonicalization Scheme (JCS).
// Written iteratively so that hostile nesting (10,000 levels and more) cannot overflow the stack.

export class CanonicalizationError extends Error {
  constructor(
    message: string,
    /** JSON-pointer-like path of the offending value, e.g. `content_input.body` */
    readonly path: string,
  ) {
    super(path ? `${message} at ${path}` : message);
    this.name = 'CanonicalizationError';
  }
}

// A lone surrogate makes a string invalid I-JSON (RFC 7493 §2.1), which JCS requires.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string, path: () => string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalizationError('string contains a lone surrogate (not I-JSON)', path());
  // ES JSON.stringify string escaping is exactly what RFC 8785 §3.2.2.2 prescribes.
  return JSON.stringify(s);
}

function serializeNumber(n: number, path: () => string): string {
  if (!Number.isFinite(n)) throw new CanonicalizationError(`number ${String(n)} cannot be represented in JSON`, path());
  // ES Number-to-string (RFC 8785 §3.2.2.3); String(-0) is "0" as required.
  return String(n);
}

function serializeKey(k: string, path: () => string): string {
  return serializeString(k, path);
}

/** UTF-16 code-unit order, as RFC 8785 §3.2.3 requires (the default sort of JS strings). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Frame =
  | { kind: 'array'; items: unknown[]; i: number; path: string }
  | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; i: number; path: string };

const MAX_DEPTH = 1_000_000;

/**
 * Canonical JSON text of a JSON value (the result of JSON.parse, or plain data).
 * Throws CanonicalizationError for values JSON cannot express (NaN, Infinity, lone surrogates,
 * undefined, functions, bigint, cycles).
 */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const seen = new Set<object>();

  const emitScalarOrOpen = (v: unknown, path: string): void => {
    const where = () => path;
    if (v === null) {
      out.push('null');
    } else if (typeof v === 'boolean') {
      out.push(v ? 'true' : 'false');
    } else if (typeof v === 'number') {
      out.push(serializeNumber(v, where));
    } else if (typeof v === 'string') {
      out.push(serializeString(v, where));
    } else if (Array.isArray(v)) {
      if (seen.has(v)) throw new CanonicalizationError('cyclic structure', path);
      if (stack.length >= MAX_DEPTH) throw new CanonicalizationError('nesting too deep', path);
      seen.add(v);
      out.push('[');
      stack.push({ kind: 'array', items: v, i: 0, path });
    } else if (typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (seen.has(obj)) throw new CanonicalizationError('cyclic structure', path);
      if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
        throw new CanonicalizationError('objects with toJSON are not plain JSON data', path);
      }
      if (stack.length >= MAX_DEPTH) throw new CanonicalizationError('nesting too deep', path);
      seen.add(obj);
      out.push('{');
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      keys.sort(compareKeys);
      stack.push({ kind: 'object', obj, keys, i: 0, path });
    } else {
      throw new CanonicalizationError(`${typeof v} is not a JSON value`, path);
    }
  };

  emitScalarOrOpen(value, '');
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'array') {
      if (top.i >= top.items.length) {
        out.push(']');
        seen.delete(top.items);
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      const idx = top.i++;
      const item = top.items[idx];
      emitScalarOrOpen(item === undefined ? null : item, `${top.path}[${idx}]`);
    } else {
      if (top.i >= top.keys.length) {
        out.push('}');
        seen.delete(top.obj);
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      const key = top.keys[top.i++]!;
      const childPath = top.path ? `${top.path}.${key}` : key;
      out.push(serializeKey(key, () => childPath), ':');
      emitScalarOrOpen(top.obj[key], childPath);
    }
  }
  return out.join('');
}

/** Canonical form of a record without its `integrity` member: what `record_hash` covers. */
export function canonicalizeWithout(record: Record<string, unknown>, omit: string): string {
  // A null prototype keeps a `__proto__` key an ordinary own member.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    if (k !== omit) copy[k] = record[k];
  }
  return canonicalize(copy);
}
