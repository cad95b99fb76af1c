// The WebAssembly field scanner must agree with the JS scanner (extract.ts, the reference) on every
// line: the same decision (scan or fall back to parsing) and, when it scans, the same values in the
// same order. Checked on generated records, on random canonical records and their mutations, and on
// numbers of every form; and the committed module must be what its source compiles to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Found, scanCanonical } from '../../../src/main/services/index/extract';
import { scanCanonicalWasm, scanRow } from '../../../src/main/services/index/scan-wasm';
import { ColumnsBuilder } from '../../../src/main/services/index/columns';
import { createRng, generateRecord } from '../../../src/main/services/gen/generator';
import { canonicalize } from '../../../src/shared/jcs';
// @ts-expect-error: a plain .mjs script without types
import { compile, moduleText, TARGETS } from '../../../scripts/build-wasm.mjs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { indexDayFile } from '../../../src/main/services/index/index-file';
import { decodeSegment } from '../../../src/main/services/index/segment';

type Outcome = false | { cols: number[]; values: unknown[] };

function js(line: Buffer): Outcome {
  const f = new Found();
  try {
    if (!scanCanonical(line, 0, line.length, f)) return false;
    // A null is no value for any column; the WebAssembly scanner leaves it out.
    const keep = f.values.map((v) => v !== null);
    return { cols: f.cols.filter((_, i) => keep[i]), values: f.values.filter((_, i) => keep[i]) };
  } catch {
    return false; // a broken escape in an indexed string: JSON.parse throws where the WASM side bails
  }
}

function wasm(line: Buffer, pad = 0): Outcome {
  // Embedded in a larger buffer, as lines are in an inflated chunk.
  const chunk = Buffer.concat([Buffer.alloc(pad, 0x7b), line, Buffer.from('\n{"x":1}')]);
  const f = new Found();
  return scanCanonicalWasm(chunk, pad, pad + line.length, f) ? { cols: [...f.cols], values: [...f.values] } : false;
}

function agree(line: Buffer | string): Outcome {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  const expected = js(bytes);
  const got = wasm(bytes, bytes.length % 7);
  expect(got, bytes.toString('utf8').slice(0, 300)).toStrictEqual(expected);
  if (expected) expected.values.forEach((v, i) => expect(Object.is(v, (got as { values: unknown[] }).values[i])).toBe(true));
  return expected;
}

const sealedTail = ',"integrity":{"chain_hash":"' + 'a'.repeat(64) + '","record_hash":"' + 'b'.repeat(64) + '","seq":7,"v":1}}';

