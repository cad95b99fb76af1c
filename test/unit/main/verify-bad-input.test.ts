import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSigningKey } from '../../../src/main/services/gen/generator';
import { scanLines } from '../../../src/main/services/archive/line-scanner';
import { DaySealer } from '../../../src/main/services/seal/sealer';
import { verifyArchive, VerificationCancelledError, type VerifyProgress } from '../../../src/main/services/verify/verify-archive';
import { verifyDayFile } from '../../../src/main/services/verify/verify-file';
import type { VerificationReport } from '../../../src/shared/verification-report';
import { ArchiveFixture, digestName, findingsOf, kindsAt, readDay, readLines, statusOf, writeDay, writeLines } from './archive-fixture';

// Bad input of every sort: each case must end in a clear finding (or notice), never in a crash or
// a hang, and must leave the verification of the rest of the archive untouched.
// The fixture: three days of 20 records, d1 and d2 gzipped, d3 plain; line L of d3 has seq 40+L-1.

const fx = new ArchiveFixture();
let d1: string, d2: string, d3: string;

beforeAll(async () => {
  await fx.setup();
  [d1, d2, d3] = fx.days as [string, string, string];
});
afterAll(() => fx.teardown());

type Report = VerificationReport;

function expectFinding(r: Report, file: string, kind: string, line?: number) {
  const hit = findingsOf(r, file).find((f) => f.kind === kind && (line === undefined || f.line === line));
  expect(hit, `${kind}${line !== undefined ? `@${line}` : ''} in ${file}; found ${kindsAt(r, file).join(', ')}`).toBeDefined();
  expect(hit!.message.length).toBeGreaterThanOrEqual(10);
  return hit!;
}

function expectValid(r: Report, ...files: string[]) {
  for (const f of files) expect(statusOf(r, f), `${f}: ${kindsAt(r, f).join(', ')}`).toBe('valid');
}

/** Every day file and digest except `bad` (and the digest of `bad`) is valid. */
function expectOthersValid(r: Report, ...bad: string[]) {
  for (const f of r.files) if (!bad.includes(f.file)) expectValid(r, f.file);
  for (const d of r.digests) if (!bad.includes(d.file ?? '')) expect(d.status, `${d.digest}: ${kindsAt(r, d.digest).join(', ')}`).toBe('valid');
}

function noticesOf(r: Report, file: string) {
  return r.notices.filter((n) => n.file === file);
}

function recordsOf(r: Report, file: string): number {
  return r.files.find((f) => f.file === file)!.records;
}

/** Physical lines of a day file as raw bytes, without their "\n". */
async function readRawLines(dir: string, name: string): Promise<Buffer[]> {
  const buf = await readDay(dir, name);
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl === -1) break;
    out.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

