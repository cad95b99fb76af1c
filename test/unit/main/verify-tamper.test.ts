import { readFile, rm, truncate, writeFile, appendFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaySealer, GENESIS } from '../../../src/main/services/seal/sealer';
import { deriveSigningKey } from '../../../src/main/services/gen/generator';
import { FINDING_KINDS } from '../../../src/shared/findings';
import { checkpointOf } from '../../../src/main/services/verify/checkpoint-file';
import { ArchiveFixture, digestName, editLines, findingsOf, kindsAt, readLines, statusOf, writeLines } from './archive-fixture';

// One tamper per finding kind of the spec, on a generated sealed archive of three days
// (two gzipped, the newest plain) of 20 records each: the newest day's line L has seq 40 + L - 1.

const fx = new ArchiveFixture();
let d1: string, d2: string, d3: string;
const covered = new Set<string>();

beforeAll(async () => {
  await fx.setup();
  [d1, d2, d3] = fx.days as [string, string, string];
});
afterAll(() => fx.teardown());

function expectFinding(report: Awaited<ReturnType<typeof fx.verify>>, file: string, kind: string, line?: number, seq?: number) {
  covered.add(kind);
  const hit = findingsOf(report, file).find((f) => f.kind === kind && (line === undefined || f.line === line));
  expect(hit, `${kind}${line ? `@${line}` : ''} in ${file}; found ${kindsAt(report, file).join(', ')}`).toBeDefined();
  if (seq !== undefined) expect(hit!.seq).toBe(seq);
  expect(hit!.message.length).toBeGreaterThan(10);
}

/** Other files stay valid: one bad file never spoils the verification of the rest. */
function expectOthersValid(report: Awaited<ReturnType<typeof fx.verify>>, ...bad: string[]) {
  for (const f of report.files) if (!bad.includes(f.file)) expect(statusOf(report, f.file), f.file).toBe('valid');
}

describe('an untouched archive', () => {
  it('verifies with the trusted key', async () => {
    const r = await fx.verify(fx.base);
    expect(r.summary.ok).toBe(true);
    expect(r.summary.findings).toBe(0);
    expect(r.files.map((f) => f.status)).toEqual(['valid', 'valid', 'valid']);
    expect(r.summary.records).toBe(60);
  });
});

