// The query language: liqe's syntax narrowed to our AST; every syntax error has a position; hostile
// strings are harmless.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery, QuerySyntaxError } from '../../../src/main/services/query/parse-query';
import { globMatch, MAX_QUERY_LENGTH, type QueryNode } from '../../../src/shared/query';

function errorOf(q: string): QuerySyntaxError {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`"${q}" parsed without error`);
}

const strip = (n: QueryNode): unknown => JSON.parse(JSON.stringify(n, (k, v) => (k === 'field' ? v.path : v)));

describe('parseQuery', () => {
  it('resolves aliases and types values', () => {
    expect(strip(parseQuery('provider:openai'))).toEqual({ type: 'eq', field: 'ai_enrichment.provider', value: 'openai' });
    expect(strip(parseQuery('cost:>0.01'))).toEqual({ type: 'compare', field: 'ai_enrichment.cost_usd', op: 'gt', value: 0.01 });
    expect(strip(parseQuery('total_ms:[100 TO 200}'))).toMatchObject({ type: 'range', min: 100, max: 200, minInclusive: true, maxInclusive: false });
    expect(strip(parseQuery('gate:false'))).toEqual({ type: 'eq', field: 'brand_voice_analysis.gate_passed', value: false });
    expect(strip(parseQuery('error:Provider*'))).toEqual({ type: 'wildcard', field: 'errors[].error_class', pattern: 'Provider*' });
    expect(strip(parseQuery('status:*'))).toEqual({ type: 'exists', field: 'platform_publishing.status' });
    expect(strip(parseQuery('provider:null'))).toEqual({ type: 'not', child: { type: 'exists', field: 'ai_enrichment.provider' } });
    expect(strip(parseQuery('id:act_0123'))).toEqual({ type: 'eq', field: 'activation_id', value: 'act_0123' });
    // keyword values keep their text even when they look like numbers
    expect(strip(parseQuery('locale:007'))).toEqual({ type: 'eq', field: 'content_input.locale', value: '007' });
    expect(strip(parseQuery('processing_metadata.host:"a b"'))).toEqual({ type: 'eq', field: 'processing_metadata.host', value: 'a b' });
    expect(strip(parseQuery('platform_publishing.response.http_status:201'))).toMatchObject({ value: 201 });
  });

  it('bare words and phrases are free text; implicit AND; NOT and -', () => {
    expect(strip(parseQuery('timeout "rate limit"'))).toEqual({
      type: 'and',
      children: [
        { type: 'text', text: 'timeout' },
        { type: 'text', text: 'rate limit' },
      ],
    });
    expect(strip(parseQuery('-status:failed'))).toMatchObject({ type: 'not', child: { type: 'eq' } });
    expect(strip(parseQuery('a OR (b AND NOT c)'))).toMatchObject({ type: 'or', children: [{ type: 'text' }, { type: 'and' }] });
    expect(parseQuery('')).toEqual({ type: 'all' });
    expect(parseQuery('   ')).toEqual({ type: 'all' });
  });

  it('times round like date math: a day, an hour, an instant', () => {
    const day = parseQuery('timestamp:"2026-11-19"') as Extract<QueryNode, { type: 'range' }>;
    expect(day.max - day.min).toBe(86_400_000_000);
    expect(day.min).toBe(Date.parse('2026-11-19T00:00:00Z') * 1000);
    const after = parseQuery('timestamp:>"2026-11-19T08"') as Extract<QueryNode, { type: 'compare' }>;
    expect(after).toMatchObject({ op: 'gte', value: Date.parse('2026-11-19T09:00:00Z') * 1000 });
    const upto = parseQuery('ts:<="2026-11-19T08:15:00.5Z"') as Extract<QueryNode, { type: 'compare' }>;
    expect(upto).toMatchObject({ op: 'lt', value: Date.parse('2026-11-19T08:15:00.600Z') * 1000 });
  });

  it.each([
    ['a:b:c', 3],
    [')', 0],
    ['status:(failed OR blocked)', 7],
    ['NOT NOT a', 7],
    ['status:failed AND', 17],
    ['"unclosed phrase', 16],
    ['(status:failed', 14],
    ['status:', 7],
    ['total_ms:>', 10],
    ['x:/ab.*/', 2],
    ['__proto__:x', 0],
    ['total_ms:fast', 9],
    ['total_ms:12*', 9],
    ['status:[1 TO 2]', 7],
    ['timestamp:[1 TO 2]', 10],
    ['timestamp:>"yesterday"', 11],
    ['gate:>true', 4],
    ['gate:maybe', 5],
    ['quality:[0 TO', 13],
  ])('syntax error in %j is reported at %i', (q, pos) => {
    const e = errorOf(q);
    expect(e.position).toBe(pos);
    expect(e.message.length).toBeGreaterThan(10);
  });

  it('refuses queries that are too long, too deep or scan too much, with a position', () => {
    expect(errorOf('x'.repeat(MAX_QUERY_LENGTH + 1)).position).toBe(MAX_QUERY_LENGTH);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(errorOf(words).position).toBe(words.indexOf('w32'));
    const deep = '('.repeat(80) + 'a' + ')'.repeat(80);
    expect(errorOf(deep).message).toMatch(/nests deeper/);
  });

  it('hostile strings never throw anything but a positioned syntax error, and never hang', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (q) => {
        const started = performance.now();
        try {
          parseQuery(q);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
          const pos = (e as QuerySyntaxError).position;
          expect(pos).toBeGreaterThanOrEqual(0);
          expect(pos).toBeLessThanOrEqual(Math.max(q.length, MAX_QUERY_LENGTH));
        }
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'status:', '"', '(', ')', ' AND ', ' OR ', 'NOT ', '*', '?', '[', ' TO ', ']', '\\', ':>', '/', '.*', '$', '{', '}'), { maxLength: 40 }), (parts) => {
        const q = parts.join('');
        try {
          parseQuery(q);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('user text is never a regex: wildcards are globs, other characters are literal', () => {
    expect(globMatch('gpt.4*', 'gpt.4o')).toBe(true);
    expect(globMatch('gpt.4*', 'gptx4o')).toBe(false);
    expect(globMatch('(a+)+$', '(a+)+$')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    const started = performance.now();
    globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(20000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('free-text lower-casing', () => {
  it('the WebAssembly lower-casing folds exactly A-Z, at any alignment and length, and leaves its input alone', async () => {
    const { asciiLowerCopy } = await import('../../../src/main/services/query/lower-wasm');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 17 }), (bytes, shift) => {
        const backing = new Uint8Array(bytes.length + shift);
        backing.set(bytes, shift);
        const view = backing.subarray(shift);
        const lowered = asciiLowerCopy(view);
        const want = Array.from(bytes, (b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));
        expect(Array.from(lowered)).toEqual(want);
        expect(Array.from(view)).toEqual(Array.from(bytes));
      }),
      { numRuns: 300 },
    );
    // Every byte value, and a window larger than the module's memory so far (it grows).
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    expect(Array.from(asciiLowerCopy(all))).toEqual(Array.from(all, (b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)));
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 'AbC\u00c4');
    expect(asciiLowerCopy(big).equals(Buffer.from(big.toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase()), 'latin1'))).toBe(true);
  });
});