async function writeRawLines(dir: string, name: string, lines: Buffer[]): Promise<void> {
  await writeDay(dir, name, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
}

describe('line endings and framing', () => {
  it('CRLF line endings: a notice, every record verified, only content_hash_mismatch (plain and gzip days)', async () => {
    for (const day of [d3, d1]) {
      const dir = await fx.copy();
      const lines = await readLines(dir, day);
      await writeDay(dir, day, lines.map((l) => l + '\r\n').join(''));
      const r = await fx.verify(dir);
      expect(kindsAt(r, day)).toEqual(['content_hash_mismatch']);
      expect(recordsOf(r, day)).toBe(20);
      const crlf = noticesOf(r, day).find((n) => /CRLF/.test(n.message));
      expect(crlf, JSON.stringify(r.notices)).toBeDefined();
      expect(crlf!.message).toMatch(/20 line\(s\)/);
      expect(crlf!.line).toBe(1);
      expectOthersValid(r, day);
    }
  });

  it('a UTF-8 BOM on line 1: a notice, line 1 still verified', async () => {
    const dir = await fx.copy();
    const bytes = await readDay(dir, d3);
    await writeDay(dir, d3, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
    const r = await fx.verify(dir);
    expect(kindsAt(r, d3)).toEqual(['content_hash_mismatch']);
    expect(recordsOf(r, d3)).toBe(20);
    const bom = noticesOf(r, d3).find((n) => /byte order mark/.test(n.message));
    expect(bom, JSON.stringify(r.notices)).toBeDefined();
    expect(bom!.line).toBe(1);
    expectOthersValid(r, d3);
  });

  it('a BOM in front of a later line is not stripped: malformed_line there', async () => {
    const dir = await fx.copy();
    const lines = await readRawLines(dir, d3);
    lines[4] = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines[4]!]);
    await writeRawLines(dir, d3, lines);
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'malformed_line', 5);
    expect(noticesOf(r, d3).some((n) => /byte order mark/.test(n.message))).toBe(false);
    expectOthersValid(r, d3);
  });

  it('the last line without its newline: a notice, the record still verified', async () => {
    for (const day of [d3, d1]) {
      const dir = await fx.copy();
      const bytes = await readDay(dir, day);
      expect(bytes.at(-1)).toBe(0x0a);
      await writeDay(dir, day, bytes.subarray(0, -1));
      const r = await fx.verify(dir);
      expect(kindsAt(r, day)).toEqual(['content_hash_mismatch']);
      expect(recordsOf(r, day)).toBe(20);
      expect(r.files.find((f) => f.file === day)!.lines).toBe(20);
      const n = noticesOf(r, day).find((x) => /no terminating newline/.test(x.message));
      expect(n, JSON.stringify(r.notices)).toBeDefined();
      expect(n!.line).toBe(20);
      expectOthersValid(r, day);
    }
  });

  it('a blank (or whitespace-only) line in the middle: malformed_line there, the chain unaffected', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    lines.splice(10, 0, '');
    lines.splice(15, 0, '   \t');
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    expect(expectFinding(r, d3, 'malformed_line', 11).message).toMatch(/empty line/);
    expectFinding(r, d3, 'malformed_line', 16);
    expect(kindsAt(r, d3).filter((k) => /^(seq_gap|chain_break|record_hash_mismatch)/.test(k))).toEqual([]);
    expectFinding(r, d3, 'record_count_mismatch');
    expect(recordsOf(r, d3)).toBe(20);
    expectOthersValid(r, d3);
  });

  it('lines that are JSON but not objects: an array, a number, null, a string, true', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const junk = ['[1,2,3]', '42', 'null', '"just a string"', 'true'];
    lines.splice(5, 0, ...junk); // new lines 6..10
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    expect(expectFinding(r, d3, 'malformed_line', 6).message).toMatch(/array/);
    expect(expectFinding(r, d3, 'malformed_line', 7).message).toMatch(/number/);
    expect(expectFinding(r, d3, 'malformed_line', 8).message).toMatch(/null/);
    expect(expectFinding(r, d3, 'malformed_line', 9).message).toMatch(/string/);
    expect(expectFinding(r, d3, 'malformed_line', 10).message).toMatch(/boolean/);
    // Lines that are not records do not disturb the chain of the records around them.
    expect(kindsAt(r, d3).filter((k) => /^(seq_gap|chain_break|record_hash_mismatch)/.test(k))).toEqual([]);
    expect(recordsOf(r, d3)).toBe(20);
    expectOthersValid(r, d3);
  });
});