describe('line-level tampering', () => {
  it('malformed_line: a truncated line', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void (l[4] = l[4]!.slice(0, 100)));
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'malformed_line', 5);
    expect(statusOf(r, d3)).toBe('invalid');
    expectOthersValid(r, d3);
  });

  it('schema_violation: a field of the wrong type (and the altered record is flagged too)', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => {
      const rec = JSON.parse(l[6]!);
      rec.content_input.locale = 42;
      l[6] = JSON.stringify(rec);
    });
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'schema_violation', 7, 46);
    expectFinding(r, d3, 'record_hash_mismatch', 7, 46);
    expectOthersValid(r, d3);
  });

  it('unsealed_record: a record stripped of its seal', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => {
      const rec = JSON.parse(l[2]!);
      delete rec.integrity;
      l[2] = JSON.stringify(rec);
    });
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'unsealed_record', 3);
  });

  it('record_hash_mismatch: one word of the body changed in place', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => {
      const m = /"body":"(.)/.exec(l[3]!)!;
      const at = m.index + m[0].length - 1;
      l[3] = l[3]!.slice(0, at) + (m[1] === 'X' ? 'Y' : 'X') + l[3]!.slice(at + 1);
    });
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'record_hash_mismatch', 4, 43);
    // The seal itself was not touched, so the chain still holds: the finding is precise.
    expect(kindsAt(r, d3).filter((k) => k.startsWith('chain_break'))).toEqual([]);
    expectFinding(r, d3, 'merkle_root_mismatch');
    expectFinding(r, d3, 'content_hash_mismatch');
  });

  it('chain_break and seq_gap: a record deleted', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void l.splice(5, 1));
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'seq_gap', 6, 46);
    expectFinding(r, d3, 'chain_break', 6, 46);
    expect(findingsOf(r, d3).find((f) => f.kind === 'seq_gap')!.message).toMatch(/1 record\(s\) missing/);
    expectFinding(r, d3, 'record_count_mismatch');
  });

  it('chain_break: a rewritten chain_hash', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void (l[7] = l[7]!.replace(/"chain_hash":"[0-9a-f]{64}"/, `"chain_hash":"${'ab'.repeat(32)}"`)));
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'chain_break', 8, 47);
  });

  it('seq_gap: two records swapped (reordered)', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void ([l[9], l[10]] = [l[10]!, l[9]!]));
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'seq_gap', 10, 50);
    expectFinding(r, d3, 'seq_gap', 11, 49);
    expect(findingsOf(r, d3).find((f) => f.kind === 'seq_gap' && f.line === 11)!.message).toMatch(/reordered/);
    // Swapping keeps every record intact: no record_hash_mismatch.
    expect(kindsAt(r, d3).some((k) => k.startsWith('record_hash_mismatch'))).toBe(false);
  });

  it('duplicate_activation_id: a record copied, within a file and across files', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void l.push(l[1]!));
    const other = (await readLines(dir, d1))[0]!;
    await editLines(dir, d3, (l) => void l.push(other));
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'duplicate_activation_id', 21);
    expectFinding(r, d3, 'duplicate_activation_id', 22);
    expect(findingsOf(r, d3).find((f) => f.line === 22 && f.kind === 'duplicate_activation_id')!.message).toContain(d1);
  });
});

describe('records the producer itself sealed wrong', () => {
  it('schema_violation of a sealed record: found with --schema all, passed over by the fast path', async () => {
    const dir = await fx.copy();
    const prevDay = JSON.parse(await readFile(path.join(dir, digestName(d2)), 'utf8'));
    const prev = JSON.parse((await readLines(dir, d2)).at(-1)!).integrity;
    const sealer = new DaySealer(d3, d3.slice(12, 22), { nextSeq: 40, chainHash: prev.chain_hash, previousDigest: prevDay });
    const lines = (await readLines(dir, d3)).map((line, i) => {
      const rec = JSON.parse(line);
      delete rec.integrity;
      if (i === 2) rec.ai_enrichment = { provider: 42 };
      return sealer.sealLine(rec).slice(0, -1);
    });
    await writeLines(dir, d3, lines);
    const { createPrivateKey } = await import('node:crypto');
    const { digest } = sealer.digest(createPrivateKey(await readFile(fx.signingKeyPath, 'utf8')));
    await writeFile(path.join(dir, digestName(d3)), JSON.stringify(digest));

    const fast = await fx.verify(dir);
    expect(fast.summary.findings).toBe(0);
    expect(fast.summary.schemaChecked).toBe('changed');
    const full = await fx.verify(dir, { schema: 'all' });
    expectFinding(full, d3, 'schema_violation', 3, 42);
    expect(kindsAt(full, d3)).toEqual(['schema_violation@3']);
  });
});

