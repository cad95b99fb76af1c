// `alog index`, `alog query`, `alog stats` as a user runs them (the bundled CLI).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
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
  let key = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-query-'));
    archive = path.join(tmp, 'archive');
    cache = path.join(tmp, 'cache');
    const made = await generateArchive({ out: archive, days: 2, perDay: 40, seed: 3, sealed: true, gzipOlder: true, keyDir: path.join(tmp, 'key'), bodyKb: 0.5 });
    key = path.join(archive, made.publicKeyFile!);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('index builds, then reuses', async () => {
    const first = await alog('index', archive, '--cache-dir', cache, '--trust-key', key);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^VERIFIED: every record, chain link and signed digest checks out\.$/m);
    expect(first.stdout).toMatch(/2 day file\(s\): 2 indexed, 0 reused/);
    expect(first.stdout).toMatch(/80 record\(s\)/);
    expect(first.stdout).toMatch(/MB\/s/);
    // New files are counted, not listed one by one.
    expect(first.stdout).not.toMatch(/not indexed yet/);
    const second = await alog('index', archive, '--cache-dir', cache);
    expect(second.stdout).toMatch(/0 indexed, 2 reused/);
    // The verdict is under the keys given: without the publisher's, the index says so and exits 1, as verify does.
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/^AUTHENTIC ONLY IF THE KEY IS THE PUBLISHER'S/m);
    expect(second.stdout).not.toMatch(/NOT VERIFIED|^VERIFIED/m);
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

  it('a malformed line in a sealed day: index exits 1 saying so, every record of that day counts as not verified', async () => {
    const bad = path.join(tmp, 'malformed');
    await cp(archive, bad, { recursive: true });
    const day = (await readdir(bad)).filter((f) => /^activations-.*\.jsonl$/.test(f)).sort().at(-1)!;
    const lines = (await readFile(path.join(bad, day), 'utf8')).split('\n');
    lines.splice(10, 0, '{"activation_id": "act_broken", "truncated');
    await writeFile(path.join(bad, day), lines.join('\n'));
    const badCache = path.join(tmp, 'cache-malformed');

    const index = await alog('index', bad, '--cache-dir', badCache, '--trust-key', key);
    expect(index.code).toBe(1);
    expect(index.stdout).toMatch(/^NOT VERIFIED: .*malformed_line 1.*; 1 of 2 day file\(s\) with findings\. `alog verify` lists them\.$/m);
    const verify = await alog('verify', bad, '--trust-key', key, '--json');
    expect(verify.code).toBe(1);
    const json = JSON.parse(verify.stdout) as { summary: { findings: number } };
    const indexJson = JSON.parse((await alog('index', bad, '--cache-dir', badCache, '--trust-key', key, '--json')).stdout) as { verification: { findings: number; verdict: string } };
    expect(indexJson.verification).toMatchObject({ findings: json.summary.findings, verdict: 'invalid' });

    const stats = await alog('stats', bad, '--cache-dir', badCache, '--trust-key', key);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^80 record\(s\) selected \(40 verified, 40 with findings\)/m);
    expect(stats.stdout).toMatch(/^NOT VERIFIED: /m);
    const statsJson = JSON.parse((await alog('stats', bad, '--json', '--cache-dir', badCache, '--trust-key', key)).stdout) as Record<string, unknown>;
    expect(statsJson).toMatchObject({ total: 80, verified: 40, withFindings: 40, untrustedKey: 0, verification: { verdict: 'invalid' } });

    const notVerified = JSON.parse((await alog('query', bad, 'verified:false', '--limit', '100', '--json', '--cache-dir', badCache, '--trust-key', key)).stdout) as {
      total: number;
      records: { file: string; integrity: string; verified: boolean }[];
      verification: { verdict: string };
    };
    expect(notVerified.total).toBe(40);
    expect(notVerified.records.every((r) => r.file === day && r.integrity === 'invalid' && !r.verified)).toBe(true);
    expect(notVerified.verification.verdict).toBe('invalid');
    const table = await alog('query', bad, 'verified:false', '--limit', '2', '--cache-dir', badCache, '--trust-key', key);
    expect(table.stdout).toMatch(/\bseal\b/);
    expect(table.stdout).toMatch(/\bINVALID\b/);
    expect(table.stdout).toMatch(/^NOT VERIFIED: /m);
  });

  it('without the publisher\'s key, records are intact but not verified: stats and queries say so, never "with findings"', async () => {
    const stats = JSON.parse((await alog('stats', archive, '--json', '--cache-dir', cache)).stdout) as Record<string, unknown>;
    expect(stats).toMatchObject({ total: 80, verified: 0, withFindings: 0, untrustedKey: 80, verification: { verdict: 'untrusted_key' } });
    const text = await alog('stats', archive, '--cache-dir', cache);
    expect(text.stdout).toMatch(/^80 record\(s\) selected \(0 verified, 0 with findings, 80 intact but signed by a key not trusted\)/m);
    expect(text.stdout).toMatch(/^AUTHENTIC ONLY IF THE KEY IS THE PUBLISHER'S/m);
    const q = JSON.parse((await alog('query', archive, 'verified:false', '--limit', '1', '--json', '--cache-dir', cache)).stdout) as { total: number; records: { integrity: string }[] };
    expect(q.total).toBe(80);
    expect(q.records[0]!.integrity).toBe('untrusted_key');
    const trusted = JSON.parse((await alog('query', archive, 'verified:false', '--json', '--cache-dir', cache, '--trust-key', key)).stdout) as { total: number };
    expect(trusted.total).toBe(0);
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