describe('bytes that are not UTF-8', () => {
  it('invalid UTF-8 inside a line: malformed_line at that line naming the byte offset', async () => {
    const dir = await fx.copy();
    const lines = await readRawLines(dir, d3);
    // Each bad sequence is put at a known offset inside the body text (ASCII around it).
    const cases: { line: number; bytes: number[] }[] = [
      { line: 3, bytes: [0xff] }, // never valid in UTF-8
      { line: 5, bytes: [0x80] }, // a continuation byte without a lead byte
      { line: 7, bytes: [0xc3, 0x28] }, // a 2-byte sequence cut short
      { line: 9, bytes: [0xc0, 0xaf] }, // overlong encoding of '/'
      { line: 11, bytes: [0xed, 0xa0, 0x80] }, // a UTF-16 surrogate encoded as UTF-8 (CESU-8)
      { line: 13, bytes: [0xf4, 0x90, 0x80, 0x80] }, // beyond U+10FFFF
      { line: 15, bytes: [0xe2, 0x82] }, // 3-byte sequence cut short
    ];
    const offsets = new Map<number, number>();
    for (const c of cases) {
      const l = lines[c.line - 1]!;
      // An offset inside the body where plain ASCII letters surround the bad bytes.
      const body = l.indexOf('"body":"');
      const at = body + /[A-Za-z ]{12}/.exec(l.toString('latin1', body))!.index + 4;
      for (let k = -4; k < c.bytes.length + 4; k++) expect(l[at + k]!, `line ${c.line}`).toBeLessThan(0x80);
      lines[c.line - 1] = Buffer.concat([l.subarray(0, at), Buffer.from(c.bytes), l.subarray(at + c.bytes.length)]);
      offsets.set(c.line, at);
    }
    await writeRawLines(dir, d3, lines);
    const r = await fx.verify(dir);
    for (const c of cases) {
      const f = expectFinding(r, d3, 'malformed_line', c.line);
      expect(f.message).toMatch(/invalid UTF-8/);
      expect(f.message, `line ${c.line} bytes ${c.bytes.map((b) => b.toString(16))}`).toMatch(new RegExp(`byte offset ${offsets.get(c.line)}\\b`));
    }
    expectOthersValid(r, d3);
  });

  it('lone surrogate escapes: malformed_line explaining that the record cannot be canonicalized', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    lines[9] = lines[9]!.replace('"title":"', '"title":"\\ud800');
    lines[11] = lines[11]!.replace('{"activation_id"', '{"x\\udc00y":1,"activation_id"');
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    const a = expectFinding(r, d3, 'malformed_line', 10);
    expect(a.message).toMatch(/canonicaliz/i);
    expect(a.message).toMatch(/surrogate/);
    expect(a.message).toMatch(/content_input\.title/);
    expect(a.seq).toBe(49);
    const b = expectFinding(r, d3, 'malformed_line', 12);
    expect(b.message).toMatch(/surrogate/);
    expectOthersValid(r, d3);
  });
});

