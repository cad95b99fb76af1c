// `alog export` and `alog verify-export` as a user runs them (the bundled CLI): summaries and exit
// codes, destinations that cannot be written, and exports killed half-way, which must leave
// nothing under the destination's name.
//
// Tests run as root here, so a chmod'ed folder would not stop a write: unwritable destinations
// are made with a path through a regular file (/dev/null/x.csv) and a missing parent folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { expectUsageError } from './usage-error';
import { ALOG, alog } from './run-alog';

let tmp = '';
let archive = '';
let big = '';
let cache = '';
let key = '';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-cli-export-'));
  archive = path.join(tmp, 'archive');
  big = path.join(tmp, 'big');
  cache = path.join(tmp, 'cache');
  const small = await generateArchive({ out: archive, days: 2, perDay: 30, seed: 5, sealed: true, gzipOlder: true, keyDir: path.join(tmp, 'key'), bodyKb: 0.5 });
  key = path.join(archive, small.publicKeyFile!);
  // Large enough that an export runs for a while: the kill tests stop it half-way.
  await generateArchive({ out: big, days: 2, perDay: 2500, seed: 6, sealed: true, gzipOlder: false, keyDir: path.join(tmp, 'key'), bodyKb: 6 });
  expect((await alog('index', big, '--cache-dir', cache, '--trust-key', key)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('alog export / verify-export', () => {
  it('exports, prints the per-rule counts and the verdict; verify-export exits 0', async () => {
    const out = path.join(tmp, 'a.csv');
    const r = await alog('export', archive, 'status:published', '--format', 'csv', '--out', out, '--cache-dir', cache, '--trust-key', key);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/exported \d+ record\(s\) to .*a\.csv/);
    expect(r.stdout).toMatch(/field:content_input\.author\.name\s+pseudonymize as PERSON\s+\d+/);
    expect(r.stdout).toMatch(/text:email\s+pseudonymize as EMAIL\s+\d+/);
    expect(r.stdout).toMatch(/^VERIFIED: /m);
    expect(existsSync(`${out}.manifest.json`)).toBe(true);
    const v = await alog('verify-export', `${out}.manifest.json`, '--trust-key', key);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/VERIFIED: everything listed as proven holds/);
  });

  it('verify-export exits 1 on a changed file or an untrusted signer, 2 on an unreadable manifest', async () => {
    const out = path.join(tmp, 'b.jsonl');
    expect((await alog('export', archive, '--format', 'jsonl', '--out', out, '--cache-dir', cache)).code).toBe(0);
    const untrusted = await alog('verify-export', `${out}.manifest.json`);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/not among the trusted keys/);
    const text = await readFile(out, 'utf8');
    await writeFile(out, text.replace('PERSON_1', 'PERSON_2'));
    const changed = await alog('verify-export', `${out}.manifest.json`, '--trust-key', key);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/FAIL file: the file hashes to/);
    expect((await alog('verify-export', path.join(tmp, 'nope.manifest.json'))).code).toBe(2);
    await writeFile(path.join(tmp, 'junk.manifest.json'), '{"manifest": "something else"}');
    const junk = await alog('verify-export', path.join(tmp, 'junk.manifest.json'));
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/not an export manifest/);
  });

  it('--json prints a machine-readable summary', async () => {
    const out = path.join(tmp, 'c.parquet');
    const r = await alog('export', archive, '--format', 'parquet', '--out', out, '--cache-dir', cache, '--json', '--fields', 'timestamp,platform_publishing.status');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.records.exported).toBe(60);
    expect(j.verified).toBe(false);
    expect(j.rules.find((x: { id: string }) => x.id === 'field:processing_metadata.session_id').count).toBe(60);
  });
});

