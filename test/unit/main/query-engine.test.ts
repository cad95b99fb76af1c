// Property: over random archives, every random query gives the same total and the same page, in
// the same order, as a brute-force filter and sort over the parsed records.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchiveIndex, type ArchiveIndex } from '../../../src/main/services/index/archive-index';
import { compareKeywords } from '../../../src/main/services/index/columns';
import { QueryCancelledError, QueryEngine } from '../../../src/main/services/query/query-engine';
import { parseQuery } from '../../../src/main/services/query/parse-query';
import { WorkerPool } from '../../../src/main/services/workers/worker-pool';
import { parseInstant, resolveField, resolveSortField, type QueryNode, type SortSpec } from '../../../src/shared/query';
import { fieldValues, matchRecord } from '../../../src/shared/query-match';
import { WORKER_PATH } from './archive-fixture';
import { writeRandomArchive, type PlacedRecord, type RandomArchive } from './query-fixture';

const LEAVES = [
  'status:failed',
  'status:FAILED',
  'status:blocked',
  'provider:openai',
  'provider:OpenAI',
  'platform:mail*',
  'model:gpt-4*',
  'model:*mini',
  'locale:en-*',
  'locale:?e-DE',
  'env:production',
  'error:ProviderTimeoutError',
  'error:Platform*',
  'severity:warning',
  'gate:false',
  'success:true',
  'valid:false',
  'training:true',
  'total_ms:>5000',
  'total_ms:[100 TO 2000]',
  'total_ms:{100 TO 2000}',
  'cost:>=0.001',
  'cost:<0.0005',
  'cost:0',
  'quality:>0.9',
  'prompt_tokens:<=600',
  'brand_score:>0.7',
  'timestamp:>="2026-11-11"',
  'timestamp:<"2026-11-11T12:00"',
  'timestamp:>"2026-11-10T18"',
  'timestamp:<="2026-11-10"',
  'timestamp:"2026-11-10"',
  'id:act_1*',
  'content_id:manual*',
  'type:email_campaign',
  'source:manual',
  'status:*',
  'error:*',
  'provider:null',
  'status:>f',
  'locale:<=en-us',
  'file:activations-2026-11-10*',
  'line:<5',
  'processing_metadata.host:act-worker-prod*',
  'platform_publishing.response.http_status:201',
  'platform_publishing.response.http_status:>=201',
  'extra_field.nested.deep:berlin',
  'content_input.tags:vip',
  'content_input.author.name:*',
  'timeout',
  '"rate limit"',
  'berlin',
  'providertimeouterror',
  'ünïcødé',
  'mock',
  '"Published"',
];

const SORT_FIELDS = ['timestamp', 'total_ms', 'cost', 'status', 'provider', 'error', 'gate', 'file', 'line', 'quality', 'id', 'locale'];

const queryArb: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    tie('q').chain((a) => tie('q').map((b) => `(${a} AND ${b})`)),
    tie('q').chain((a) => tie('q').map((b) => `(${a} OR ${b})`)),
    tie('q').chain((a) => tie('q').map((b) => `${a} ${b}`)),
    tie('q').map((a) => `NOT (${a})`),
    fc.constantFrom(...LEAVES).map((a) => `-${a}`),
  ),
})).q;

const INSTANTS = [undefined, '2026-11-10', '2026-11-10T12:00:00Z', '2026-11-11', '2026-11-12T06:30'];

function bruteSelect(archive: RandomArchive, node: QueryNode, from?: string, to?: string): PlacedRecord[] {
  const lo = from ? parseInstant(from)!.micros : -Infinity;
  const hi = to ? parseInstant(to)!.micros : Infinity;
  const ts = resolveField('timestamp')!;
  return archive.records.filter((r) => {
    const place = { file: r.file, line: r.line, verified: true };
    if (from || to) {
      const t = fieldValues(r.record, ts, place)[0] as number | undefined;
      if (t === undefined || !(t >= lo && t < hi)) return false;
    }
    return matchRecord(node, r.record, r.text, place);
  });
}