describe('empty, oversized and broken files', () => {
  it('an empty plain day file: a notice and record_count_mismatch, no crash', async () => {
    const dir = await fx.copy();
    await writeFile(path.join(dir, d3), '');
    const r = await fx.verify(dir);
    expect(noticesOf(r, d3).some((n) => /empty/.test(n.message))).toBe(true);
    expectFinding(r, d3, 'record_count_mismatch');
    expect(statusOf(r, d3)).toBe('invalid');
    expect(recordsOf(r, d3)).toBe(0);
    expectOthersValid(r, d3);
  });

  it('an empty gzip day (valid gzip of nothing): a notice and record_count_mismatch', async () => {
    const dir = await fx.copy();
    await writeFile(path.join(dir, d2), gzipSync(Buffer.alloc(0)));
    const r = await fx.verify(dir);
    expect(noticesOf(r, d2).some((n) => /empty/.test(n.message))).toBe(true);
    expectFinding(r, d2, 'record_count_mismatch');
    expect(statusOf(r, d2)).toBe('invalid');
    expectValid(r, d1);
  });

  it('a zero-byte .gz file is a truncated gzip stream: decompress_error', async () => {
    const dir = await fx.copy();
    await writeFile(path.join(dir, d2), '');
    const r = await fx.verify(dir);
    expectFinding(r, d2, 'decompress_error');
    expect(statusOf(r, d2)).toBe('invalid');
    expectValid(r, d1);
  });

  it('a line over the line cap: malformed_line naming the cap, the lines after it still verified', async () => {
    for (const size of [200 * 1024, 5 * 1024 * 1024]) {
      const dir = await fx.copy();
      const lines = await readLines(dir, d3);
      const huge = `{"activation_id":"act_${'0'.repeat(32)}","pad":"${'x'.repeat(size - 60)}"}`;
      lines.splice(3, 0, huge); // line 4
      await writeLines(dir, d3, lines);
      const r = await fx.verify(dir, { lineCap: 64 * 1024 });
      const f = expectFinding(r, d3, 'malformed_line', 4);
      expect(f.message).toMatch(/65536 byte cap/);
      expect(f.message).toContain(String(Buffer.byteLength(huge)));
      // Every record before and after the huge line was verified, with the chain intact.
      expect(recordsOf(r, d3)).toBe(20);
      expect(kindsAt(r, d3).sort()).toEqual(['content_hash_mismatch', 'malformed_line@4', 'record_count_mismatch']);
      expectOthersValid(r, d3);
    }
  });

  it('the line cap holds lines over it out of memory: the scanner never hands them over', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const huge = 'y'.repeat(5 * 1024 * 1024);
    lines.splice(0, 0, huge);
    await writeLines(dir, d3, lines);
    const cap = 64 * 1024;
    let longest = 0;
    const oversize: { line: number; length: number }[] = [];
    const res = await scanLines(
      path.join(dir, d3),
      { line: (_b, s, e) => void (longest = Math.max(longest, e - s)), oversize: (line, _o, length) => void oversize.push({ line, length }) },
      { gzip: false, lineCap: cap, chunkSize: 64 * 1024 },
    );
    expect(oversize).toEqual([{ line: 1, length: huge.length }]);
    expect(longest).toBeLessThanOrEqual(cap);
    expect(res.lines).toBe(21);
  });

  it('a truncated gzip stream: decompress_error, the other files still verified', async () => {
    for (const keep of [0.5, 10 / 20645]) {
      const dir = await fx.copy();
      const p = path.join(dir, d2);
      const size = (await readFile(p)).length;
      await truncate(p, Math.max(10, Math.floor(size * keep)));
      const r = await fx.verify(dir);
      expect(expectFinding(r, d2, 'decompress_error').message).toMatch(/cannot be trusted/);
      expect(statusOf(r, d2)).toBe('invalid');
      expectValid(r, d1);
      // d3's own records all verify; only its link to the broken day is reported.
      expect(kindsAt(r, d3).every((k) => /^(seq_gap|chain_break)@1$/.test(k)), kindsAt(r, d3).join()).toBe(true);
      expect(recordsOf(r, d3)).toBe(20);
    }
  });

  it('a gzip file with trailing bytes: decompress_error, the other files still verified', async () => {
    for (const trailer of [Buffer.from('GARBAGE APPENDED\n'), Buffer.alloc(64), Buffer.from([0x1f, 0x8b, 0x08, 0x00])]) {
      const dir = await fx.copy();
      await appendFile(path.join(dir, d2), trailer);
      const r = await fx.verify(dir);
      expectFinding(r, d2, 'decompress_error');
      expect(statusOf(r, d2)).toBe('invalid');
      expectValid(r, d1);
      expect(kindsAt(r, d3).every((k) => /^(seq_gap|chain_break)@1$/.test(k)), kindsAt(r, d3).join()).toBe(true);
    }
  });

  it('trailing zero bytes past the first read chunk are all counted', async () => {
    const dir = await fx.copy();
    const p = path.join(dir, d1);
    await appendFile(p, Buffer.alloc(5000));
    const res = await scanLines(p, { line: () => {}, oversize: () => {} }, { gzip: true, chunkSize: 1024 });
    expect(res.decompressError).toBeUndefined();
    expect(res.lines).toBe(20);
    expect(res.trailingGzipBytes).toBe(5000);
  });

  it('a directory named like a day file: no crash, reported as unreadable', async () => {
    const dir = await fx.copy();
    await unlink(path.join(dir, d3));
    await mkdir(path.join(dir, d3));
    await writeFile(path.join(dir, d3, 'inner.txt'), 'x');
    const r = await fx.verify(dir);
    expect(statusOf(r, d3)).toBe('unreadable');
    expect(findingsOf(r, d3)[0]!.message).toMatch(/not a regular file/);
    expectValid(r, d1, d2);
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot && !existsSync('/proc/self/mem'))('an unreadable day file: status unreadable, the other files still verified', async () => {
    // As root chmod 000 does not stop a read; then a symlink to /proc/self/mem stands in: a regular
    // file (size 0) whose read at offset 0 fails with EIO.
    const dir = await fx.copy();
    if (asRoot) {
      await unlink(path.join(dir, d3));
      await symlink('/proc/self/mem', path.join(dir, d3));
    } else {
      await chmod(path.join(dir, d3), 0o000);
    }
    const r = await fx.verify(dir);
    expect(statusOf(r, d3)).toBe('unreadable');
    expect(findingsOf(r, d3)[0]!.message).toMatch(/cannot read/);
    expect(r.summary.unreadableFiles).toBe(1);
    expect(r.summary.ok).toBe(false);
    expectValid(r, d1, d2);
  });

  it('a dangling symlink named like a day file: reported, not fatal to the whole verification', async () => {
    const dir = await fx.copy();
    await unlink(path.join(dir, d3));
    await symlink(path.join(dir, 'no-such-target'), path.join(dir, d3));
    const r = await fx.verify(dir);
    expect(statusOf(r, d1)).toBe('valid');
    expect(statusOf(r, d2)).toBe('valid');
    expect(statusOf(r, d3)).toBe('unreadable');
    expect(findingsOf(r, d3)[0]!.message).toMatch(/ENOENT/);
  });
});

