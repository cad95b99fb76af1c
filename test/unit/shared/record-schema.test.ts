import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, generateRecord } from '../../../src/main/services/gen/generator';
import {
  ActivationRecord,
  INDEXED_FIELDS,
  MAX_VIOLATIONS,
  RECORD_TIMESTAMP_PATTERN,
  formatPath,
  readIndexedValues,
  validateRecord,
} from '../../../src/shared/record-schema';

const BASE_MICROS = Date.parse('2026-11-20T00:00:00Z') * 1000;

/** A generated record as the verifier sees it: the result of JSON.parse of a line. */
function parsedRecord(seed = 1, index = 0): Record<string, unknown> {
  const { record } = generateRecord(createRng(seed, index), { index, atMicros: BASE_MICROS + index * 1000, bodyKb: 1 });
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

/** First generated record (from seed 1 on) that satisfies `pred`. */
function recordWhere(pred: (r: Record<string, unknown>) => boolean): Record<string, unknown> {
  for (let seed = 1; seed < 5000; seed++) {
    const r = parsedRecord(seed);
    if (pred(r)) return r;
  }
  throw new Error('no generated record matched');
}

function at(obj: unknown, path: (string | number)[]): Record<string, unknown> {
  let cur = obj;
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k];
  return cur as Record<string, unknown>;
}

describe('validateRecord on valid records', () => {
  it('accepts generated records of every outcome', () => {
    const statuses = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const r = parsedRecord(7, i);
      expect(validateRecord(r)).toEqual([]);
      statuses.add(at(r, ['platform_publishing']).status as string);
    }
    expect([...statuses].sort()).toEqual(['blocked', 'failed', 'published']);
  });

  it('accepts a record with only the required sections', () => {
    const r = parsedRecord();
    const minimal = {
      activation_id: r.activation_id,
      timestamp: r.timestamp,
      content_input: r.content_input,
      platform_publishing: r.platform_publishing,
    };
    expect(validateRecord(minimal)).toEqual([]);
  });

  it('accepts null where the spec says nullable', () => {
    const r = recordWhere((x) => 'brand_voice_analysis' in x);
    at(r, ['brand_voice_analysis']).blocking_reason = null;
    at(r, ['platform_publishing']).campaign_id = null;
    r.training_labels = null;
    expect(validateRecord(r)).toEqual([]);
  });

  it('accepts an integrity member of the seal schema', () => {
    const r = parsedRecord();
    r.integrity = { v: 1, seq: 12, record_hash: 'a'.repeat(64), chain_hash: 'b'.repeat(64) };
    expect(validateRecord(r)).toEqual([]);
    r.integrity = { v: 2, seq: 12, record_hash: 'a'.repeat(64), chain_hash: 'b'.repeat(64) };
    expect(validateRecord(r).map((v) => v.path)).toEqual(['integrity.v']);
  });
});

describe('unknown fields', () => {
  it('are kept at every level, never stripped', () => {
    const r = recordWhere((x) => Array.isArray(x.errors) && x.errors.length > 0);
    r.future_section = { a: [1, 2, { b: null }] };
    at(r, ['content_input']).cms_revision = 42;
    at(r, ['content_input', 'author']).pronouns = 'they/them';
    at(r, ['ai_enrichment', 'tokens']).cached = 120;
    (r.errors as Record<string, unknown>[])[0]!.trace_id = 'abc';
    expect(validateRecord(r)).toEqual([]);
    const parsed = ActivationRecord.parse(r);
    expect(parsed.future_section).toEqual({ a: [1, 2, { b: null }] });
    expect(parsed.content_input.cms_revision).toBe(42);
    expect(parsed.content_input.author.pronouns).toBe('they/them');
    expect(parsed.ai_enrichment?.tokens.cached).toBe(120);
    expect(parsed.errors?.[0]?.trace_id).toBe('abc');
    // the generator's own extra member
    expect(typeof parsed.trace_id).toBe('string');
  });
});