describe('file-level tampering', () => {
  it('decompress_error: a truncated gzip file', async () => {
    const dir = await fx.copy();
    const p = path.join(dir, d1);
    const size = (await readFile(p)).length;
    await truncate(p, Math.floor(size / 2));
    const r = await fx.verify(dir);
    expectFinding(r, d1, 'decompress_error');
    expect(statusOf(r, d1)).toBe('invalid');
    // The next day's chain no longer joins the last record read from the broken day.
    expectFinding(r, d2, 'seq_gap', 1, 20);
    expect(statusOf(r, d3)).toBe('valid');
  });

  it('decompress_error: a corrupted byte inside the gzip stream', async () => {
    const dir = await fx.copy();
    const p = path.join(dir, d2);
    const buf = await readFile(p);
    buf[Math.floor(buf.length / 2)]! ^= 0xff;
    await writeFile(p, buf);
    const r = await fx.verify(dir);
    expectFinding(r, d2, 'decompress_error');
    expect(statusOf(r, d1)).toBe('valid');
  });

  it('decompress_error: bytes appended after the gzip stream', async () => {
    const dir = await fx.copy();
    await appendFile(path.join(dir, d1), Buffer.alloc(16));
    const r = await fx.verify(dir);
    expectFinding(r, d1, 'decompress_error');
    expect(findingsOf(r, d1)[0]!.message).toMatch(/16 byte\(s\) follow the end of the gzip stream/);
  });

  it('content_hash_mismatch: line endings rewritten, records intact', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    await writeFile(path.join(dir, d3), lines.map((l) => l + '\r\n').join(''));
    const r = await fx.verify(dir);
    expect(kindsAt(r, d3)).toEqual(['content_hash_mismatch']);
    covered.add('content_hash_mismatch');
    expect(r.notices.some((n) => n.file === d3 && /CRLF/.test(n.message))).toBe(true);
  });

  it('merkle_root_mismatch: a day re-sealed after editing a record', async () => {
    const dir = await fx.copy();
    const lines = await readLines(dir, d3);
    const prev = JSON.parse((await readLines(dir, d2)).at(-1)!).integrity;
    const sealer = new DaySealer(d3, d3.slice(12, 22), { nextSeq: 40, chainHash: prev.chain_hash, previousDigest: null });
    const resealed = lines.map((line, i) => {
      const rec = JSON.parse(line);
      delete rec.integrity;
      if (i === 3) rec.platform_publishing.status = 'published';
      if (i === 3) rec.content_input.title = 'rewritten';
      return sealer.sealLine(rec).slice(0, -1);
    });
    await writeLines(dir, d3, resealed);
    const r = await fx.verify(dir);
    // Every seal is self-consistent now, so only the signed digest can tell.
    expect(kindsAt(r, d3).sort()).toEqual(['chain_head_mismatch@20', 'content_hash_mismatch', 'merkle_root_mismatch']);
    covered.add('merkle_root_mismatch').add('chain_head_mismatch');
  });

  it('record_count_mismatch and chain_head_mismatch: the last record removed', async () => {
    const dir = await fx.copy();
    await editLines(dir, d3, (l) => void l.pop());
    const r = await fx.verify(dir);
    expectFinding(r, d3, 'record_count_mismatch');
    expectFinding(r, d3, 'chain_head_mismatch');
    expect(findingsOf(r, d3).find((f) => f.kind === 'record_count_mismatch')!.message).toMatch(/1 missing/);
  });
});