describe('hostile JSON content', () => {
  it('duplicate member names: schema_violation naming the key', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    // JSON.parse keeps the last value, so the parsed record is exactly the sealed one: only the
    // duplicate check can tell.
    lines[5] = lines[5]!.replace('{"activation_id":', `{"activation_id":"act_${'0'.repeat(32)}","activation_id":`);
    lines[7] = lines[7]!.replace('"tokens":{"completion":', '"tokens":{"completion":1,"completion":');
    expect(lines[7]).toContain('"completion":1,"completion":');
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    const a = expectFinding(r, d3, 'schema_violation', 6);
    expect(a.message).toContain('"activation_id"');
    expect(a.seq).toBe(45);
    const b = expectFinding(r, d3, 'schema_violation', 8);
    expect(b.message).toContain('"completion"');
    expect(b.message).toContain('ai_enrichment.tokens');
    expect(kindsAt(r, d3).some((k) => k.startsWith('record_hash_mismatch'))).toBe(false);
    expectOthersValid(r, d3);
  });

  it('__proto__ and constructor keys: a finding, and no prototype pollution (worker and in-process)', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const evil = '"__proto__":{"polluted":"yes","toString":"x"},"constructor":{"prototype":{"polluted":"yes"}},';
    lines[6] = lines[6]!.replace('{"activation_id"', `{${evil}"activation_id"`);
    // Also inside a section that fails the schema, so zod's slower reporting path builds its output.
    lines[7] = lines[7]!.replace('"content_input":{', `"content_input":{${evil}`).replace(/"locale":"[^"]*"/, '"locale":42');
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'record_hash_mismatch', 7);
    expectFinding(r, d3, 'record_hash_mismatch', 8);
    expectFinding(r, d3, 'schema_violation', 8);
    expectOthersValid(r, d3);
    const local = await verifyDayFile(path.join(dir, d3), d3, { gzip: false, archiveSealed: true, schema: 'all' });
    expect(local.findings.some((f) => f.kind === 'record_hash_mismatch' && f.line === 7)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(typeof ({} as object).toString).toBe('function');
  });

  it('10,000-deep nesting in an extra field: a finding, no stack overflow', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const arrays = '['.repeat(10_000) + ']'.repeat(10_000);
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const veryDeep = '['.repeat(200_000) + ']'.repeat(200_000);
    lines[2] = lines[2]!.replace('{"activation_id"', `{"zz_deep":${arrays},"activation_id"`);
    lines[3] = lines[3]!.replace('"content_input":{', `"content_input":{"extra":${objects},`);
    lines[4] = lines[4]!.replace('{"activation_id"', `{"zz_deep":${veryDeep},"activation_id"`);
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir, { schema: 'all' });
    for (const line of [3, 4, 5]) expectFinding(r, d3, 'record_hash_mismatch', line);
    expect(kindsAt(r, d3).filter((k) => k.startsWith('malformed_line'))).toEqual([]);
    expectOthersValid(r, d3);
  });

  it('an integer beyond 2^53 written as raw text: schema_violation and record_hash_mismatch', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const idx = lines.findIndex((l) => /"prompt":\d+/.test(l));
    expect(idx).toBeGreaterThanOrEqual(0);
    lines[idx] = lines[idx]!.replace(/"prompt":\d+/, '"prompt":9007199254740993');
    await writeLines(dir, d3, lines);
    const r = await fx.verify(dir);
    const line = idx + 1;
    expect(expectFinding(r, d3, 'schema_violation', line).message).toContain('ai_enrichment.tokens.prompt');
    expectFinding(r, d3, 'record_hash_mismatch', line);
    expectOthersValid(r, d3);
  });

  it('hostile strings (HTML, spreadsheet formula, bidi override, ANSI escape) in a properly sealed archive verify', async () => {
    const dir = await fx.copy();
    const hostile = {
      title: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
      formula: "=cmd|' /C calc'!A0",
      bidi: 'invoice\u202Efdp.exe',
      ansi: '\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007',
    };
    // Re-seal the newest day as its producer would, with these strings in its records, and sign it.
    const prevDigest = JSON.parse(await readFile(path.join(dir, digestName(d2)), 'utf8'));
    const sealer = new DaySealer(d3, d3.slice(12, 22), { nextSeq: 40, chainHash: prevDigest.chain_head, previousDigest: prevDigest });
    const lines = (await readLines(dir, d3)).map((line) => {
      const rec = JSON.parse(line);
      delete rec.integrity;
      rec.content_input.title = hostile.title;
      rec.content_input.author.name = hostile.bidi;
      rec.content_input.tags = [hostile.formula, hostile.ansi];
      rec.content_input.body = `${hostile.formula}\n${hostile.ansi}\n${hostile.bidi}`;
      rec[hostile.ansi] = hostile.bidi; // as a key, too
      return sealer.sealLine(rec).slice(0, -1);
    });
    await writeLines(dir, d3, lines);
    const { digest } = sealer.digest(deriveSigningKey(7));
    await writeFile(path.join(dir, digestName(d3)), JSON.stringify(digest));
    const r = await fx.verify(dir, { schema: 'all' });
    expect(r.summary.findings, JSON.stringify(r.files.map((f) => f.findings))).toBe(0);
    expect(r.summary.ok).toBe(true);
    expectValid(r, d1, d2, d3);

    // The same strings tampered in after sealing are caught.
    const lines2 = await readLines(dir, d3);
    lines2[1] = lines2[1]!.replace(JSON.stringify(hostile.formula), JSON.stringify("=HYPERLINK(\"http://evil\")"));
    await writeLines(dir, d3, lines2);
    const r2 = await fx.verify(dir);
    expectFinding(r2, d3, 'record_hash_mismatch', 2);
    expectOthersValid(r2, d3);
  });
});

