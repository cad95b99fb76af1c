import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalize, canonicalizeWithout } from '../../../src/shared/jcs';

// /work/main/test/unit/shared -> /work/shared/vectors (CI checks shared/ out beside the clone).
const VECTORS = path.resolve(__dirname, '../../../../shared/vectors');
const RFC8785 = path.join(VECTORS, 'rfc8785');

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Small seeded PRNG (mulberry32), so a key shuffle is reproducible from the fast-check seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Same JSON value with every object's members re-inserted in a random order (recursively). */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (!isObject(value)) return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  // Object.fromEntries defines own data properties, so a `__proto__` key stays a plain member.
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
}

/** JSON has a single zero: -0 serializes as 0, so compare parsed output against this. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
}

/** UTF-16 code-unit comparison written out by hand (independent of the `<` the implementation uses). */
function compareUtf16(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** A straightforward recursive JCS for well-formed, shallow input: the oracle for the properties. */
function referenceJcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceJcs).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(compareUtf16);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceJcs(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value); // numbers, strings, booleans, null: ES serialization is JCS's
}

function expectCanonicalizationError(fn: () => unknown, path: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CanonicalizationError);
  expect((thrown as CanonicalizationError).path).toBe(path);
}

/** IEEE-754 double from its 16-hex-digit bit pattern (RFC 8785 Appendix B notation). */
function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

// Keys chosen to trip up naive implementations: prototype names, emoji (surrogate pairs), and
// pairs whose UTF-16 order differs from their code-point order ('\u{10000}' < '\uffff' in UTF-16).
const trickyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'toJSON',
  '😀',
  '\u{1F602}',
  '\u{10000}',
  '\uffff',
  '\ue000',
  '\ud7ff',
  'é',
  'e\u0301',
  '',
  '1',
  '10',
  '2',
  '-1',
  '01',
);
const unicodeKey = fc.oneof(trickyKey, fc.string({ unit: 'binary', maxLength: 6 }));

const unicodeScalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

/** JSON values whose objects have unicode / prototype-ish keys, built as own data properties. */
const unicodeJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: unknown }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, unicodeScalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc
      .array(fc.tuple(unicodeKey, tie('value')), { maxLength: 8 })
      .map((entries) => Object.fromEntries(entries)),
  }),
).value;

const anyJson = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' }), unicodeJson);

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('RFC 8785 reference vectors', () => {
  const names = readdirSync(path.join(RFC8785, 'input'))
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('finds all six vectors', () => {
    expect(names).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
  });

  it.each(names)('%s: canonicalize(JSON.parse(input)) equals the output bytes exactly', (name) => {
    const input = readFileSync(path.join(RFC8785, 'input', name), 'utf8');
    const expected = readFileSync(path.join(RFC8785, 'output', name)); // raw bytes, no trailing newline
    const actual = Buffer.from(canonicalize(JSON.parse(input)), 'utf8');
    expect(actual.toString('hex')).toBe(expected.toString('hex'));
  });

  it.each(names)('%s: the output file agrees with its outhex twin (vector files are intact)', (name) => {
    const hex = readFileSync(path.join(RFC8785, 'outhex', name.replace(/\.json$/, '.txt')), 'utf8');
    const output = readFileSync(path.join(RFC8785, 'output', name));
    expect(output.toString('hex')).toBe(hex.replace(/\s+/g, ''));
  });
});

describe('number serialization (RFC 8785 §3.2.2.3 and Appendix B)', () => {
  it.each([
    ['1e21', '1e+21'],
    ['1e-7', '1e-7'],
    ['0.000001', '0.000001'],
    ['-0', '0'],
    ['5e-324', '5e-324'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['9007199254740993', '9007199254740992'],
    ['56.0', '56'],
    ['4.50', '4.5'],
    ['1E30', '1e+30'],
    ['333333333.33333329', '333333333.3333333'],
  ])('JSON text %s canonicalizes to %s', (text, expected) => {
    expect(canonicalize(JSON.parse(text))).toBe(expected);
    expect(canonicalize(JSON.parse(`[${text}]`))).toBe(`[${expected}]`);
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('IEEE-754 0x%s serializes as %s', (bits, expected) => {
    expect(canonicalize(doubleFromBits(bits))).toBe(expected);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s throws CanonicalizationError, naming its path', (_name, n) => {
    expectCanonicalizationError(() => canonicalize(n), '');
    expectCanonicalizationError(() => canonicalize({ a: { b: [1, n] } }), 'a.b[1]');
  });
});

describe('member ordering (UTF-16 code units, RFC 8785 §3.2.3)', () => {
  it('sorts by UTF-16 code unit, not by code point', () => {
    // U+10000 is \ud800\udc00 in UTF-16, which sorts before \uffff (code-point order says the opposite).
    expect(canonicalize({ '\uffff': 1, '\u{10000}': 2 })).toBe('{"\u{10000}":2,"\uffff":1}');
    expect(canonicalize({ '\ue000': 1, '😀': 2, '\ud7ff': 3 })).toBe('{"\ud7ff":3,"😀":2,"\ue000":1}');
  });

  it('sorts integer-like keys as strings, not in JS property order', () => {
    expect(canonicalize({ a: 0, 2: 0, 10: 0, 1: 0, '': 0 })).toBe('{"":0,"1":0,"10":0,"2":0,"a":0}');
  });

  it('ignores locale and normalization (é vs e + combining acute stay distinct)', () => {
    expect(canonicalize({ 'é': 1, 'e\u0301': 2, f: 3 })).toBe('{"e\u0301":2,"f":3,"é":1}');
  });
});

describe('properties', () => {
  it('matches a straightforward recursive reference implementation', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expect(canonicalize(value)).toBe(referenceJcs(value));
      }),
      { numRuns: 500 },
    );
  });

  it('is stable under recursive key reordering', () => {
    fc.assert(
      fc.property(anyJson, fc.integer(), (value, seed) => {
        expect(canonicalize(shuffleKeys(value, prng(seed)))).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('is stable under re-serialization: canonicalize(JSON.parse(c)) === c', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const c = canonicalize(value);
        expect(canonicalize(JSON.parse(c))).toBe(c);
      }),
      { numRuns: 500 },
    );
  });

  it('emits valid JSON that parses back deep-equal to the input (with -0 read as 0)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expect(JSON.parse(canonicalize(value))).toEqual(withoutNegativeZero(value));
      }),
      { numRuns: 500 },
    );
  });
});