describe('violations', () => {
  it('report a wrong type with its dotted path', () => {
    const r = recordWhere((x) => 'ai_enrichment' in x);
    at(r, ['ai_enrichment', 'tokens']).prompt = '1200';
    expect(validateRecord(r)).toEqual([{ path: 'ai_enrichment.tokens.prompt', message: expect.stringMatching(/number/) }]);
  });

  it('report array elements with an index', () => {
    const r = recordWhere((x) => Array.isArray(x.errors) && x.errors.length >= 3);
    (r.errors as Record<string, unknown>[])[2]!.severity = 3;
    expect(validateRecord(r).map((v) => v.path)).toEqual(['errors[2].severity']);
  });

  it('report a bad activation_id', () => {
    for (const bad of ['act_123', 'ACT_' + 'a'.repeat(32), 'act_' + 'A'.repeat(32), 'act_' + 'g'.repeat(32), 42]) {
      const r = parsedRecord();
      r.activation_id = bad;
      const v = validateRecord(r);
      expect(v).toHaveLength(1);
      expect(v[0]!.path).toBe('activation_id');
      expect(v[0]!.message.length).toBeGreaterThan(0);
    }
  });

  it('report token counts beyond 2^53 as they arrive from JSON.parse', () => {
    const r = recordWhere((x) => 'ai_enrichment' in x);
    const line = JSON.stringify(r).replace(/"prompt":\d+/, '"prompt":9007199254740993');
    const v = validateRecord(JSON.parse(line));
    expect(v.map((x) => x.path)).toEqual(['ai_enrichment.tokens.prompt']);
    at(r, ['ai_enrichment', 'tokens']).completion = 12.5;
    expect(validateRecord(r).map((x) => x.path)).toEqual(['ai_enrichment.tokens.completion']);
  });

  it('report a missing required section as missing', () => {
    for (const key of ['activation_id', 'timestamp', 'content_input', 'platform_publishing']) {
      const r = parsedRecord();
      delete r[key];
      const v = validateRecord(r);
      expect(v).toEqual([{ path: key, message: expect.stringMatching(/missing/) }]);
    }
  });

  it('report optional sections that are present but null or malformed', () => {
    const r = recordWhere((x) => 'ai_enrichment' in x && 'brand_voice_analysis' in x);
    r.ai_enrichment = null;
    at(r, ['brand_voice_analysis']).overall_score = 1.2;
    at(r, ['brand_voice_analysis', 'scores']).accessibility = -0.1;
    const paths = validateRecord(r).map((x) => x.path).sort();
    expect(paths).toEqual(['ai_enrichment', 'brand_voice_analysis.overall_score', 'brand_voice_analysis.scores.accessibility']);
  });

  it('report timestamps that are not UTC with micro-seconds', () => {
    for (const ts of ['2026-11-20T08:15:02.123Z', '2026-11-20T08:15:02.123456+00:00', '2026-11-20 08:15:02.123456Z', '2026-13-20T08:15:02.123456Z']) {
      const r = parsedRecord();
      r.timestamp = ts;
      expect(validateRecord(r).map((x) => x.path)).toEqual(['timestamp']);
    }
  });

  it('report a closed enum value outside the spec, but accept open ones', () => {
    const r = parsedRecord();
    at(r, ['content_input']).source = 'rss';
    at(r, ['content_input']).content_type = 'holo_message';
    at(r, ['platform_publishing']).platform = 'sendgrid';
    at(r, ['platform_publishing']).status = 'scheduled';
    expect(validateRecord(r).map((x) => x.path)).toEqual(['content_input.source']);
  });

  it('report a non-object record at the empty path', () => {
    for (const v of [null, [], 'record', 42, true, undefined]) {
      const out = validateRecord(v);
      expect(out).toHaveLength(1);
      expect(out[0]!.path).toBe('');
    }
  });

  it('list at most MAX_VIOLATIONS, then say how many more', () => {
    const r = parsedRecord();
    r.errors = Array.from({ length: 500 }, () => ({ severity: 1 }));
    const v = validateRecord(r);
    expect(v).toHaveLength(MAX_VIOLATIONS + 1);
    expect(v[MAX_VIOLATIONS]!.message).toMatch(/more violations/);
  });
});