describe('WebAssembly field scanner', () => {
  it('every committed WebAssembly module (scanner and seal) is the compiled form of its source', async () => {
    for (const target of TARGETS) {
      const text = moduleText(target, await compile(target.source));
      expect(await readFile(target.output, 'utf8'), `${target.output} is stale: run npm run build:wasm`).toBe(text);
    }
  }, 60_000);

  it('agrees with the JS scanner on generated records, sealed and not', () => {
    for (let i = 0; i < 300; i++) {
      const { record } = generateRecord(createRng(17, i), { index: i, atMicros: 1_763_600_000_000_000 + i * 1000, bodyKb: i % 3 });
      const canonical = canonicalize(record);
      const outcome = agree(canonical);
      expect(outcome).not.toBe(false);
      agree(canonical.slice(0, -1) + sealedTail);
    }
  });

  const indexedKeys = ['activation_id', 'timestamp', 'content_input', 'ai_enrichment', 'errors', 'brand_voice_analysis', 'suitable_for_training', 'platform_publishing', 'performance_metrics'];
  const hostileString = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('\\', '"', '\\"', 'a"b', '\u0000', '\u2028', '\ud83d\ude00', '}', ']', ',', '{"a":1}', 'x'.repeat(40)),
  );
  const scalar = fc.oneof(
    hostileString,
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 1e21, 1e22, 1e23, 2 ** 53, 0.1, 5e-324, 1.7976931348623157e308, 123456789012345680000),
    fc.boolean(),
    fc.constant(null),
  );
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('provider', 'model', 'x', 'error_class', 'severity', 'tokens', 'prompt', 'a b', 'é'), tie('v'), { maxKeys: 4 })),
  })).v;
  const record = fc.dictionary(fc.oneof(fc.constantFrom(...indexedKeys), fc.string({ maxLength: 6 })), value, { maxKeys: 8 });

  it('agrees on random canonical records', () => {
    fc.assert(
      fc.property(record, (r) => {
        let text: string;
        try {
          text = canonicalize(r);
        } catch {
          return; // not representable (lone surrogates): never a canonical line
        }
        agree(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees when long skipped objects and arrays hold brackets, quotes and escapes in their strings', () => {
    const tricky = fc
      .array(fc.constantFrom('{', '}', '[', ']', '"', '\\', '\\"', 'ab', 'x'.repeat(13), ',', ':', '\n', 'é'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.array(tie('v'), { maxLength: 8 }), fc.dictionary(tricky, tie('v'), { maxKeys: 5 })),
    })).v;
    fc.assert(
      fc.property(fc.array(nested, { minLength: 1, maxLength: 6 }), (values) => {
        // Keys sort around the indexed ones, so the scanner must skip each value to its exact end.
        const record: Record<string, unknown> = { activation_id: 'act_x', timestamp: '2026-11-20T00:00:00.000000Z' };
        values.forEach((v, i) => (record[`b${i}`] = v));
        record.content_input = { a_skipped: values, locale: 'de-DE' };
        agree(canonicalize(record));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on mutated lines (flipped, cut, inserted bytes)', () => {
    const base = Buffer.from(canonicalize(generateRecord(createRng(3, 1), { index: 1, atMicros: 1_763_600_000_000_000, bodyKb: 0 }).record), 'utf8');
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert', 'delete'), (at, byte, how) => {
        let line: Buffer;
        if (how === 'flip') (line = Buffer.from(base))[at] = byte;
        else if (how === 'cut') line = base.subarray(0, at);
        else if (how === 'insert') line = Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at)]);
        else line = Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
        agree(line);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads numbers of every form exactly as JSON.parse does', () => {
    const texts = ['0', '-0', '-0.0', '1', '12.5', '1e5', '1E+5', '1e-7', '0.000001', '123456789012345678901234567890', '9007199254740993', '1e400', '-1e-400', '2.2250738585072014e-308', '01', '1.', '.5', '-', '1e', '+1', '0x1f', 'Infinity', 'NaN', '1_000', ' 1'];
    for (const t of texts) agree(`{"performance_metrics":{"total_ms":${t}}}`);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = JSON.stringify(d);
        const out = agree(`{"performance_metrics":{"total_ms":${text}}}`);
        expect(out && Object.is(out.values[0], JSON.parse(text))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: -30, max: 30 }), (m, e) => {
        agree(`{"performance_metrics":{"total_ms":${m}e${e}}}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to parsing for a line with thousands of indexed values, and handles huge lines', () => {
    const errors = Array.from({ length: 5000 }, () => ({ error_class: 'E', severity: 'low' }));
    expect(wasm(Buffer.from(canonicalize({ errors })))).toBe(false);
    const big = canonicalize({ activation_id: 'act_1', content_input: { body: 'x'.repeat(3_000_000), locale: 'de-DE' } });
    expect(agree(big)).toStrictEqual({ cols: [0, 4], values: ['act_1', 'de-DE'] });
  });

  it('indexes a sealed line that is not JSON as a row without values instead of failing the build', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alog-scan-'));
    try {
      const prefix = '{"activation_id":"act_' + 'c'.repeat(32) + '","suitable_for_training":tru';
      const recordHash = createHash('sha256').update(prefix + '}').digest('hex');
      const line = prefix + ',"integrity":{"chain_hash":"' + '0'.repeat(64) + '","record_hash":"' + recordHash + '","seq":0,"v":1}}';
      const good = canonicalize({ activation_id: 'act_' + 'd'.repeat(32), suitable_for_training: true });
      const file = path.join(dir, 'activations-2026-11-20.jsonl');
      await writeFile(file, line + '\n' + good + '\n');
      const segmentPath = path.join(dir, 'seg.bin');
      const result = await indexDayFile(file, 'activations-2026-11-20.jsonl', {
        gzip: false,
        archiveSealed: true,
        identity: { size: 1, mtimeMs: 1, fingerprint: 'f' },
        segmentPath,
      });
      expect(result.records).toBe(2);
      const segment = decodeSegment(await readFile(segmentPath));
      const training = segment.columns.find((c) => c.field.path === 'suitable_for_training')!;
      expect(training.type === 'boolean' && [...training.values]).toStrictEqual([0, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds the same columns through its string cache as from parsed records, with files interleaved', () => {
    const lines = (seed: number, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const { record } = generateRecord(createRng(seed, i), { index: i, atMicros: 1_763_600_000_000_000 + i * 1000, bodyKb: 0 });
        const r = record as unknown as Record<string, unknown>;
        // Keywords that need escapes, and the same keyword escaped in one line and plain in others.
        if (i % 11 === 5) r.platform_publishing = { ...(r.platform_publishing as object), platform: 'x"y' };
        const text = canonicalize(r);
        if (i % 7 !== 3) return Buffer.from(text, 'utf8');
        return Buffer.from(text.replace(/"locale":"([a-z])/, (_, c: string) => `"locale":"\\u00${c.charCodeAt(0).toString(16)}`), 'utf8');
      });
    const files = [lines(5, 400), lines(6, 400)];
    const viaScan = [new ColumnsBuilder(), new ColumnsBuilder()];
    const viaParse = [new ColumnsBuilder(), new ColumnsBuilder()];
    let scanned = 0;
    // In blocks of 50 lines per file: the cache fills within a block and is emptied at each switch.
    for (let block = 0; block < 400; block += 50) {
      for (const f of [0, 1]) {
        for (let i = block; i < block + 50; i++) {
          const line = files[f]![i]!;
          viaScan[f]!.beginRow();
          if (scanRow(line, 0, line.length, viaScan[f]!)) scanned++;
          else viaScan[f]!.fromRecord(JSON.parse(line.toString('utf8')));
          viaScan[f]!.endRow();
          viaParse[f]!.beginRow();
          viaParse[f]!.fromRecord(JSON.parse(line.toString('utf8')));
          viaParse[f]!.endRow();
        }
      }
    }
    expect(scanned).toBe(800);
    for (const f of [0, 1]) expect(viaScan[f]!.finish()).toStrictEqual(viaParse[f]!.finish());
  });
});