describe('destinations', () => {
  it('a path through a regular file: a clear error naming it, exit 2', async () => {
    const r = await alog('export', archive, '--format', 'csv', '--out', '/dev/null/x.csv', '--cache-dir', cache);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/null/x.csv');
    expect(r.stderr).toMatch(/not a folder|is a file/);
  });

  it('a missing folder: a clear error naming it, exit 2', async () => {
    const out = path.join(tmp, 'no', 'such', 'folder', 'x.csv');
    const r = await alog('export', archive, '--format', 'csv', '--out', out, '--cache-dir', cache);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(out);
    expect(r.stderr).toMatch(/does not exist/);
  });

  it('never inside the archive, never over an existing file without --overwrite', async () => {
    const inside = await alog('export', archive, '--format', 'csv', '--out', path.join(archive, 'digests', 'x.csv'), '--cache-dir', cache);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/refusing to write .* inside the archive/);
    expect(existsSync(path.join(archive, 'digests', 'x.csv'))).toBe(false);
    const out = path.join(tmp, 'exists.csv');
    await writeFile(out, 'keep me');
    const again = await alog('export', archive, '--format', 'csv', '--out', out, '--cache-dir', cache);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(await readFile(out, 'utf8')).toBe('keep me');
    expect((await alog('export', archive, '--format', 'csv', '--out', out, '--cache-dir', cache, '--overwrite')).code).toBe(0);
  });

  it('a bad profile or format is refused before anything is written', async () => {
    const bad = path.join(tmp, 'bad-profile.json');
    await writeFile(bad, JSON.stringify({ name: 'bad', fields: [{ path: 'a', action: 'pseudonymize' }] }));
    const r = await alog('export', archive, '--format', 'csv', '--out', path.join(tmp, 'p.csv'), '--profile', bad, '--cache-dir', cache);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fields\.0\.label/);
    expect((await alog('export', archive, '--format', 'docx', '--out', path.join(tmp, 'p.docx'))).code).toBe(2);
  });
});

describe('an export stopped half-way leaves no file', () => {
  /** Starts an export of the big archive and stops it with `signal` once its temp file is being written. */
  async function killMidway(signal: NodeJS.Signals, name: string): Promise<{ code: number | null; dir: string; out: string; stderr: string }> {
    const dir = await mkdtemp(path.join(tmp, `kill-${signal}-`));
    const out = path.join(dir, name);
    const child = spawn(process.execPath, [ALOG, 'export', big, '--format', 'jsonl', '--out', out, '--cache-dir', cache], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
    const deadline = Date.now() + 30_000;
    let killed = false;
    while (Date.now() < deadline) {
      const temps = (await readdir(dir)).filter((n) => n.startsWith(`.${name}.`) && n.endsWith('.alog-tmp'));
      const sizes = await Promise.all(temps.map((t) => stat(path.join(dir, t)).then((s) => s.size).catch(() => 0)));
      if (sizes.some((s) => s > 256 * 1024)) {
        child.kill(signal);
        killed = true;
        break;
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(killed, 'the export finished before it could be stopped').toBe(true);
    return { code: await exited, dir, out, stderr };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: cancelled, exit 130, neither the file, its manifest nor a temp file remains`, async () => {
      const { code, dir, out, stderr } = await killMidway(signal, 'stopped.jsonl');
      expect(code).toBe(130);
      expect(stderr).toMatch(/export cancelled; nothing was written/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.manifest.json`)).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    }, 60_000);
  }

  it('SIGKILL: no file under the destination name; the next export removes the dead temp file', async () => {
    const { dir, out } = await killMidway('SIGKILL', 'killed.jsonl');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
    const r = await alog('export', archive, '--format', 'jsonl', '--out', out, '--cache-dir', cache);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['killed.jsonl', 'killed.jsonl.manifest.json']);
  }, 60_000);
});

describe('alog export / verify-export: usage errors', () => {
  it.each([
    ['verify-export: unknown flag', () => ['verify-export', 'a.manifest.json', '--bogus'], /Unknown option '--bogus'/],
    ['verify-export: flag without its value', () => ['verify-export', 'a.manifest.json', '--file'], /'--file <value>' argument missing/],
    ['verify-export: two manifests', () => ['verify-export', 'a', 'b'], /verify-export takes exactly one MANIFEST/],
    ['verify-export: missing --trust-key file', () => ['verify-export', 'a.manifest.json', '--trust-key', '/no-such-key.pem'], /cannot use key \/no-such-key\.pem/],
    ['export: missing --trust-key file', () => ['export', archive, '--format', 'csv', '--out', path.join(tmp, 'k.csv'), '--trust-key', '/no-such-key.pem'], /cannot use key \/no-such-key\.pem/],
  ] as const)('%s: exit 2 and the usage', async (_what, args, message) => {
    expectUsageError(await alog(...args()), message);
  });
});