describe('lone surrogates (not I-JSON)', () => {
  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a reversed pair', '\udc00\ud800'],
    ['a high surrogate before a normal char', 'x\ud83dy'],
    ['a pair followed by an extra low surrogate', '\ud83d\ude02\ude02'],
  ])('%s in a value throws with the value path', (_name, s) => {
    expectCanonicalizationError(() => canonicalize(s), '');
    expectCanonicalizationError(() => canonicalize({ a: [1, { b: s }] }), 'a[1].b');
  });

  it('in a key throws with the key path', () => {
    expectCanonicalizationError(() => canonicalize({ a: { '\ud800': 1 } }), 'a.\ud800');
  });

  it('coming from a JSON \\u escape is rejected too', () => {
    expectCanonicalizationError(() => canonicalize(JSON.parse('{"k":["ok","\\udead"]}')), 'k[1]');
  });

  it('a valid surrogate pair is emitted as the raw character', () => {
    expect(canonicalize(JSON.parse('"\\ud83d\\ude02"'))).toBe('"😂"');
  });
});

describe('hostile nesting', () => {
  const DEPTH = 10_000;

  it(`${DEPTH}-deep arrays do not overflow the stack`, () => {
    let value: unknown = 0;
    for (let i = 0; i < DEPTH; i++) value = [value];
    expect(canonicalize(value)).toBe(`${'['.repeat(DEPTH)}0${']'.repeat(DEPTH)}`);
  });

  it(`${DEPTH}-deep objects do not overflow the stack`, () => {
    let value: unknown = null;
    for (let i = 0; i < DEPTH; i++) value = { a: value };
    expect(canonicalize(value)).toBe(`${'{"a":'.repeat(DEPTH)}null${'}'.repeat(DEPTH)}`);
  });

  it(`${DEPTH}-deep mixed nesting from JSON.parse round-trips`, () => {
    const text = `${'{"k":['.repeat(DEPTH)}true${']}'.repeat(DEPTH)}`;
    expect(canonicalize(JSON.parse(text))).toBe(text);
  });

  it('rejects cycles but accepts shared (acyclic) references', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { back: cyclic };
    expectCanonicalizationError(() => canonicalize(cyclic), 'self.back');
  });
});

describe('canonicalizeWithout', () => {
  it('drops only the named member', () => {
    const record = JSON.parse('{"b":1,"integrity":{"v":1,"seq":0},"a":[2]}') as Record<string, unknown>;
    expect(canonicalizeWithout(record, 'integrity')).toBe('{"a":[2],"b":1}');
    expect(record).toHaveProperty('integrity'); // the input is not mutated
  });

  it('keeps a `__proto__` own key from JSON.parse as an ordinary member', () => {
    const record = JSON.parse('{"__proto__":{"polluted":true},"integrity":{"v":1},"z":0}') as Record<string, unknown>;
    expect(Object.keys(record)).toContain('__proto__');
    expect(canonicalizeWithout(record, 'integrity')).toBe('{"__proto__":{"polluted":true},"z":0}');
    expect(canonicalize(record)).toBe('{"__proto__":{"polluted":true},"integrity":{"v":1},"z":0}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('agrees with canonicalize of the record minus that key', () => {
    fc.assert(
      fc.property(fc.dictionary(unicodeKey, unicodeJson), unicodeKey, (record, omit) => {
        const rest = Object.fromEntries(Object.entries(record).filter(([k]) => k !== omit));
        expect(canonicalizeWithout(record, omit)).toBe(canonicalize(rest));
      }),
      { numRuns: 300 },
    );
  });
});
