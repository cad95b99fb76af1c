// Collects the values of a profile's known_values fields (author names, user ids) over the whole
// selection before anything is written, so that a name is found in the first record's text even
// when it is an author only in the last one. Reading happens on raw lines: the member holding the
// field is located by its key and only that small JSON value is parsed, not the 10-60 KB record.
import type { KnownValueSource } from '../../../shared/redaction-profile';
import { KnownIdentifiers, NameLexicon } from './detectors';

const NAME_LIKE = /^\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \u00a0]+[\p{L}\p{M}'’.-]+){0,5}$/u;
/** A member value larger than this is not what a known-value field holds: not parsed. */
const MAX_VALUE_CHARS = 64 * 1024;

interface CompiledSource {
  source: KnownValueSource;
  /** `"key":` of the member whose value is parsed (the field's parent object, or the field). */
  anchor: string | null;
  anchorBytes: Buffer | null;
  /** Path from the anchor's value down to the field. */
  rest: string[];
  /** The whole path, for parsed records. */
  all: string[];
}

function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    if (part.endsWith('[]')) out.push(part.slice(0, -2), '[]');
    else out.push(part);
  }
  return out;
}

function compile(source: KnownValueSource): CompiledSource {
  const all = pathSegments(source.path);
  const keys = all.map((s, i) => ({ s, i })).filter((x) => x.s !== '[]');
  const anchorAt = keys.length >= 2 ? keys[keys.length - 2]!.i : keys[0]!.i;
  const anchorKey = all[anchorAt]!;
  const anchor = anchorKey === '*' ? null : `${JSON.stringify(anchorKey)}:`;
  return { source, anchor, anchorBytes: anchor === null ? null : Buffer.from(anchor, 'utf8'), rest: all.slice(anchorAt + 1), all };
}

/** Every value at `segs` below `v` (`[]` spreads arrays, `*` any member). */
function valuesAt(v: unknown, segs: readonly string[], i = 0, out: unknown[] = []): unknown[] {
  if (i === segs.length) {
    out.push(v);
    return out;
  }
  const s = segs[i]!;
  if (s === '[]') {
    if (Array.isArray(v)) for (const e of v) valuesAt(e, segs, i + 1, out);
    return out;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  const obj = v as Record<string, unknown>;
  if (s === '*') {
    for (const k of Object.keys(obj)) valuesAt(obj[k], segs, i + 1, out);
  } else if (Object.prototype.hasOwnProperty.call(obj, s)) valuesAt(obj[s], segs, i + 1, out);
  return out;
}

interface CodeUnits {
  length: number;
  at(i: number): number;
}

/**
 * Index just past the JSON value starting at `i` (after optional spaces), or -1. Works on UTF-16
 * text and on UTF-8 bytes alike: every structural character of JSON is ASCII.
 */
function valueEnd(t: CodeUnits, i: number): number {
  while (t.at(i) === 32) i++;
  const c = t.at(i);
  if (c === 34) {
    for (let j = i + 1; j < t.length; j++) {
      const d = t.at(j);
      if (d === 92) j++;
      else if (d === 34) return j + 1;
    }
    return -1;
  }
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t.at(j);
      if (d === 34) {
        for (j++; j < t.length; j++) {
          const e = t.at(j);
          if (e === 92) j++;
          else if (e === 34) break;
        }
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (; j < t.length; j++) {
    const d = t.at(j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10) break;
  }
  return j > i ? j : -1;
}

export function jsonValueEnd(text: string, i: number): number {
  return valueEnd({ length: text.length, at: (k) => text.charCodeAt(k) }, i);
}

function bytesValueEnd(buf: Buffer, i: number): number {
  return valueEnd({ length: buf.length, at: (k) => buf[k]! }, i);
}

export class KnownValueCollector {
  readonly names = new NameLexicon();
  readonly identifiers = new KnownIdentifiers();
  private readonly sources: CompiledSource[];

  constructor(sources: readonly KnownValueSource[]) {
    this.sources = sources.map(compile);
  }

  get active(): boolean {
    return this.sources.length > 0;
  }

  private addValue(v: unknown, label: string): void {
    if (typeof v !== 'string' || v.length === 0) return;
    if (NAME_LIKE.test(v.trim())) this.names.add(v, label);
    else this.identifiers.add(v, label);
  }

  /** From a parsed record. */
  fromRecord(record: unknown): void {
    for (const s of this.sources) for (const v of valuesAt(record, s.all)) this.addValue(v, s.source.label);
  }

  /** From a record's raw line (UTF-8), decoding and parsing only the members that hold the fields. */
  fromLineBytes(line: Buffer): void {
    for (const s of this.sources) {
      if (s.anchorBytes === null) {
        this.fromLine(line.toString('utf8'));
        continue;
      }
      for (let at = line.indexOf(s.anchorBytes); at !== -1; at = line.indexOf(s.anchorBytes, at + 1)) {
        const start = at + s.anchorBytes.length;
        const end = bytesValueEnd(line, start);
        if (end === -1 || end - start > MAX_VALUE_CHARS) continue;
        let value: unknown;
        try {
          value = JSON.parse(line.toString('utf8', start, end));
        } catch {
          continue;
        }
        for (const v of valuesAt(value, s.rest)) this.addValue(v, s.source.label);
      }
    }
  }

  /** From a record's JSON text, parsing only the members that hold the fields. */
  fromLine(line: string): void {
    for (const s of this.sources) {
      if (s.anchor === null) {
        try {
          this.fromRecord(JSON.parse(line));
        } catch {
          // a malformed line holds no values we can trust
        }
        continue;
      }
      for (let at = line.indexOf(s.anchor); at !== -1; at = line.indexOf(s.anchor, at + 1)) {
        const start = at + s.anchor.length;
        const end = jsonValueEnd(line, start);
        if (end === -1 || end - start > MAX_VALUE_CHARS) continue;
        let value: unknown;
        try {
          value = JSON.parse(line.slice(start, end));
        } catch {
          continue;
        }
        for (const v of valuesAt(value, s.rest)) this.addValue(v, s.source.label);
      }
    }
  }
}