function bruteSort(archive: RandomArchive, rows: PlacedRecord[], sort: SortSpec): PlacedRecord[] {
  const field = resolveSortField(sort.field)!;
  const ref = resolveField(field)!;
  const desc = sort.direction === 'desc';
  const tsRef = resolveField('timestamp')!;
  let rank: Map<string, number> | undefined;
  if (ref.kind === 'indexed' && ref.field.type === 'keyword') {
    const all = new Set<string>();
    for (const r of archive.records) for (const v of fieldValues(r.record, ref, { file: r.file, line: r.line, verified: true })) all.add(v as string);
    rank = new Map([...all].sort(compareKeywords).map((v, i) => [v, i]));
  }
  const keyOf = (r: PlacedRecord): number => {
    if (field === 'file') return archive.files.indexOf(r.file);
    if (field === 'line') return r.line;
    const values = fieldValues(r.record, ref, { file: r.file, line: r.line, verified: true });
    if (values.length === 0) return NaN;
    if (rank) {
      const ranks = values.map((v) => rank.get(v as string)!);
      return desc ? Math.max(...ranks) : Math.min(...ranks);
    }
    const v = values[0];
    return typeof v === 'boolean' ? (v ? 2 : 1) : (v as number);
  };
  const norm = (v: number) => (Number.isNaN(v) ? Infinity : desc ? -v : v);
  const keyed = rows.map((r) => ({
    r,
    k: norm(keyOf(r)),
    t: norm((fieldValues(r.record, tsRef, { file: r.file, line: r.line, verified: true })[0] as number | undefined) ?? NaN),
    p: desc ? -r.position : r.position,
  }));
  keyed.sort((a, b) => (a.k !== b.k ? (a.k < b.k ? -1 : 1) : a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.p - b.p));
  return keyed.map((x) => x.r);
}

