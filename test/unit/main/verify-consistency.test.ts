import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSigningKey, generateRecord, createRng, formatMicros } from '../../../src/main/services/gen/generator';
import { PLANTABLE_WARNINGS } from '../../../src/main/services/gen/plant-warnings';
import { keyIdOf } from '../../../src/main/services/seal/crypto';
import { DaySealer, GENESIS, type ChainState } from '../../../src/main/services/seal/sealer';
import { INCONSISTENT_RECORD_RULES, TOTAL_MS_TOLERANCE } from '../../../src/main/services/verify/consistency-rules';
import { WARNINGS_KEPT_PER_FILE } from '../../../src/main/services/verify/consistency';
import { factsOfLine, factsOfRecord, RecordFacts, Status, timestampMicros } from '../../../src/main/services/verify/record-facts';
import { loadPublicKeyFile } from '../../../src/main/services/keys/keys';
import { createPublicKey } from 'node:crypto';
import { canonicalize } from '../../../src/shared/jcs';
import type { VerificationReport } from '../../../src/shared/verification-report';
import { allFindings, ArchiveFixture } from './archive-fixture';

/** Every warning of a report, with its file. */
function allWarnings(r: VerificationReport): { file: string; kind: string; rule?: string; line?: number }[] {
  return r.files.flatMap((f) => f.warnings.map((w) => ({ file: f.file, kind: w.kind, ...(w.rule ? { rule: w.rule } : {}), line: w.line })));
}

describe('records sealed that way by the generator: the seal is valid, only the warning appears', () => {
  const fx = new ArchiveFixture();
  beforeAll(() => fx.setup({ days: 3, perDay: 40, plantWarnings: [...PLANTABLE_WARNINGS] }));
  afterAll(() => fx.teardown());

  it('plants every kind and rule, each on its own record of the newest day', () => {
    expect(fx.summary.plantedWarnings.map((w) => w.rule ?? w.kind).sort()).toEqual([...PLANTABLE_WARNINGS].sort());
    expect(new Set(fx.summary.plantedWarnings.map((w) => w.line)).size).toBe(PLANTABLE_WARNINGS.length);
  });

  it.each([...PLANTABLE_WARNINGS])('%s', async (kind) => {
    const r = await fx.verify(fx.base);
    // Sealed as written: no finding, every file valid, the archive verified.
    expect(allFindings(r)).toEqual([]);
    expect(r.summary.ok).toBe(true);
    expect(r.files.every((f) => f.status === 'valid')).toBe(true);
    const planted = fx.summary.plantedWarnings.find((w) => (w.rule ?? w.kind) === kind)!;
    const at = allWarnings(r).filter((w) => w.file === planted.file && w.line === planted.line);
    expect(at).toEqual([{ file: planted.file, kind: planted.kind, ...(planted.rule ? { rule: planted.rule } : {}), line: planted.line }]);
  });

  it('raises nothing but the planted warnings, and counts them in the summary', async () => {
    const r = await fx.verify(fx.base);
    expect(allWarnings(r).map((w) => `${w.file}:${w.line}`).sort()).toEqual(fx.summary.plantedWarnings.map((w) => `${w.file}:${w.line}`).sort());
    expect(r.summary.warnings).toBe(PLANTABLE_WARNINGS.length);
    expect(r.summary.warningsByKind).toEqual({ timestamp_out_of_order: 1, wrong_day_file: 1, inconsistent_record: INCONSISTENT_RECORD_RULES.length });
  });

  it('the tolerance: a step back of a minute is no warning under --skew 120', async () => {
    const r = await fx.verify(fx.base, { completeness: { skewSeconds: 120 } });
    expect(allWarnings(r).map((w) => w.kind)).not.toContain('timestamp_out_of_order');
    expect(r.summary.skewSeconds).toBe(120);
    const strict = await fx.verify(fx.base, { completeness: { skewSeconds: 59 } });
    expect(allWarnings(strict).filter((w) => w.kind === 'timestamp_out_of_order')).toHaveLength(1);
  });

  it('with --schema all every record is parsed, and the warnings are the same', async () => {
    const fast = await fx.verify(fx.base);
    const parsed = await fx.verify(fx.base, { schema: 'all' });
    expect(parsed.files.map((f) => f.warnings)).toEqual(fast.files.map((f) => f.warnings));
  });
});