describe('the fast path and the slow path read the same record', () => {
  it('a non-ASCII activation_id is the same id on both paths (duplicates found, message not garbled)', async () => {
    const dir = await fx.copy();
    const odd = 'act_ünïcödé-€';
    const prevDigest = JSON.parse(await readFile(path.join(dir, digestName(d2)), 'utf8'));
    const sealer = new DaySealer(d3, d3.slice(12, 22), { nextSeq: 40, chainHash: prevDigest.chain_head, previousDigest: prevDigest });
    const lines = (await readLines(dir, d3)).map((line, i) => {
      const rec = JSON.parse(line);
      delete rec.integrity;
      if (i === 1 || i === 4 || i === 7) rec.activation_id = odd;
      return sealer.sealLine(rec).slice(0, -1);
    });
    // Line 8 re-serialized with a space: the same record, so it still verifies, but the slow way.
    lines[7] = lines[7]!.replace('{"activation_id":', '{ "activation_id": ');
    await writeLines(dir, d3, lines);
    const { digest } = sealer.digest(deriveSigningKey(7));
    await writeFile(path.join(dir, digestName(d3)), JSON.stringify(digest));
    const r = await fx.verify(dir);
    const fast = expectFinding(r, d3, 'duplicate_activation_id', 5);
    expect(fast.message).toContain(odd);
    expect(fast.message).toMatch(/line 2\b/);
    const slow = expectFinding(r, d3, 'duplicate_activation_id', 8);
    expect(slow.message).toContain(odd);
    expect(kindsAt(r, d3).some((k) => /^(record_hash_mismatch|chain_break|seq_gap)/.test(k))).toBe(false);
    expectValid(r, d1, d2);
  });
});

