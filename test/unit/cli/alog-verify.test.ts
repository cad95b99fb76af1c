import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { FINDING_EXPLANATIONS } from '../../../src/shared/findings';
import { VerificationReport } from '../../../src/shared/verification-report';
import { alog, REPO } from './run-alog';

// The `alog` command line as a user runs it: `node bin/alog.cjs ...` on the bundle built by the
// global setup. Exit codes and the --json shape are the spec's contract (sealed-archive.md).

const ESC = '\u001b';
const RLO = '\u202e';

let tmp = '';
let base = ''; // sealed: 3 days of 10 records, two gzipped, the newest plain
let key = ''; // the publisher's public key, as a user would have saved it outside the archive
let days: string[] = [];
let copies = 0;


async function copy(): Promise<string> {
  const dir = path.join(tmp, `copy-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function editPlainDay(dir: string, edit: (lines: string[]) => void): Promise<void> {
  const p = path.join(dir, days[2]!);
  const lines = (await readFile(p, 'utf8')).split('\n');
  lines.pop();
  edit(lines);
  await writeFile(p, lines.map((l) => l + '\n').join(''));
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-'));
  base = path.join(tmp, 'base');
  const summary = await generateArchive({ out: base, days: 3, perDay: 10, seed: 7, sealed: true, gzipOlder: true, bodyKb: 1 });
  days = summary.files.map((f) => f.file);
  key = path.join(tmp, 'publisher.pem');
  await cp(path.join(base, summary.publicKeyFile!), key);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const SUMMARY_LINE = /^(\d+)\/(\d+) day files valid, (\d+)\/(\d+) digests valid/m;

describe('alog verify: exit codes', () => {
  it('0 on an intact archive with --trust-key', () => {
    const r = alog('verify', base, '--trust-key', key);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^FILE\s+STATUS\s+RECORDS\s+FINDINGS\b/m);
    expect(r.stdout.match(SUMMARY_LINE)!.slice(1)).toEqual(['3', '3', '3', '3']);
    expect(r.stdout).toMatch(/VERIFIED/);
    expect(r.stdout).not.toMatch(/NOT VERIFIED/);
  });

  it('1 on an untrusted archive (no --trust-key; the key shipped in keys/ is not trusted), worded apart from tampering', () => {
    const r = alog('verify', base);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.match(SUMMARY_LINE)!.slice(1)).toEqual(['0', '3', '0', '3']);
    expect(r.stdout).toContain('untrusted_key');
    expect(r.stdout).toContain(FINDING_EXPLANATIONS.untrusted_key);
    // Not "invalid", not "NOT VERIFIED": every check but the key's holds, and the text says which key.
    for (const day of days) expect(r.stdout).toMatch(new RegExp(`^${day.replace(/\./g, '\\.')}\\s+key not trusted\\s+10\\s+0\\b`, 'm'));
    expect(r.stdout).toMatch(/valid, key not trusted/);
    expect(r.stdout).not.toMatch(/\binvalid\b|NOT VERIFIED|^VERIFIED/m);
    expect(r.stdout).toMatch(/AUTHENTIC ONLY IF THE KEY IS THE PUBLISHER'S: .* ([0-9a-f]{16}) \(shipped as keys\/\1\.pem\)/);
    expect(r.stdout).toMatch(/--trust-key FILE\.pem/);
    const json = JSON.parse(alog('verify', base, '--json').stdout) as VerificationReport;
    // The spec's contract holds (status invalid, untrusted_key findings); the verdicts tell them apart.
    expect(json.files.map((f) => [f.status, f.verdict])).toEqual(Array(3).fill(['invalid', 'untrusted_key']));
    expect(json.digests.map((d) => [d.status, d.signature])).toEqual(Array(3).fill(['invalid', 'untrusted_key']));
    expect(json.summary).toMatchObject({ verdict: 'untrusted_key', untrustedKeyFiles: 3, ok: false });
  });

  it('1 on a tampered archive, with a file:line reference, the plain-words explanation and the summary line', async () => {
    const dir = await copy();
    await editPlainDay(dir, (l) => void (l[3] = l[3]!.replace(/"title":"./, '"title":"~')));
    const r = alog('verify', dir, '--trust-key', key);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FILE\s+STATUS\s+RECORDS\s+FINDINGS\b/m);
    expect(r.stdout).toMatch(new RegExp(`^${days[2]!.replace(/\./g, '\\.')}\\s+invalid\\s+10\\s+\\d+\\b`, 'm'));
    expect(r.stdout).toContain(`${days[2]}:4  record_hash_mismatch  (seq 23)`);
    expect(r.stdout).toContain(FINDING_EXPLANATIONS.record_hash_mismatch);
    expect(r.stdout.match(SUMMARY_LINE)!.slice(1)).toEqual(['2', '3', '3', '3']);
    expect(r.stdout).toMatch(/NOT VERIFIED: \d+ finding\(s\) \(record_hash_mismatch 1, content_hash_mismatch 1, merkle_root_mismatch 1\); 1 of 3 day file\(s\) with findings\. See the findings above\./);
  });

  it('an archive of more day files than Node allows abort listeners by default: no warning on stderr', async () => {
    const dir = path.join(tmp, 'many-days');
    const s = await generateArchive({ out: dir, days: 14, perDay: 1, seed: 9, sealed: true, gzipOlder: true, bodyKb: 0.2 });
    const r = alog('verify', dir, '--trust-key', path.join(dir, s.publicKeyFile!));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(SUMMARY_LINE)!.slice(1)).toEqual(['14', '14', '14', '14']);
    expect(r.stderr).toBe('');
  });

  it('1 on an unsealed archive', async () => {
    const dir = path.join(tmp, 'unsealed');
    await generateArchive({ out: dir, days: 1, perDay: 3, seed: 3, sealed: false, gzipOlder: false, bodyKb: 1 });
    const r = alog('verify', dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/UNSEALED/);
    expect(r.stdout).toMatch(/^activations-\S+\s+unsealed\s+3\s+0\b/m);
  });

  it('2 on a usage error or an unreadable archive path', async () => {
    const notPem = path.join(tmp, 'not-a-key.pem');
    await writeFile(notPem, '-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n');
    const aFile = path.join(base, days[2]!);
    const cases: [string, string[]][] = [
      ['missing archive path', ['verify', path.join(tmp, 'no-such-archive'), '--trust-key', key]],
      ['archive is a file, not a folder', ['verify', aFile, '--trust-key', key]],
      ['unknown flag', ['verify', base, '--trust-key', key, '--bogus']],
      ['flag without its value', ['verify', base, '--trust-key']],
      ['missing --trust-key file', ['verify', base, '--trust-key', path.join(tmp, 'missing.pem')]],
      ['--trust-key that is not a key', ['verify', base, '--trust-key', notPem]],
      ['--trust-key that is a folder', ['verify', base, '--trust-key', tmp]],
      ['no archive', ['verify']],
      ['two archives', ['verify', base, base]],
      ['bad --line-cap', ['verify', base, '--line-cap', 'lots']],
      ['bad --schema', ['verify', base, '--schema', 'some']],
      ['unknown command', ['frobnicate']],
    ];
    for (const [what, args] of cases) {
      const r = alog(...args);
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr, what).toMatch(/^alog: /);
      expect(r.stderr, `${what}: no stack trace`).not.toMatch(/^\s+at /m);
      expect(r.stdout, what).toBe('');
    }
  });

  it('--help exits 0 with the usage; no command at all is a usage error', () => {
    const help = alog('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage:/);
    expect(help.stdout).toMatch(/alog verify ARCHIVE/);
    expect(alog().code).toBe(2);
  });
});

describe('alog verify --json', () => {
  it('prints one JSON object of the spec shape (intact archive)', () => {
    const r = alog('verify', base, '--trust-key', key, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = VerificationReport.parse(JSON.parse(r.stdout));
    expect(report.summary.ok).toBe(true);
    expect(report.archive).toBe(base);
    expect(report.files.map((f) => [f.file, f.status, f.records])).toEqual(days.map((d) => [d, 'valid', 10]));
    expect(report.digests.map((d) => [d.digest, d.file, d.status])).toEqual(
      days.map((d) => [`digests/${d.replace(/\.jsonl(\.gz)?$/, '.digest.json')}`, d, 'valid']),
    );
  });

  it('lists findings with kind, line, seq and message (tampered archive)', async () => {
    const dir = await copy();
    await editPlainDay(dir, (l) => {
      l[3] = l[3]!.replace(/"title":"./, '"title":"~');
      l.splice(6, 1); // line 7 (seq 26) deleted
    });
    const r = alog('verify', dir, '--trust-key', key, '--json');
    expect(r.code, r.stderr).toBe(1);
    const raw = JSON.parse(r.stdout);
    // The spec's member names, checked on the raw JSON before zod sees it.
    expect(Object.keys(raw)).toEqual(expect.arrayContaining(['archive', 'summary', 'files', 'digests']));
    for (const f of raw.files) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['file', 'status', 'records', 'findings']));
      for (const x of f.findings) {
        expect(Object.keys(x)).toEqual(expect.arrayContaining(['kind', 'message']));
        for (const k of Object.keys(x)) expect(['kind', 'line', 'seq', 'message']).toContain(k);
      }
    }
    for (const d of raw.digests) expect(Object.keys(d)).toEqual(expect.arrayContaining(['digest', 'file', 'status', 'findings']));
    const report = VerificationReport.parse(raw);
    expect(report.summary.ok).toBe(false);
    const bad = report.files.find((f) => f.file === days[2])!;
    expect(bad.status).toBe('invalid');
    expect(bad.findings).toContainEqual(expect.objectContaining({ kind: 'record_hash_mismatch', line: 4, seq: 23 }));
    expect(bad.findings).toContainEqual(expect.objectContaining({ kind: 'seq_gap', line: 7, seq: 27 }));
    expect(bad.findings).toContainEqual(expect.objectContaining({ kind: 'record_count_mismatch' }));
    expect(report.files.filter((f) => f.file !== days[2]).map((f) => f.status)).toEqual(['valid', 'valid']);
    expect(report.summary.findingsByKind.record_hash_mismatch).toBe(1);
  });

  it('a reader that closes the pipe early: no EPIPE crash, and the exit code is still the verdict', async () => {
    const dir = await copy();
    // 20,000 junk lines: a --json report of megabytes, far more than a pipe buffer holds.
    await writeFile(path.join(dir, days[2]!), 'junk\n'.repeat(20_000));
    const child = spawn(process.execPath, [path.join(REPO, 'bin/alog.cjs'), 'verify', dir, '--trust-key', key, '--json'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ALOG_WORKERS: '2' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy(); // like `| head -c 100`
    const timer = setTimeout(() => child.kill(), 30_000);
    const code = await exited;
    clearTimeout(timer);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|^\s+at /m);
    expect(code).toBe(1);
  });
});

describe('hostile archive text in the human output', () => {
  it('ANSI escapes, C1 controls and bidi overrides from the archive are escaped, never written raw', async () => {
    const dir = await copy();
    // Archive text reaches finding messages through: a duplicated activation_id, a duplicate member
    // name, a key path in a canonicalization error, and JSON.parse's quote of a broken line.
    const id = `act_${ESC}[2J${ESC}]0;owned\u0007${RLO}evil\u009b31m`;
    await editPlainDay(dir, (l) => {
      const rec = JSON.parse(l[1]!);
      delete rec.integrity;
      rec.activation_id = id;
      const line = JSON.stringify(rec);
      l.push(line, line); // lines 11 and 12: the same id twice
      l.push(`{"a${RLO}b":1,"a${RLO}b":2,"activation_id":"act_${'1'.repeat(32)}"}`); // line 13
      l.push(`{"k\\u001b[31m${RLO}":"\\ud800"}`); // line 14: the key holds ESC once parsed
      l.push(`{"activation_id": ${ESC}[31m${RLO}broken`); // line 15
    });
    const r = alog('verify', dir, '--trust-key', key);
    expect(r.code, r.stderr).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`${days[2]}:12  duplicate_activation_id`);
    expect(out).toContain(`${days[2]}:13  schema_violation`);
    expect(out).toContain(`${days[2]}:14  malformed_line`);
    expect(out).toContain(`${days[2]}:15  malformed_line`);
    // Nothing raw...
    expect(out.includes(ESC), 'raw ESC in stdout').toBe(false);
    expect(out.includes(RLO), 'raw U+202E in stdout').toBe(false);
    expect(out.includes('\u009b'), 'raw C1 CSI in stdout').toBe(false);
    expect(out.includes('\u0007'), 'raw BEL in stdout').toBe(false);
    // ...but shown escaped, so the reader still sees what is there.
    expect(out).toContain('act_\\u001b[2J\\u001b]0;owned\\u0007\\u202eevil\\u009b31m');
    expect(out).toContain('a\\u202eb');
    expect(out).toMatch(/k\\u001b\[31m\\u202e/);

    // --json carries the text as data; JSON.stringify escapes the control characters.
    const j = alog('verify', dir, '--trust-key', key, '--json');
    expect(j.code).toBe(1);
    expect(j.stdout.includes(ESC)).toBe(false);
    const report = VerificationReport.parse(JSON.parse(j.stdout));
    const dup = report.files.find((f) => f.file === days[2])!.findings.find((f) => f.kind === 'duplicate_activation_id')!;
    expect(dup.message).toContain(id);
  });

  it('an archive folder whose own name holds escape sequences is shown escaped', async () => {
    const dir = path.join(tmp, `evil${ESC}[2J${RLO}name`);
    await cp(base, dir, { recursive: true });
    const r = alog('verify', dir, '--trust-key', key);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.includes(ESC)).toBe(false);
    expect(r.stdout.includes(RLO)).toBe(false);
    expect(r.stdout).toContain('evil\\u001b[2J\\u202ename');
  });
});

describe('alog gen', () => {
  async function snapshot(dir: string): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const walk = async (rel: string): Promise<void> => {
      for (const name of (await readdir(path.join(dir, rel))).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        if ((await stat(path.join(dir, r))).isDirectory()) await walk(r);
        else out.set(r, await readFile(path.join(dir, r)));
      }
    };
    await walk('');
    return out;
  }

  it('writes a deterministic archive: the same seed twice gives identical bytes, and it verifies', async () => {
    const args = (seed: number) => ['--days', '2', '--per-day', '4', '--seed', String(seed), '--gzip-older', '--body-kb', '1'];
    const a = path.join(tmp, 'gen-a');
    const b = path.join(tmp, 'gen-b');
    const c = path.join(tmp, 'gen-c');
    await mkdir(a);
    for (const out of [a, b]) {
      const r = alog('gen', out, ...args(42));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/wrote 8 record\(s\) in 2 day file\(s\)/);
    }
    const sa = await snapshot(a);
    const sb = await snapshot(b);
    expect([...sa.keys()]).toEqual([...sb.keys()]);
    expect([...sa.keys()].filter((k) => k.startsWith('activations-'))).toHaveLength(2);
    expect([...sa.keys()].filter((k) => k.startsWith('digests/'))).toHaveLength(2);
    for (const [name, bytes] of sa) expect(bytes.equals(sb.get(name)!), name).toBe(true);

    expect(alog('gen', c, ...args(43)).code).toBe(0);
    const sc = await snapshot(c);
    expect([...sa.keys()].some((k) => k.startsWith('activations-') && !sa.get(k)!.equals(sc.get(k) ?? Buffer.alloc(0)))).toBe(true);

    const keyFile = [...sa.keys()].find((k) => k.startsWith('keys/'))!;
    expect(alog('verify', a, '--trust-key', path.join(a, keyFile)).code).toBe(0);
  });

  it('rejects bad options with exit 2', () => {
    expect(alog('gen').code).toBe(2);
    expect(alog('gen', path.join(tmp, 'gen-x'), '--days', 'zero').code).toBe(2);
    expect(alog('gen', path.join(tmp, 'gen-y'), '--end-date', '20-11-2026').code).toBe(2);
  });
});