describe('a clean generated archive', () => {
  const fx = new ArchiveFixture();
  beforeAll(() => fx.setup({ days: 4, perDay: 150 }));
  afterAll(() => fx.teardown());

  it('raises no warning', async () => {
    const r = await fx.verify(fx.base);
    expect(allWarnings(r)).toEqual([]);
    expect(r.summary.warnings).toBe(0);
  });
});

describe('an unsealed archive (every record parsed)', () => {
  const fx = new ArchiveFixture();
  beforeAll(() => fx.setup({ days: 2, perDay: 40, sealed: false, plantWarnings: ['wrong_day_file', 'mock_cost'] }));
  afterAll(() => fx.teardown());

  it('gets the same warnings', async () => {
    const r = await fx.verify(fx.base, { trustedKeys: [] });
    expect(r.summary.verdict).toBe('unsealed');
    expect(allWarnings(r).map((w) => w.rule ?? w.kind).sort()).toEqual(['mock_cost', 'wrong_day_file']);
  });
});

describe('timestamps across day files, and the per-file cap', () => {
  // Small records sealed by hand: the fast path does not schema-check them, and they are cheap.
  let tmp = '';
  let dir = '';
  const fx = new ArchiveFixture();
  beforeAll(async () => {
    await fx.setup({ days: 1, perDay: 1 });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-consistency-'));
    dir = path.join(tmp, 'archive');
    await mkdir(path.join(dir, 'digests'), { recursive: true });
    await mkdir(path.join(dir, 'keys'), { recursive: true });
    const key = deriveSigningKey(99);
    const pub = createPublicKey(key);
    await writeFile(path.join(dir, 'keys', `${keyIdOf(pub)}.pem`), pub.export({ type: 'spki', format: 'pem' }));
    const days: [string, string[]][] = [
      // The 19th's last record is dated the 20th at noon: wrong_day_file there, and the 20th's first
      // record (00:30) steps back 11.5 hours across the files.
      ['2026-11-19', ['2026-11-19T08:00:00.000000Z', '2026-11-19T09:00:00.000000Z', '2026-11-20T12:00:00.000000Z']],
      ['2026-11-20', ['2026-11-20T00:30:00.000000Z', '2026-11-20T13:00:00.000000Z']],
      // More misdated records than a file keeps warnings for.
      ['2026-11-21', Array.from({ length: WARNINGS_KEPT_PER_FILE + 25 }, () => '2026-11-22T01:00:00.000000Z')],
    ];
    let state: ChainState = GENESIS;
    let n = 0;
    for (const [date, stamps] of days) {
      const name = `activations-${date}.jsonl`;
      const sealer = new DaySealer(name, date, state);
      const text = stamps.map((timestamp) => sealer.sealLine({ activation_id: `act_${(n++).toString(16).padStart(32, '0')}`, timestamp })).join('');
      await writeFile(path.join(dir, name), text);
      const { digest, next } = sealer.digest(key);
      await writeFile(path.join(dir, 'digests', `activations-${date}.digest.json`), JSON.stringify(digest));
      state = next;
    }
    fx.trusted = await loadPublicKeyFile(path.join(dir, 'keys', `${keyIdOf(pub)}.pem`));
  });
  afterAll(async () => {
    await fx.teardown();
    await rm(tmp, { recursive: true, force: true });
  });

  it('the first record of a day is compared with the last of the day before', async () => {
    const r = await fx.verify(dir);
    expect(r.summary.ok).toBe(true);
    const early = allWarnings(r).filter((w) => w.file !== 'activations-2026-11-21.jsonl');
    expect(early).toEqual([
      { file: 'activations-2026-11-19.jsonl', kind: 'wrong_day_file', line: 3 },
      { file: 'activations-2026-11-20.jsonl', kind: 'timestamp_out_of_order', line: 1 },
    ]);
    expect(r.files[1]!.warnings[0]!.message).toMatch(/41400\.000 s earlier than that of the last record of activations-2026-11-19\.jsonl \(line 3\)/);
  });

  it(`keeps ${WARNINGS_KEPT_PER_FILE} warnings of a file and counts the rest by kind`, async () => {
    const r = await fx.verify(dir);
    const f = r.files.find((x) => x.file === 'activations-2026-11-21.jsonl')!;
    expect(f.warnings).toHaveLength(WARNINGS_KEPT_PER_FILE);
    expect(f.omittedWarnings).toEqual([{ kind: 'wrong_day_file', count: 25, firstLine: WARNINGS_KEPT_PER_FILE + 1, lastLine: WARNINGS_KEPT_PER_FILE + 25 }]);
    expect(r.summary.warningsByKind.wrong_day_file).toBe(WARNINGS_KEPT_PER_FILE + 25 + 1);
  });
});