describe('an unsealed archive', () => {
  const ufx = new ArchiveFixture();
  beforeAll(() => ufx.setup({ sealed: false, days: 2, perDay: 10 }));
  afterAll(() => ufx.teardown());

  it('says unsealed, not valid, and reports no unsealed_record', async () => {
    const r = await verifyArchive(ufx.base, { pool: ufx.pool, trustedKeys: [] });
    expect(r.summary.sealed).toBe(false);
    expect(r.summary.ok).toBe(false);
    expect(r.files.map((f) => f.status)).toEqual(['unsealed', 'unsealed']);
    expect(r.summary.unsealedFiles).toBe(2);
    expect(r.summary.validFiles).toBe(0);
    expect(r.summary.records).toBe(20);
    expect(r.summary.findings).toBe(0);
    expect(r.files.flatMap((f) => f.findings).filter((f) => f.kind === 'unsealed_record')).toEqual([]);
    expect(r.digests).toEqual([]);
  });

  it('still reports bad lines in an unsealed archive', async () => {
    const dir = await ufx.copy();
    const day = ufx.days[1]!;
    const lines = await readLines(dir, day);
    lines[2] = lines[2]!.slice(0, 50);
    await writeLines(dir, day, lines);
    const r = await verifyArchive(dir, { pool: ufx.pool, trustedKeys: [] });
    expectFinding(r, day, 'malformed_line', 3);
    expect(statusOf(r, day)).toBe('invalid');
    expect(statusOf(r, ufx.days[0]!)).toBe('unsealed');
    expect(r.files.flatMap((f) => f.findings).filter((f) => f.kind === 'unsealed_record')).toEqual([]);
  });
});

describe('cancellation and progress', () => {
  it('a signal aborted before the start rejects at once', async () => {
    const c = new AbortController();
    c.abort();
    await expect(fx.verify(fx.base, { signal: c.signal })).rejects.toBeInstanceOf(VerificationCancelledError);
    expect((await fx.verify(fx.base)).summary.ok).toBe(true);
  });

  it('aborting shortly after the start rejects with a cancellation error; the pool stays usable', async () => {
    const c = new AbortController();
    let calls = 0;
    const p = fx.verify(fx.base, {
      signal: c.signal,
      onProgress: () => {
        if (++calls === 1) c.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(VerificationCancelledError);
    expect(calls).toBeGreaterThan(0);
    const r = await fx.verify(fx.base);
    expect(r.summary.ok).toBe(true);
  });

  it('aborting in the middle of a large file stops its worker; the pool stays usable', async () => {
    const dir = await fx.copy();
    // 48 MB of 1 MB junk lines: progress fires every 8 MB, long before the file is done.
    const junk = Buffer.alloc(1024 * 1024, 'z');
    junk[junk.length - 1] = 0x0a;
    await writeFile(path.join(dir, d3), Buffer.concat(Array.from({ length: 48 }, () => junk)));
    const c = new AbortController();
    const seen: VerifyProgress[] = [];
    const started = performance.now();
    const p = fx.verify(dir, {
      signal: c.signal,
      onProgress: (x) => {
        seen.push(x);
        if (x.doneBytes > 0 && x.filesDone < x.filesTotal && !c.signal.aborted) c.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(VerificationCancelledError);
    expect(performance.now() - started).toBeLessThan(10_000);
    for (let i = 0; i < 3; i++) expect((await fx.verify(fx.base)).summary.ok).toBe(true);
  });

  it('progress: called, never decreasing, and its final doneBytes equals totalBytes', async () => {
    const seen: VerifyProgress[] = [];
    const r = await fx.verify(fx.base, { onProgress: (x) => seen.push({ ...x }) });
    expect(r.summary.ok).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    const last = seen.at(-1)!;
    const { stat } = await import('node:fs/promises');
    let total = 0;
    for (const d of fx.days) total += (await stat(path.join(fx.base, d))).size;
    expect(last.totalBytes).toBe(total);
    expect(last.doneBytes).toBe(last.totalBytes);
    expect(last.filesDone).toBe(3);
    expect(last.filesTotal).toBe(3);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.doneBytes).toBeGreaterThanOrEqual(seen[i - 1]!.doneBytes);
      expect(seen[i]!.doneBytes).toBeLessThanOrEqual(seen[i]!.totalBytes);
    }
  });
});