describe('queries agree with a brute-force filter over random archives', () => {
  const pool = new WorkerPool(WORKER_PATH, 2);
  let tmp = '';
  const archives: { archive: RandomArchive; index: ArchiveIndex; engine: QueryEngine }[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-query-'));
    // Two archives with odd records (out-of-order and missing timestamps among them), one clean and
    // in time order (where time-sorted pages take the position-order shortcut).
    for (const [seed, share] of [[11, 0.5], [23, 0.5], [37, 0]] as const) {
      const archive = await writeRandomArchive(path.join(tmp, `a${seed}`), seed, 3, 70, share);
      const { index } = await openArchiveIndex(archive.dir, { pool, cacheRoot: path.join(tmp, 'cache') });
      archives.push({ archive, index, engine: new QueryEngine(index, pool) });
    }
  });

  afterAll(async () => {
    await pool.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('indexes every record', () => {
    for (const { archive, index } of archives) expect(index.records).toBe(archive.records.length);
  });

  it('same total and same page order for random queries, time ranges, sorts and pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        queryArb,
        fc.constantFrom(...INSTANTS),
        fc.constantFrom(...INSTANTS),
        fc.oneof(fc.constantFrom(...SORT_FIELDS), fc.constant('timestamp')),
        fc.boolean(),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 25 }),
        async (which, query, from, to, sortField, desc, offset, limit) => {
          const { archive, engine } = archives[which]!;
          const sort: SortSpec = { field: sortField, direction: desc ? 'desc' : 'asc' };
          const node = parseQuery(query);
          const expected = bruteSort(archive, bruteSelect(archive, node, from, to), sort);
          const got = await engine.query({ query, from, to, sort, offset, limit });
          expect(got.total, query).toBe(expected.length);
          const want = expected.slice(offset, offset + limit).map((r) => `${r.file}:${r.line}`);
          expect(
            got.rows.map((r) => `${r.file}:${r.line}`),
            `${query} sorted by ${sortField} ${sort.direction}`,
          ).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stats count the whole selection exactly', async () => {
    const { archive, engine } = archives[0]!;
    for (const query of ['', 'status:failed OR error:*', 'NOT provider:openai', 'timeout']) {
      const stats = await engine.stats({ query });
      const rows = bruteSelect(archive, parseQuery(query));
      expect(stats.total).toBe(rows.length);
      const status = resolveField('status')!;
      const byStatus: Record<string, number> = {};
      for (const r of rows) {
        const v = (fieldValues(r.record, status, { file: r.file, line: r.line, verified: true })[0] as string | undefined) ?? '(none)';
        byStatus[v] = (byStatus[v] ?? 0) + 1;
      }
      expect(stats.byStatus).toEqual(byStatus);
      const ms = rows
        .map((r) => fieldValues(r.record, resolveField('total_ms')!, { file: r.file, line: r.line, verified: true })[0] as number | undefined)
        .filter((v): v is number => v !== undefined)
        .sort((a, b) => a - b);
      if (ms.length > 0) {
        expect(stats.totalMs!.p50).toBe(ms[Math.ceil(0.5 * ms.length) - 1]);
        expect(stats.totalMs!.p99).toBe(ms[Math.ceil(0.99 * ms.length) - 1]);
      }
      const cost = rows.reduce((s, r) => s + ((fieldValues(r.record, resolveField('cost')!, { file: r.file, line: r.line, verified: true })[0] as number | undefined) ?? 0), 0);
      expect(stats.totals.costUsd).toBeCloseTo(cost, 9);
      const gate = rows.map((r) => fieldValues(r.record, resolveField('gate')!, { file: r.file, line: r.line, verified: true })[0]).filter((v) => v !== undefined);
      expect(stats.gate.evaluated).toBe(gate.length);
      expect(stats.gate.blocked).toBe(gate.filter((v) => v === false).length);
    }
  });

  it('a query replaced by a newer one is cancelled', async () => {
    const { engine } = archives[0]!;
    const first = engine.query({ query: 'timeout OR berlin' });
    const second = engine.query({ query: 'status:failed' });
    await expect(first).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await second).total).toBeGreaterThan(0);
  });

  it('another page, sort or the stats of a query reuse its selection; a cancelled one is not kept', async () => {
    const { index } = archives[1]!;
    const engine = new QueryEngine(index, pool);
    const scans = () => engine.select({ query: 'timeout OR berlin' }).then((s) => s.scannedBytes);
    // Cancelled while scanning: nothing kept, the next call scans again.
    const cancelled = engine.select({ query: 'timeout OR berlin' }, AbortSignal.abort());
    await expect(cancelled).rejects.toBeInstanceOf(QueryCancelledError);
    expect(await scans()).toBeGreaterThan(0);
    expect(await scans()).toBe(0);
    const page1 = await engine.query({ query: 'timeout OR berlin', limit: 5 });
    const page2 = await engine.query({ query: 'timeout OR berlin', sort: { field: 'total_ms', direction: 'desc' }, offset: 5, limit: 5 });
    expect(page2.total).toBe(page1.total);
    expect((await engine.stats({ query: 'timeout OR berlin' })).total).toBe(page1.total);
    // Another time range is another selection.
    const { archive } = archives[1]!;
    const ranged = await engine.select({ query: 'timeout OR berlin', from: '2026-11-11' });
    expect(ranged.total).toBe(bruteSelect(archive, parseQuery('timeout OR berlin'), '2026-11-11').length);
    expect(ranged.total).toBeLessThan(page1.total);
    // Eight more queries push it out; forgetSelections drops all.
    for (let k = 0; k < 8; k++) await engine.select({ query: `status:failed OR total_ms:>${k}` });
    expect(await scans()).toBeGreaterThan(0);
    engine.forgetSelections();
    expect(await scans()).toBeGreaterThan(0);
  });
});