function facts(partial: Partial<Omit<RecordFacts, 'attempts' | 'stageMs' | 'clear'>> & { attempts?: number[]; stageMs?: number[] }): RecordFacts {
  const f = new RecordFacts();
  const { attempts, stageMs, ...rest } = partial;
  Object.assign(f, rest);
  if (attempts) f.attempts.push(...attempts);
  stageMs?.forEach((v, i) => (f.stageMs[i] = v));
  return f;
}

describe('the rules of inconsistent_record, one by one', () => {
  const rule = (id: string) => INCONSISTENT_RECORD_RULES.find((r) => r.id === id)!;
  const cases: [string, RecordFacts, RecordFacts][] = [
    ['published_gate_blocked', facts({ status: Status.Published, gatePassed: false, attempts: [1] }), facts({ status: Status.Blocked, gatePassed: false })],
    ['success_with_failed_status', facts({ status: Status.Failed, success: true }), facts({ status: Status.Failed, success: false })],
    [
      'total_below_stages',
      facts({ totalMs: 100, stageMs: [50, 40, NaN, 20.5, NaN] }),
      facts({ totalMs: 110.5 - TOTAL_MS_TOLERANCE, stageMs: [50, 40, NaN, 20.5, NaN] }),
    ],
    ['mock_cost', facts({ mockProvider: true, costUsd: 0.01 }), facts({ mockProvider: true, costUsd: 0 })],
    ['attempts_not_sequential', facts({ attempts: [1, 3] }), facts({ attempts: [1, 2, 3] })],
    ['published_without_attempt', facts({ status: Status.Published, attempts: [] }), facts({ status: Status.Published, attempts: [1] })],
  ];

  it('every rule has a case here', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(INCONSISTENT_RECORD_RULES.map((r) => r.id).sort());
  });

  it.each(cases)('%s: broken by the first record, not by the near miss', (id, broken, fine) => {
    expect(rule(id).breaks(broken)).toBe(true);
    expect(rule(id).message(broken)).toMatch(/\w{10}/);
    expect(rule(id).breaks(fine)).toBe(false);
    // No other rule fires on the broken record: each warning names one contradiction.
    expect(INCONSISTENT_RECORD_RULES.filter((r) => r.breaks(broken)).map((r) => r.id)).toEqual([id]);
  });

  it('a fact the record lacks never triggers a rule', () => {
    expect(INCONSISTENT_RECORD_RULES.filter((r) => r.breaks(new RecordFacts()))).toEqual([]);
  });
});