describe('hostile input', () => {
  it('__proto__ keys are data, do not crash and pollute nothing', () => {
    const r = parsedRecord();
    const text = JSON.stringify(r)
      .replace('{', '{"__proto__":{"polluted":true,"activation_id":"x"},')
      .replace('"content_input":{', '"content_input":{"__proto__":{"polluted":true},')
      .replace('"factors":{', '"factors":{"__proto__":{"polluted":true},');
    const hostile = JSON.parse(text) as unknown;
    expect(Object.prototype.hasOwnProperty.call(hostile, '__proto__')).toBe(true);
    expect(() => validateRecord(hostile)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(readIndexedValues(hostile, 'activation_id')).toEqual([r.activation_id]);
    const proto = JSON.parse('{"__proto__":{"activation_id":"act_' + 'a'.repeat(32) + '"}}') as unknown;
    expect(readIndexedValues(proto, 'activation_id')).toEqual([]);
    expect(validateRecord(proto).map((x) => x.path)).toContain('activation_id');
  });

  it('HTML, bidi controls and odd keys are plain strings', () => {
    const r = parsedRecord();
    at(r, ['content_input']).title = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    at(r, ['content_input']).body = 'abc \u202Egnp.exe\u202C \u2066x\u2069 \u200F\u0000\uFEFF';
    r['<b>key</b>'] = '\u202E';
    r['a.b[0]'] = 1;
    expect(validateRecord(r)).toEqual([]);
    at(r, ['content_input']).tags = ['ok', 5];
    expect(validateRecord(r).map((x) => x.path)).toEqual(['content_input.tags[1]']);
  });

  it('deeply nested unknown members do not overflow the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const r = parsedRecord();
    r.deep = deep;
    expect(validateRecord(r)).toEqual([]);
  });

  it('odd keys in paths are quoted', () => {
    expect(formatPath(['quality_assessment', 'factors', 'a.b'])).toBe('quality_assessment.factors["a.b"]');
    expect(formatPath(['errors', 2, 'severity'])).toBe('errors[2].severity');
    expect(formatPath([])).toBe('');
  });

  it('arbitrary JSON values never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(Array.isArray(validateRecord(v))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fast path', () => {
  // validateRecord answers valid records from zod's compiled validator and invalid ones from the
  // runtime parser; both must agree on what is valid.
  const PATHS: (string | number)[][] = [
    ['activation_id'],
    ['timestamp'],
    ['content_input', 'locale'],
    ['content_input', 'tags'],
    ['content_input', 'source'],
    ['content_input', 'author'],
    ['validation_results', 'is_valid'],
    ['ai_enrichment'],
    ['ai_enrichment', 'tokens', 'prompt'],
    ['ai_enrichment', 'confidence'],
    ['brand_voice_analysis', 'blocking_reason'],
    ['platform_publishing', 'campaign_id'],
    ['platform_publishing', 'attempts'],
    ['platform_publishing', 'response'],
    ['performance_metrics', 'stages', 'vision_ms'],
    ['quality_assessment', 'factors'],
    ['errors'],
    ['training_labels'],
    ['suitable_for_training'],
    ['integrity'],
  ];
  it('agrees with the runtime parser on mutated records', () => {
    const base = recordWhere((x) => 'ai_enrichment' in x && 'brand_voice_analysis' in x);
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.oneof(fc.jsonValue(), fc.constant(undefined)), (path, value) => {
        const r = structuredClone(base);
        const parent = at(r, path.slice(0, -1));
        const key = path[path.length - 1]!;
        if (value === undefined) delete parent[key];
        else parent[key] = value;
        expect(validateRecord(r).length === 0).toBe(ActivationRecord.safeParse(r).success);
      }),
      { numRuns: 500 },
    );
  });
});

describe('INDEXED_FIELDS', () => {
  it('lists each path once', () => {
    const paths = INDEXED_FIELDS.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('activation_id');
    expect(paths).toContain('errors[].error_class');
    expect(INDEXED_FIELDS.find((f) => f.path === 'errors[].severity')?.multi).toBe(true);
    expect(INDEXED_FIELDS.find((f) => f.path === 'timestamp')?.multi).toBe(false);
  });

  it('finds a value of the declared type in a full record', () => {
    const r = recordWhere(
      (x) => 'brand_voice_analysis' in x && 'ai_enrichment' in x && Array.isArray(x.errors) && x.errors.length >= 2,
    );
    for (const f of INDEXED_FIELDS) {
      const values = readIndexedValues(r, f.path);
      expect(values.length, f.path).toBeGreaterThan(0);
      if (!f.multi) expect(values, f.path).toHaveLength(1);
      for (const v of values) {
        if (f.type === 'keyword') expect(typeof v, f.path).toBe('string');
        if (f.type === 'number') expect(typeof v, f.path).toBe('number');
        if (f.type === 'boolean') expect(typeof v, f.path).toBe('boolean');
        if (f.type === 'timestamp') expect(v, f.path).toMatch(RECORD_TIMESTAMP_PATTERN);
      }
    }
    expect(readIndexedValues(r, 'errors[].severity')).toHaveLength((r.errors as unknown[]).length);
  });

  it('reads nothing from absent or mistyped paths', () => {
    expect(readIndexedValues({}, 'ai_enrichment.tokens.prompt')).toEqual([]);
    expect(readIndexedValues({ errors: 'x' }, 'errors[].severity')).toEqual([]);
    expect(readIndexedValues({ ai_enrichment: [1] }, 'ai_enrichment.model')).toEqual([]);
    expect(readIndexedValues(null, 'activation_id')).toEqual([]);
  });
});