describe('digest tampering', () => {
  it('signature_invalid: a digest field edited', async () => {
    const dir = await fx.copy();
    const p = path.join(dir, digestName(d2));
    const digest = JSON.parse(await readFile(p, 'utf8'));
    digest.record_count = 19;
    await writeFile(p, JSON.stringify(digest));
    const r = await fx.verify(dir);
    expectFinding(r, digestName(d2), 'signature_invalid');
    expectFinding(r, digestName(d3), 'digest_chain_break');
    expect(statusOf(r, d2)).toBe('invalid');
  });

  it('untrusted_key: no key trusted, and an archive re-signed with a forger key', async () => {
    const r = await fx.verify(fx.base, { trustedKeys: [] });
    for (const d of fx.days) expectFinding(r, digestName(d), 'untrusted_key');
    expect(r.files.every((f) => f.status === 'invalid')).toBe(true);
    expect(r.summary.ok).toBe(false);

    // A forger rewrites a record, re-seals and re-signs every day, and ships their key in keys/.
    const dir = await fx.copy();
    const forger = deriveSigningKey(999);
    let state = GENESIS;
    for (const name of fx.days) {
      const lines = await readLines(dir, name);
      const sealer = new DaySealer(name, name.slice(12, 22), state);
      const out = lines.map((line) => {
        const rec = JSON.parse(line);
        delete rec.integrity;
        rec.platform_publishing.status = 'published';
        return sealer.sealLine(rec).slice(0, -1);
      });
      await writeLines(dir, name, out);
      const { digest, next } = sealer.digest(forger);
      state = next;
      await writeFile(path.join(dir, digestName(name)), JSON.stringify(digest));
    }
    const { createPublicKey } = await import('node:crypto');
    const { keyIdOf } = await import('../../../src/main/services/seal/crypto');
    const pub = createPublicKey(forger);
    await writeFile(path.join(dir, 'keys', `${keyIdOf(pub)}.pem`), pub.export({ type: 'spki', format: 'pem' }));
    const forged = await fx.verify(dir);
    for (const d of fx.days) {
      expectFinding(forged, digestName(d), 'untrusted_key');
      expect(kindsAt(forged, d)).toEqual([]); // internally consistent...
      expect(statusOf(forged, d)).toBe('invalid'); // ...but not signed by anyone trusted
    }
  });

  it('digest_chain_break and a seq gap across files: a whole day removed', async () => {
    const dir = await fx.copy();
    await rm(path.join(dir, d2));
    await rm(path.join(dir, digestName(d2)));
    const r = await fx.verify(dir);
    expectFinding(r, digestName(d3), 'digest_chain_break');
    expectFinding(r, d3, 'seq_gap', 1, 40);
    expectFinding(r, d3, 'chain_break', 1, 40);
    expectFinding(r, d2.replace('.gz', ''), 'missing_day');
    expect(statusOf(r, d1)).toBe('valid');
  });

  it('checkpoint_mismatch: the newest day removed, against a checkpoint of the whole archive', async () => {
    const full = await fx.verify(fx.base);
    const made = checkpointOf(full, new Date());
    if (!('checkpoint' in made)) throw new Error('the untouched archive gives a checkpoint');
    const dir = await fx.copy();
    await rm(path.join(dir, d3));
    await rm(path.join(dir, digestName(d3)));
    const r = await fx.verify(dir, { completeness: { checkpoint: made.checkpoint } });
    expectFinding(r, digestName(d3), 'checkpoint_mismatch');
  });

  it('digest_chain_break: the first day removed', async () => {
    const dir = await fx.copy();
    await rm(path.join(dir, d1));
    await rm(path.join(dir, digestName(d1)));
    const r = await fx.verify(dir);
    expectFinding(r, digestName(d2), 'digest_chain_break');
    expectFinding(r, d2, 'seq_gap', 1, 20);
  });

  it('malformed_digest: a digest that is not JSON', async () => {
    const dir = await fx.copy();
    await writeFile(path.join(dir, digestName(d2)), '{"v":1, this is not json');
    const r = await fx.verify(dir);
    expectFinding(r, digestName(d2), 'malformed_digest');
    expect(findingsOf(r, digestName(d2))[0]!.message).toMatch(/not valid JSON/);
  });

  it('missing_file: a data file deleted, its digest kept', async () => {
    const dir = await fx.copy();
    await unlink(path.join(dir, d2));
    const r = await fx.verify(dir);
    expectFinding(r, digestName(d2), 'missing_file');
    expectFinding(r, d3, 'seq_gap', 1, 40);
  });

  it('missing_digest: a digest deleted', async () => {
    const dir = await fx.copy();
    await unlink(path.join(dir, digestName(d2)));
    const r = await fx.verify(dir);
    expectFinding(r, d2, 'missing_digest');
    expectFinding(r, digestName(d3), 'digest_chain_break');
  });

  it('covers every finding kind of the spec', () => {
    // schema and unsealed kinds are covered above; this guards against a kind silently losing its test.
    expect(FINDING_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });
});