describe('record facts', () => {
  it('timestamps: the ISO-8601 UTC form only, with real calendar days', () => {
    expect(timestampMicros('2026-11-20T08:15:02.123456Z')).toBe(Date.parse('2026-11-20T08:15:02.123Z') * 1000 + 456);
    expect(timestampMicros('2026-11-20T08:15:02Z')).toBe(Date.parse('2026-11-20T08:15:02Z') * 1000);
    expect(timestampMicros('2028-02-29T00:00:00.5Z')).toBe(Date.parse('2028-02-29T00:00:00.5Z') * 1000);
    // Years below 100 (Date.UTC would read 50 as 1950).
    expect(timestampMicros('0050-01-01T00:00:00Z')).toBe(new Date(0).setUTCFullYear(50, 0, 1) * 1000);
    for (const bad of ['2027-02-29T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20 08:15:02Z', '2026-11-20T08:15:02+01:00', '2026-11-20T08:15:02.Z', '2026-11-20T08:15:02.1234567890Z', 'x'.repeat(27)]) {
      expect(timestampMicros(bad), bad).toBeNaN();
    }
  });

  // A record's facts read from its canonical line's bytes are exactly those of the parsed record,
  // whatever the members hold (the right types, wrong types, nulls, nesting, escapes, absence).
  const anyValue = fc.oneof(
    fc.constantFrom('published', 'failed', 'blocked', 'mock', 'openai', '2026-11-20T08:15:02.123456Z', 'pub\\lished', 'mo"ck'),
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant({ nested: [1, { x: 'y' }] }),
    fc.constant([1, 2]),
  );
  const PATHS = [
    ['timestamp'],
    ['platform_publishing', 'status'],
    ['platform_publishing', 'attempts'],
    ['brand_voice_analysis', 'gate_passed'],
    ['quality_assessment', 'success'],
    ['performance_metrics', 'total_ms'],
    ['performance_metrics', 'stages', 'vision_ms'],
    ['performance_metrics', 'stages', 'publishing_ms'],
    ['ai_enrichment', 'provider'],
    ['ai_enrichment', 'cost_usd'],
  ];
  // Small records are scanned whole; large ones (over 8 KiB) by their head and tail only.
  const generated = (seed: number) =>
    generateRecord(createRng(seed), { index: seed, atMicros: Date.parse('2026-11-20T10:00:00Z') * 1000, bodyKb: seed % 2 === 0 ? 0.3 : 24 }).record as unknown as Record<string, unknown>;
  // Members named like the cuts the head-and-tail reading looks for, nested where they can mislead it.
  const DECOYS = ['content_input', 'performance_metrics', 'platform_publishing', 'timestamp', 'ai_enrichment'];
  const decoyPlaces = (r: Record<string, unknown>) => [r.ai_enrichment, (r.errors as unknown[] | undefined)?.[0], r.validation_results, r.content_input, r.processing_metadata];

  it('from the line and from the parsed record agree (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: PATHS.length - 1 }), anyValue, fc.boolean()), { maxLength: 6 }),
        fc.array(fc.oneof(fc.record({ attempt: anyValue }), anyValue), { maxLength: 4 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(...DECOYS), anyValue), { maxLength: 3 }),
        (seed, edits, attempts, decoys) => {
          const record = generated(seed);
          for (const [place, key, value] of decoys) {
            const target = decoyPlaces(record)[place];
            if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[key] = { [key]: value, status: 'published' };
          }
          for (const [p, value, remove] of edits) {
            const keys = PATHS[p]!;
            let obj = record as Record<string, unknown>;
            for (const k of keys.slice(0, -1)) {
              if (obj[k] === null || typeof obj[k] !== 'object' || Array.isArray(obj[k])) obj[k] = {};
              obj = obj[k] as Record<string, unknown>;
            }
            const last = keys.at(-1)!;
            if (remove) delete obj[last];
            else obj[last] = last === 'attempts' ? attempts : value;
          }
          const line = Buffer.from(canonicalize(record));
          const fromLine = new RecordFacts();
          const fromRecord = new RecordFacts();
          expect(factsOfLine(line, 0, line.length, fromLine)).toBe(true);
          factsOfRecord(JSON.parse(line.toString()) as Record<string, unknown>, fromRecord);
          expect(fromLine).toEqual(fromRecord);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a line not in canonical form is left to the parser', () => {
    const record = generated(5);
    const spaced = Buffer.from(JSON.stringify(record, null, 1).replace(/\n/g, ''));
    expect(factsOfLine(spaced, 0, spaced.length, new RecordFacts())).toBe(false);
    const line = Buffer.from(canonicalize(record));
    expect(line.length).toBeGreaterThan(8192); // read by its head and tail
    const f = new RecordFacts();
    expect(factsOfLine(line, 0, line.length, f)).toBe(true);
    expect(f.timestamp).toBe(timestampMicros(record.timestamp as string));
    expect(formatMicros(f.timestamp)).toBe(record.timestamp);
  });
});
