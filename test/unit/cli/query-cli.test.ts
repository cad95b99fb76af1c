// `alog index`, `alog query`, `alog stats` as a user runs them (the bundled CLI).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { expectUsageError } from './usage-error';

const run = promisify(execFile);
const ALOG = path.resolve(__dirname, '../../../out/cli/alog.cjs');

async function alog(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ALOG, ...args], { env: { ...process.env, ALOG_WORKERS: '2' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('alog index / query / stats', () => {
  let tmp = '';
  let archive = '';
  let cache = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-query-'));
    archive = path.join(tmp, 'archive');
    cache = path.join(tmp, 'cache');
    await generateArchive({ out: archive, days: 2, perDay: 40, seed: 3, sealed: true, gzipOlder: true, keyDir: path.join(tmp, 'key'), bodyKb: 0.5 });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('index builds, then reuses', async () => {
    const first = await alog('index', archive, '--cache-dir', cache);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 day file\(s\): 2 indexed, 0 reused/);
    expect(first.stdout).toMatch(/80 record\(s\)/);
    expect(first.stdout).toMatch(/MB\/s/);
    // New files are counted, not listed one by one.
    expect(first.stdout).not.toMatch(/not indexed yet/);
    const second = await alog('index', archive, '--cache-dir', cache);
    expect(second.stdout).toMatch(/0 indexed, 2 reused/);
    // A file whose identity changed is indexed again, and the report says why.
    const day = (await readdir(archive)).filter((f) => f.startsWith('activations-')).sort()[0]!;
    await utimes(path.join(archive, day), new Date(), new Date(Date.now() + 5000));
    const third = await alog('index', archive, '--cache-dir', cache);
    expect(third.stdout).toMatch(/1 indexed, 1 reused/);
    expect(third.stdout).toContain(`${day}: indexed again, the file changed since it was indexed`);
  });

  it('query --json prints the total and the records with their indexed fields', async () => {
    const r = await alog('query', archive, 'status:published OR status:failed', '--sort', 'total_ms:desc', '--limit', '5', '--json', '--cache-dir', cache);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { total: number; records: Record<string, unknown>[] };
    expect(out.total).toBeGreaterThan(5);
    expect(out.records).toHaveLength(5);
    for (const rec of out.records) {
      expect(rec.activation_id).toMatch(/^act_/);
      expect(rec).toHaveProperty('timestamp');
      expect(rec).toHaveProperty('file');
      expect(rec).toHaveProperty('line');
      expect(['published', 'failed']).toContain(rec['platform_publishing.status']);
    }
    const ms = out.records.map((x) => x['performance_metrics.total_ms'] as number);
    expect([...ms].sort((a, b) => b - a)).toEqual(ms);
  });

  it('query paging and time range', async () => {
    const all = JSON.parse((await alog('query', archive, '--limit', '100', '--json', '--cache-dir', cache)).stdout) as { total: number; records: { activation_id: string; timestamp: string }[] };
    expect(all.total).toBe(80);
    const page = JSON.parse((await alog('query', archive, '--offset', '10', '--limit', '5', '--json', '--cache-dir', cache)).stdout) as typeof all;
    expect(page.records.map((r) => r.activation_id)).toEqual(all.records.slice(10, 15).map((r) => r.activation_id));
    const day = all.records[0]!.timestamp.slice(0, 10);
    const ranged = JSON.parse((await alog('query', archive, '--from', day, '--to', `${day}T12:00:00Z`, '--json', '--limit', '100', '--cache-dir', cache)).stdout) as typeof all;
    expect(ranged.records.every((r) => r.timestamp >= day && r.timestamp < `${day}T12:00:00Z`)).toBe(true);
    expect(ranged.total).toBe(all.records.filter((r) => r.timestamp >= day && r.timestamp < `${day}T12:00:00Z`).length);
  });

  it('query prints a table', async () => {
    const r = await alog('query', archive, 'provider:openai', '--limit', '3', '--cache-dir', cache);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/activation_id/);
    expect(r.stdout).toMatch(/record\(s\) match; showing 1-3/);
  });

  it('a syntax error exits 2 and points at the position', async () => {
    const r = await alog('query', archive, 'status:failed AND (', '--cache-dir', cache);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/query syntax error at position 19/);
    expect(r.stderr).toMatch(/\^/);
    expect((await alog('query', archive, '--sort', 'body', '--cache-dir', cache)).code).toBe(2);
  });

  it('stats --json counts the whole selection', async () => {
    const r = await alog('stats', archive, '--json', '--cache-dir', cache);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { total: number; byStatus: Record<string, number>; totalMs: { p50: number; p95: number; p99: number }; gate: { blockRate: number } };
    expect(s.total).toBe(80);
    expect(Object.values(s.byStatus).reduce((a, b) => a + b, 0)).toBe(80);
    expect(s.totalMs.p50).toBeLessThanOrEqual(s.totalMs.p95);
    expect(s.totalMs.p95).toBeLessThanOrEqual(s.totalMs.p99);
    const text = await alog('stats', archive, 'status:failed', '--cache-dir', cache);
    expect(text.stdout).toMatch(/by error class/);
    expect(text.stdout).toMatch(/brand-voice gate/);
  });

  it('refuses a cache inside the archive', async () => {
    const r = await alog('index', archive, '--cache-dir', path.join(archive, 'cache'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must not be inside the archive/);
  });

  it.each([
    ['index: unknown flag', ['index', '--bogus'], /Unknown option '--bogus'/],
    ['index: flag without its value', ['index', '--cache-dir'], /'--cache-dir <value>' argument missing/],
    ['index: boolean flag with a value', ['index', '--json=1'], /'--json' does not take an argument/],
    ['index: two archives', ['index', 'other'], /index takes exactly one ARCHIVE folder/],
    ['query: unknown flag', ['query', '--nope'], /Unknown option '--nope'/],
    ['query: two queries', ['query', 'a', 'b'], /query takes ARCHIVE and at most one QUERY/],
    ['query: bad --sort', ['query', '--sort', 'x:up'], /--sort takes FIELD/],
    ['query: bad --limit', ['query', '--limit=-1'], /--limit takes a whole number >= 0/],
    ['stats: a flag only query takes', ['stats', '--sort', 'x'], /Unknown option '--sort'/],
    ['stats: two queries', ['stats', 'a', 'b'], /stats takes ARCHIVE and at most one QUERY/],
    ['serve: missing --trust-key file', ['serve', '--trust-key', '/no-such-key.pem'], /cannot use key \/no-such-key\.pem/],
  ] as const)('usage error, %s: exit 2 and the usage', async (_what, [command, ...args], message) => {
    expectUsageError(await alog(command, archive, ...args), message);
  });
});
