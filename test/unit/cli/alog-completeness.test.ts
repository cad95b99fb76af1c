import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { Checkpoint } from '../../../src/shared/checkpoint';
import { VerificationReport } from '../../../src/shared/verification-report';
import { alog } from './run-alog';

// The completeness and consistency flags of `alog verify` (and `index`, `query`, `stats`), as a user
// runs them: exit codes, --json members, the checkpoint file. Four sealed days, 2026-11-17 to
// 2026-11-20, of 12 records, the 2026-11-19 one empty, with every consistency warning planted.

let tmp = '';
let base = '';
let key = '';
let copies = 0;


async function copy(): Promise<string> {
  const dir = path.join(tmp, `copy-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function removeNewestDay(dir: string): Promise<void> {
  await rm(path.join(dir, 'activations-2026-11-20.jsonl'));
  await rm(path.join(dir, 'digests', 'activations-2026-11-20.digest.json'));
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-completeness-'));
  base = path.join(tmp, 'base');
  const summary = await generateArchive({
    out: base,
    days: 4,
    perDay: 12,
    seed: 3,
    sealed: true,
    gzipOlder: true,
    bodyKb: 0.5,
    emptyDays: ['2026-11-19'],
    plantWarnings: ['wrong_day_file', 'mock_cost'],
  });
  key = path.join(tmp, 'publisher.pem');
  await cp(path.join(base, summary.publicKeyFile!), key);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('consistency warnings never change the exit code', () => {
  it('exit 0, the warnings in --json beside the findings, and listed apart in the text', () => {
    const json = alog('verify', base, '--trust-key', key, '--json');
    expect(json.code).toBe(0);
    const report = VerificationReport.parse(JSON.parse(json.stdout));
    const newest = report.files.find((f) => f.file === 'activations-2026-11-20.jsonl')!;
    expect(newest.findings).toEqual([]);
    expect(newest.warnings.map((w) => [w.kind, w.rule ?? null])).toEqual([
      ['inconsistent_record', 'mock_cost'],
      ['wrong_day_file', null],
    ]);
    // The spec's finding shape: no byte offsets in --json.
    expect(JSON.stringify(newest.warnings)).not.toContain('"offset"');
    expect(report.summary).toMatchObject({ ok: true, findings: 0, warnings: 2, warningsByKind: { inconsistent_record: 1, wrong_day_file: 1 }, skewSeconds: 5 });

    const text = alog('verify', base, '--trust-key', key);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\nWarnings \(consistency: sealed as written but implausible; they change no status, verdict or exit code\)\n/);
    expect(text.stdout).toContain('activations-2026-11-20.jsonl:12  wrong_day_file');
    expect(text.stdout).toContain('no findings, 2 warning(s)');
    expect(text.stdout).toMatch(/VERIFIED/);
  });

  it('--skew takes seconds; anything else is a usage error', () => {
    expect(alog('verify', base, '--trust-key', key, '--skew', '0.5', '--json').code).toBe(0);
    for (const bad of ['-1', 'abc', '', '99999999']) {
      const r = alog('verify', base, '--trust-key', key, `--skew=${bad}`);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--skew takes a number of seconds/);
    }
  });
});

describe('the calendar and the expected period', () => {
  it('a removed middle day is missing_day (exit 1), its file and date in completeness.findings', async () => {
    const dir = await copy();
    await rm(path.join(dir, 'activations-2026-11-18.jsonl.gz'));
    await rm(path.join(dir, 'digests', 'activations-2026-11-18.digest.json'));
    const r = alog('verify', dir, '--trust-key', key, '--json');
    expect(r.code).toBe(1);
    const report = VerificationReport.parse(JSON.parse(r.stdout));
    expect(report.completeness.findings).toMatchObject([{ kind: 'missing_day', file: 'activations-2026-11-18.jsonl', date: '2026-11-18' }]);
    expect(report.completeness.missingDays).toEqual(['2026-11-18']);
    const text = alog('verify', dir, '--trust-key', key);
    expect(text.stdout).toContain('1 day(s) MISSING: 2026-11-18');
    expect(text.stdout).toContain('activations-2026-11-18.jsonl (not in the archive)  missing_day');
    expect(text.stdout).toMatch(/NOT VERIFIED: .*1 day\(s\) missing/);
  });

  it('tail truncation: exit 0 without the period, exit 1 with --expect-through', async () => {
    const dir = await copy();
    await removeNewestDay(dir);
    expect(alog('verify', dir, '--trust-key', key).code).toBe(0);
    const r = alog('verify', dir, '--trust-key', key, '--expect-through', '2026-11-20', '--json');
    expect(r.code).toBe(1);
    const report = VerificationReport.parse(JSON.parse(r.stdout));
    expect(report.completeness).toMatchObject({ expected: { from: null, through: '2026-11-20' }, missingDays: ['2026-11-20'] });
  });

  it('index, query and stats take the same flags and report the same', async () => {
    const dir = await copy();
    await removeNewestDay(dir);
    const cache = path.join(tmp, 'cache');
    const index = alog('index', dir, '--cache-dir', cache, '--trust-key', key, '--expect-through', '2026-11-20', '--json');
    expect(index.code).toBe(1);
    expect(JSON.parse(index.stdout).verification.completeness.missingDays).toEqual(['2026-11-20']);
    const stats = alog('stats', dir, '--cache-dir', cache, '--trust-key', key, '--expect-through', '2026-11-20');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/NOT VERIFIED: .*1 day\(s\) missing/);
    const query = alog('query', dir, 'status:published', '--cache-dir', cache, '--trust-key', key, '--expect-from', '2026-11-17', '--json');
    expect(query.code).toBe(0);
    // The planted warnings were in the day removed.
    expect(JSON.parse(query.stdout).verification).toMatchObject({ ok: true, warnings: 0, completeness: { expected: { from: '2026-11-17', through: null } } });
  });

  it('bad days are usage errors (exit 2)', () => {
    for (const [flag, value] of [
      ['--expect-from', '2026-02-30'],
      ['--expect-through', '20261120'],
    ] as const) {
      const r = alog('verify', base, '--trust-key', key, flag, value);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/takes a UTC day YYYY-MM-DD/);
    }
    const reversed = alog('verify', base, '--expect-from', '2026-11-20', '--expect-through', '2026-11-01');
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/is after --expect-through/);
  });
});

describe('checkpoints', () => {
  it('--write-checkpoint writes the newest verified day; --checkpoint proves the same history, extended', async () => {
    const shorter = await copy();
    await removeNewestDay(shorter);
    const file = path.join(tmp, 'short.checkpoint.json');
    const w = alog('verify', shorter, '--trust-key', key, '--write-checkpoint', file);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain(`checkpoint of 2026-11-19 written to ${file}`);
    const cp = Checkpoint.parse(JSON.parse(await readFile(file, 'utf8')));
    // 2026-11-19 holds no record: the checkpoint carries the last seq of the day before.
    expect(cp).toMatchObject({ v: 1, kind: 'activationlog-checkpoint', archive: path.basename(shorter), date: '2026-11-19', last_seq: 23 });

    const r = alog('verify', base, '--trust-key', key, '--checkpoint', file, '--json');
    expect(r.code).toBe(0);
    expect(VerificationReport.parse(JSON.parse(r.stdout)).completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 1, newestDay: '2026-11-20' });
    expect(alog('verify', base, '--trust-key', key, '--checkpoint', file).stdout).toMatch(/Checkpoint {2}same history as on 2026-11-19 .*, extended by 1 day\(s\) through 2026-11-20/);
  });

  it('tail truncation against a checkpoint of the longer archive: checkpoint_mismatch, exit 1, and no new checkpoint over it (exit 3)', async () => {
    const file = path.join(tmp, 'full.checkpoint.json');
    expect(alog('verify', base, '--trust-key', key, '--write-checkpoint', file).code).toBe(0);
    const dir = await copy();
    await removeNewestDay(dir);
    const r = alog('verify', dir, '--trust-key', key, '--checkpoint', file, '--json');
    expect(r.code).toBe(1);
    const report = VerificationReport.parse(JSON.parse(r.stdout));
    expect(report.completeness.findings).toMatchObject([{ kind: 'checkpoint_mismatch', file: 'digests/activations-2026-11-20.digest.json', date: '2026-11-20' }]);
    const before = await readFile(file, 'utf8');
    const again = alog('verify', dir, '--trust-key', key, '--checkpoint', file, '--write-checkpoint', file);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/checkpoint not written: the archive does not match the checkpoint of 2026-11-20/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refused when the newest day did not verify (exit 3, the report still printed); never written inside the archive (exit 2)', async () => {
    const file = path.join(tmp, 'refused.checkpoint.json');
    const untrusted = alog('verify', base, '--write-checkpoint', file);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stdout).toMatch(/AUTHENTIC ONLY IF THE KEY IS THE PUBLISHER'S/);
    expect(untrusted.stderr).toMatch(/checkpoint not written: the newest day, 2026-11-20, did not verify/);
    await expect(readFile(file)).rejects.toThrow();

    const inside = alog('verify', base, '--trust-key', key, '--write-checkpoint', path.join(base, 'digests', 'cp.json'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the archive/);
    const nowhere = alog('verify', base, '--trust-key', key, '--write-checkpoint', path.join(tmp, 'no-such-folder', 'cp.json'));
    expect(nowhere.code).toBe(2);
  });

  it('a checkpoint file that is not one is a usage error (exit 2)', async () => {
    const bad = path.join(tmp, 'bad.json');
    for (const text of ['not json', '{"v":1}', JSON.stringify({ v: 1, kind: 'activationlog-checkpoint', archive: 'x', date: '2026-11-20', digest_sha256: 'zz', chain_head: 'a'.repeat(64), last_seq: 1, key_id: 'a'.repeat(16), verified_at: '2026-11-21T00:00:00Z' })]) {
      await writeFile(bad, text);
      const r = alog('verify', base, '--trust-key', key, '--checkpoint', bad);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(/not (JSON|a checkpoint)/);
    }
    expect(alog('verify', base, '--checkpoint', path.join(tmp, 'missing.json')).code).toBe(2);
  });
});
