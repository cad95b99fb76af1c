// The reports as a user gets them from the bundled CLI, read with pdftotext (poppler), which shares
// no code with the writer: the export PDF's cover on a tampered archive lists its findings and
// never says a failed check passed; `alog verify --report` writes the integrity report; `alog
// keygen` writes a key pair once, outside archives; a signed export and its forgery through
// `alog export --key` and `alog verify-export --trust-key EXPORTER.pem --archive`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { alog } from './run-alog';

const run = promisify(execFile);

async function pdftotext(file: string): Promise<string> {
  return (await run('pdftotext', ['-layout', file, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

let tmp = '';
let archive = '';
let tampered = '';
let key = '';
let plainDay = '';
let alteredSeq = -1;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-reports-'));
  archive = path.join(tmp, 'archive');
  const s = await generateArchive({ out: archive, days: 3, perDay: 40, seed: 8, sealed: true, gzipOlder: true, keyDir: path.join(tmp, 'producer'), bodyKb: 0.5 });
  key = path.join(archive, s.publicKeyFile!);
  plainDay = s.files.at(-1)!.file;
  // One byte of one record's body changed: record_hash_mismatch (and the day's hashes).
  tampered = path.join(tmp, 'tampered');
  await cp(archive, tampered, { recursive: true });
  const p = path.join(tampered, plainDay);
  const lines = (await readFile(p, 'utf8')).split('\n');
  const at = lines[4]!.indexOf('"body":"') + 13;
  lines[4] = lines[4]!.slice(0, at) + (lines[4]![at] === 'Q' ? 'Z' : 'Q') + lines[4]!.slice(at + 1);
  alteredSeq = (JSON.parse(lines[4]!) as { integrity: { seq: number } }).integrity.seq;
  await writeFile(p, lines.join('\n'));
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the export PDF of a tampered archive', () => {
  it('lists every finding of the exported days, marks the altered record, and never says a failed check matched', async () => {
    const out = path.join(tmp, 'tampered.pdf');
    const r = await alog('export', tampered, '--format', 'pdf', '--out', out, '--trust-key', key, '--cache-dir', path.join(tmp, 'cache-t'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/NOT FULLY VERIFIED/);
    expect(r.stdout).not.toMatch(/Merkle root matches/);
    const text = await pdftotext(out);
    expect(text).toContain('NOT FULLY VERIFIED');
    expect(text).toMatch(/1 record altered: the content no longer hashes to its record_hash/);
    expect(text).toMatch(/Verification findings in the exported days \(3\)/);
    for (const kind of ['record_hash_mismatch', 'content_hash_mismatch', 'merkle_root_mismatch']) expect(text).toContain(kind);
    expect(text).toContain('The record was changed after it was sealed');
    expect(text).not.toMatch(/matches/i);
    expect(text).not.toMatch(/every check of the day file passed[^\n]*\n?[^\n]*none verified/);
    // The altered record's row says so.
    expect(text).toMatch(new RegExp(`ALTERED\\s+${alteredSeq}\\b`));
    expect(text).toMatch(/page 1 of \d+/);
    // The untouched days are verified, the tampered one is not.
    expect(text).toContain(`Day ${plainDay.slice(12, 22)}`);
    expect(text).toMatch(/1 exported record\(s\) altered;[\s\S]{0,300}none verified/);
  });

  it('with the publisher key not trusted, the records are "key not trusted", not altered', async () => {
    const out = path.join(tmp, 'untrusted.pdf');
    const r = await alog('export', archive, '--format', 'pdf', '--out', out, '--cache-dir', path.join(tmp, 'cache-u'));
    expect(r.code, r.stderr).toBe(0);
    const text = await pdftotext(out);
    expect(text).toContain('NOT FULLY VERIFIED');
    expect(text).toMatch(/120 records signed by key [0-9a-f]{16}, which you have not trusted: authentic only if that is the publisher's key/);
    expect(text).toContain('key not trusted');
    // No row is marked altered (the legend names the word).
    expect(text).not.toMatch(/ALTERED\s+\d+/);
    expect(text).toContain('none: no digest can be proven authentic');
  });
});

describe('alog export, query and stats read one verification', () => {
  it('on the tampered archive the export counts what stats counts, and the altered record is what query calls it', async () => {
    const cache = path.join(tmp, 'cache-agree');
    const out = path.join(tmp, 'agree.csv');
    const e = await alog('export', tampered, '--format', 'csv', '--out', out, '--trust-key', key, '--cache-dir', cache, '--json');
    expect(e.code, e.stderr).toBe(0);
    const exported = JSON.parse(e.stdout) as { verification: string; integrity: { counts: Record<string, number> } };
    const stats = JSON.parse((await alog('stats', tampered, '--trust-key', key, '--cache-dir', cache, '--json')).stdout) as Record<string, number>;
    const c = exported.integrity.counts;
    expect({ verified: c.verified, withFindings: c.altered! + c.finding! + c.file_findings!, untrustedKey: c.untrusted_key }).toEqual({
      verified: stats.verified,
      withFindings: stats.withFindings,
      untrustedKey: stats.untrustedKey,
    });
    expect(c.altered).toBe(1);
    const q = JSON.parse((await alog('query', tampered, `integrity.seq:${alteredSeq}`, '--trust-key', key, '--cache-dir', cache, '--json')).stdout) as { records: { integrity: string }[] };
    expect(q.records.map((r) => r.integrity)).toEqual(['invalid']);
  });
});

describe('a day missing from the archive', () => {
  it('the integrity report lists it, and an export of a period that spans it is not fully verified', async () => {
    const gap = path.join(tmp, 'gap');
    await cp(archive, gap, { recursive: true });
    const middle = (await readdir(gap)).filter((n) => n.startsWith('activations-')).sort()[1]!;
    const date = middle.slice(12, 22);
    await rm(path.join(gap, middle));
    await rm(path.join(gap, 'digests', `activations-${date}.digest.json`));
    const pdf = path.join(tmp, 'gap-integrity.pdf');
    const v = alog('verify', gap, '--trust-key', key, '--report', pdf);
    expect(v.code).toBe(1);
    const text = await pdftotext(pdf);
    expect(text).toContain('NOT VERIFIED: the archive has findings');
    expect(text).toMatch(new RegExp(`1 day\\(s\\) of the period are missing`));
    expect(text).toMatch(new RegExp(`Missing days\\s+1 MISSING: ${date}`));
    expect(text).toContain('missing_day');

    const out = path.join(tmp, 'gap.pdf');
    const e = alog('export', gap, '--format', 'pdf', '--out', out, '--trust-key', key, '--cache-dir', path.join(tmp, 'cache-gap'), '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ verified: false, integrity: { missingDays: [date] } });
    const cover = await pdftotext(out);
    expect(cover).toContain('NOT FULLY VERIFIED');
    expect(cover).toMatch(new RegExp(`1 day of the period missing from the archive \\(${date}\\)`));
    // Only the days after it: complete.
    const later = alog('export', gap, '--format', 'csv', '--out', path.join(tmp, 'gap-later.csv'), '--from', plainDay.slice(12, 22), '--trust-key', key, '--cache-dir', path.join(tmp, 'cache-gap'), '--json');
    expect(JSON.parse(later.stdout)).toMatchObject({ integrity: { missingDays: [] } });
  });

  it('alog export takes the completeness flags alog query and stats take: an expected period past the archive', () => {
    const last = plainDay.slice(12, 22);
    const next = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const e = alog('export', archive, '--format', 'csv', '--out', path.join(tmp, 'expected.csv'), '--trust-key', key, '--expect-through', next, '--cache-dir', path.join(tmp, 'cache-exp'), '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ verified: false, integrity: { missingDays: [next] } });
    const stats = JSON.parse(alog('stats', archive, '--trust-key', key, '--expect-through', next, '--cache-dir', path.join(tmp, 'cache-exp'), '--json').stdout) as { verification: { verdict: string } };
    expect(stats.verification.verdict).toBe('invalid');
  });
});

describe('alog verify --report', () => {
  it('writes the integrity report: verdict, every file and digest, every finding explained, keys, version, time', async () => {
    const out = path.join(tmp, 'integrity.pdf');
    const r = await alog('verify', tampered, '--trust-key', key, '--report', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/integrity report: .*integrity\.pdf \(\d+ page\(s\)/);
    const text = await pdftotext(out);
    expect(text).toContain('NOT VERIFIED: the archive has findings');
    expect(text).toContain(`${plainDay}`);
    expect(text).toMatch(/INVALID: findings/);
    expect(text).toMatch(/valid: every check passed/);
    expect(text).toContain(`activations-${plainDay.slice(12, 22)}.digest.json`);
    for (const kind of ['record_hash_mismatch', 'content_hash_mismatch', 'merkle_root_mismatch']) expect(text).toContain(kind);
    expect(text).toContain("The file's records do not produce the Merkle root recorded in the signed digest.");
    expect(text).toContain(path.basename(key, '.pem'));
    expect(text).toMatch(/ActivationLog Inspector \S+ · report written \d{4}-\d\d-\d\dT/);
    expect(text).toMatch(/page 1 of \d+/);
    expect(text).not.toMatch(/\bVERIFIED\b(?!:)/);
  });

  it('untrusted key: amber "not trusted", not tampering; refuses a place inside the archive or over a file', async () => {
    const out = path.join(tmp, 'integrity-untrusted.pdf');
    const r = await alog('verify', archive, '--report', out);
    expect(r.code).toBe(1);
    const text = await pdftotext(out);
    expect(text).toContain('NOT VERIFIED: signed by a key that is not trusted');
    expect(text).toMatch(/authentic only if the key is the publisher's/);
    expect(text).not.toContain('INVALID');
    const inside = await alog('verify', archive, '--report', path.join(archive, 'r.pdf'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the archive/);
    const again = await alog('verify', archive, '--report', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--overwrite/);
    expect((await alog('verify', archive, '--report', out, '--overwrite')).code).toBe(1);
  });
});

describe('alog keygen', () => {
  it('writes a private key (mode 0600) and its public key once, never inside an archive', async () => {
    const dir = path.join(tmp, 'keys');
    const r = await alog('keygen', dir, '--name', 'exporter');
    expect(r.code, r.stderr).toBe(0);
    const id = /^key ([0-9a-f]{16})$/m.exec(r.stdout)![1]!;
    expect(((await stat(path.join(dir, 'exporter.pem'))).mode & 0o777).toString(8)).toBe('600');
    expect(await readFile(path.join(dir, 'exporter.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    const pub = await readFile(path.join(dir, 'exporter.pub.pem'), 'utf8');
    expect(pub).toMatch(/BEGIN PUBLIC KEY/);
    const der = createHash('sha256').update(Buffer.from(pub.replace(/-----[^-]+-----|\s/g, ''), 'base64')).digest('hex');
    expect(der.slice(0, 16)).toBe(id);
    const again = await alog('keygen', dir, '--name', 'exporter');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; not replaced \(pass --overwrite/);
    const inside = await alog('keygen', path.join(archive, 'keys'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the archive/);
    expect(existsSync(path.join(archive, 'keys', 'signing-key.pem'))).toBe(false);
  });
});

describe('alog export --key and verify-export --trust-key EXPORTER.pem --archive', () => {
  it('a CSV whose status, cost and title cells were edited, its hash recomputed, fails and the cells are named', async () => {
    const dir = path.join(tmp, 'exporter');
    expect((await alog('keygen', dir, '--name', 'exporter')).code).toBe(0);
    const out = path.join(tmp, 'signed.csv');
    const fields = 'platform_publishing.status,ai_enrichment.cost_usd,content_input.title';
    const e = await alog('export', archive, '--format', 'csv', '--out', out, '--fields', fields, '--trust-key', key, '--key', path.join(dir, 'exporter.pem'), '--operator', 'Ada', '--cache-dir', path.join(tmp, 'cache-s'));
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/signed by "Ada" with exporter key [0-9a-f]{16}/);
    const trust = ['--trust-key', key, '--trust-key', path.join(dir, 'exporter.pub.pem')];
    const ok = await alog('verify-export', `${out}.manifest.json`, ...trust, '--archive', archive);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/\+ File unchanged since the exporter signed it: "Ada"/);

    const lines = (await readFile(out, 'utf8')).split('\r\n');
    const cells = lines[2]!.split(',');
    cells[2] = cells[2] === 'published' ? 'failed' : 'published';
    cells[3] = '0.01';
    lines[2] = [...cells.slice(0, 4), 'Quarterly results'].join(',');
    await writeFile(out, lines.join('\r\n'));
    const bytes = await readFile(out);
    const m = JSON.parse(await readFile(`${out}.manifest.json`, 'utf8')) as { export: { sha256: string; bytes: number } };
    m.export.sha256 = createHash('sha256').update(bytes).digest('hex');
    m.export.bytes = bytes.length;
    await writeFile(`${out}.manifest.json`, JSON.stringify(m, null, 2));
    const bad = await alog('verify-export', `${out}.manifest.json`, ...trust, '--archive', archive);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL exporter signature: the exporter signature does NOT verify/);
    expect(bad.stdout).toMatch(/data row 2 \(seq \d+\), column Status \(platform_publishing\.status\): the export has/);
    expect(bad.stdout).toMatch(/data row 2 \(seq \d+\), column AI cost \(USD\) \(ai_enrichment\.cost_usd\): the export has "0\.01"/);
    expect(bad.stdout).toMatch(/data row 2 \(seq \d+\), column Title \(content_input\.title\): the export has "Quarterly results"/);
    expect(bad.stdout).toMatch(/^NOT VERIFIED/m);
  });
});
