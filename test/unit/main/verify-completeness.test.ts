import { createPrivateKey } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaySealer } from '../../../src/main/services/seal/sealer';
import { checkpointOf } from '../../../src/main/services/verify/checkpoint-file';
import { MISSING_DAYS_LISTED } from '../../../src/main/services/verify/completeness';
import { dayNumber, type Checkpoint } from '../../../src/shared/checkpoint';
import type { Digest } from '../../../src/shared/seal';
import type { VerificationReport } from '../../../src/shared/verification-report';
import { allFindings, ArchiveFixture, digestName, readLines, statusOf, writeDay } from './archive-fixture';

// Completeness (completeness-erasure.md, section 1) on a sealed archive of five days, 2026-11-16 to
// 2026-11-20, of 20 records each but for 2026-11-18, a day without records (an empty day file and
// its digest). Every report is also made through the index (ArchiveFixture.verify).

const fx = new ArchiveFixture();
const EMPTY = '2026-11-18';
let days: string[];
let d4: string, d5: string;

beforeAll(async () => {
  await fx.setup({ days: 5, perDay: 20, emptyDays: [EMPTY] });
  days = fx.days;
  [, , , d4, d5] = days as [string, string, string, string, string];
});
afterAll(() => fx.teardown());

async function removeDay(dir: string, file: string): Promise<void> {
  await rm(path.join(dir, file));
  await rm(path.join(dir, digestName(file)));
}

function checkpointOfReport(r: VerificationReport): Checkpoint {
  const made = checkpointOf(r, new Date('2026-11-21T09:00:00Z'));
  if (!('checkpoint' in made)) throw new Error(`no checkpoint: ${made.refused.reason}`);
  return made.checkpoint;
}

describe('an archive written for every calendar day', () => {
  it('verifies, its empty day included, exactly as the spec writes it', async () => {
    const r = await fx.verify(fx.base);
    expect(r.summary.ok).toBe(true);
    expect(r.completeness).toMatchObject({ firstDay: '2026-11-16', lastDay: '2026-11-20', missingDays: [], findings: [], checkpoint: null });
    const empty = days.find((f) => f.includes(EMPTY))!;
    expect(r.files.find((f) => f.file === empty)).toMatchObject({ status: 'valid', records: 0, lines: 0 });
    const digest = JSON.parse(await readFile(path.join(fx.base, digestName(empty)), 'utf8')) as Digest;
    const before = JSON.parse(await readFile(path.join(fx.base, digestName(days[1]!)), 'utf8')) as Digest;
    expect(digest).toMatchObject({ record_count: 0, first_seq: null, last_seq: null, chain_head: before.chain_head });
    // RFC 6962: the root of the empty tree is SHA-256 of nothing.
    expect(digest.merkle_root).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('covers an expected period that is its own', async () => {
    const r = await fx.verify(fx.base, { completeness: { expectFrom: '2026-11-16', expectThrough: '2026-11-20' } });
    expect(r.summary.ok).toBe(true);
    expect(r.completeness.expected).toEqual({ from: '2026-11-16', through: '2026-11-20' });
  });

  it('an empty day with a record count, or seqs that do not say "no records", is a malformed digest', async () => {
    const dir = await fx.copy();
    const empty = days.find((f) => f.includes(EMPTY))!;
    const file = path.join(dir, digestName(empty));
    const digest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...digest, first_seq: 40 }));
    const r = await fx.verify(dir);
    expect(allFindings(r)).toContainEqual({ file: digestName(empty), kind: 'malformed_digest' });
  });
});

describe('days removed', () => {
  it('tail truncation: the newest day file and digest removed verify as a shorter archive, unless the period or a checkpoint says otherwise', async () => {
    const cp = checkpointOfReport(await fx.verify(fx.base));
    const dir = await fx.copy();
    await removeDay(dir, d5);
    // The hole the spec closes: nothing in the archive itself shows that its end is gone.
    expect((await fx.verify(dir)).summary.ok).toBe(true);

    const expected = await fx.verify(dir, { completeness: { expectThrough: '2026-11-20' } });
    expect(allFindings(expected)).toEqual([{ file: 'activations-2026-11-20.jsonl', kind: 'missing_day', date: '2026-11-20' }]);
    expect(expected.completeness.missingDays).toEqual(['2026-11-20']);
    expect(expected.summary).toMatchObject({ ok: false, verdict: 'invalid', findingsByKind: { missing_day: 1 } });

    const checked = await fx.verify(dir, { completeness: { checkpoint: cp } });
    expect(allFindings(checked)).toEqual([{ file: 'digests/activations-2026-11-20.digest.json', kind: 'checkpoint_mismatch', date: '2026-11-20' }]);
    expect(checked.completeness.checkpoint).toMatchObject({ status: 'mismatch', newestDay: '2026-11-19' });
    expect(checked.completeness.findings[0]!.message).toMatch(/ends on 2026-11-19, before the checkpoint's day 2026-11-20/);
    expect(checked.summary.ok).toBe(false);
  });

  it('a removed middle day (file and digest) is missing_day, besides the broken chains', async () => {
    const dir = await fx.copy();
    await removeDay(dir, d4);
    const r = await fx.verify(dir);
    expect(allFindings(r)).toEqual([
      { file: d5, kind: 'seq_gap', line: 1 },
      { file: d5, kind: 'chain_break', line: 1 },
      { file: digestName(d5), kind: 'digest_chain_break' },
      { file: 'activations-2026-11-19.jsonl', kind: 'missing_day', date: '2026-11-19' },
    ]);
    expect(r.completeness.missingDays).toEqual(['2026-11-19']);
  });

  it('a removed empty day is missing_day: the record chain does not see it, the calendar and the digests do', async () => {
    const dir = await fx.copy();
    const empty = days.find((f) => f.includes(EMPTY))!;
    await removeDay(dir, empty);
    const r = await fx.verify(dir);
    expect(allFindings(r)).toEqual([
      { file: digestName(d4), kind: 'digest_chain_break' },
      { file: `activations-${EMPTY}.jsonl`, kind: 'missing_day', date: EMPTY },
    ]);
    expect(statusOf(r, d4)).toBe('invalid');
  });

  it('the first days missing from an expected period that starts earlier', async () => {
    const r = await fx.verify(fx.base, { completeness: { expectFrom: '2026-11-14' } });
    expect(allFindings(r)).toEqual([
      { file: 'activations-2026-11-14.jsonl', kind: 'missing_day', date: '2026-11-14' },
      { file: 'activations-2026-11-15.jsonl', kind: 'missing_day', date: '2026-11-15' },
    ]);
    expect(r.completeness.findings[0]!.message).toMatch(/starts on 2026-11-16/);
  });

  it('a hostile calendar (a digest dated a century later) lists the first missing days and counts the rest', async () => {
    const dir = await fx.copy();
    await writeFile(path.join(dir, 'digests', 'activations-2126-11-20.digest.json'), '{}');
    const r = await fx.verify(dir);
    // Every day strictly between the archive's newest day and the stray digest's.
    const span = dayNumber('2126-11-20') - dayNumber('2026-11-20') - 1;
    expect(r.completeness.missingDays).toHaveLength(MISSING_DAYS_LISTED);
    expect(r.completeness.unlistedMissingDays).toBe(span - MISSING_DAYS_LISTED);
    expect(r.summary.findingsByKind.missing_day).toBe(span);
    expect(r.completeness.lastDay).toBe('2126-11-20');
  });
});

describe('checkpoints', () => {
  it('an extended archive against an old checkpoint: the same history, extended by N days', async () => {
    const shorter = await fx.copy();
    await removeDay(shorter, d5);
    await removeDay(shorter, d4);
    const cp = checkpointOfReport(await fx.verify(shorter));
    expect(cp).toMatchObject({ v: 1, kind: 'activationlog-checkpoint', date: EMPTY, last_seq: 39, verified_at: '2026-11-21T09:00:00.000Z' });

    const r = await fx.verify(fx.base, { completeness: { checkpoint: cp } });
    expect(r.summary.ok).toBe(true);
    expect(allFindings(r)).toEqual([]);
    expect(r.completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 2, newestDay: '2026-11-20' });
  });

  it('a checkpoint of the newest day, unchanged: the same history, extended by 0 days', async () => {
    const cp = checkpointOfReport(await fx.verify(fx.base));
    expect(cp).toMatchObject({ date: '2026-11-20', last_seq: 79, archive: 'base' });
    const r = await fx.verify(fx.base, { completeness: { checkpoint: cp } });
    expect(r.completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 0 });
  });

  it('a rewritten newest day, re-sealed and re-signed by the producer, verifies on its own and fails against the checkpoint', async () => {
    const cp = checkpointOfReport(await fx.verify(fx.base));
    const dir = await fx.copy();
    const previous = JSON.parse(await readFile(path.join(dir, digestName(d4)), 'utf8')) as Digest;
    const records = (await readLines(dir, d5)).map((l) => {
      const { integrity: _i, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
    (records[3]!.content_input as { title: string }).title = 'A different history';
    const sealer = new DaySealer(d5, '2026-11-20', { nextSeq: previous.last_seq! + 1, chainHash: previous.chain_head, previousDigest: previous });
    await writeDay(dir, d5, records.map((r) => sealer.sealLine(r)).join(''));
    const { digest } = sealer.digest(createPrivateKey(await readFile(fx.signingKeyPath, 'utf8')));
    await writeFile(path.join(dir, digestName(d5)), JSON.stringify(digest, null, 2) + '\n');

    expect((await fx.verify(dir)).summary.ok).toBe(true);
    const r = await fx.verify(dir, { completeness: { checkpoint: cp } });
    expect(allFindings(r)).toEqual([{ file: digestName(d5), kind: 'checkpoint_mismatch', date: '2026-11-20' }]);
    expect(r.digests.find((d) => d.digest === digestName(d5))!.findings[0]!.message).toMatch(/rewritten or its digest replaced/);
    expect(statusOf(r, d5)).toBe('invalid');
    expect(r.completeness.checkpoint?.status).toBe('mismatch');
    // No new checkpoint over a changed history.
    expect(checkpointOf(r, new Date())).toEqual({ refused: { reason: 'checkpoint_mismatch', date: '2026-11-20' } });
  });

  it('a checkpoint whose day matches but whose following day was removed: the chain after it is broken', async () => {
    const shorter = await fx.copy();
    await removeDay(shorter, d5);
    await removeDay(shorter, d4);
    const cp = checkpointOfReport(await fx.verify(shorter));
    const dir = await fx.copy();
    await removeDay(dir, d4);
    const r = await fx.verify(dir, { completeness: { checkpoint: cp } });
    expect(r.completeness.checkpoint).toMatchObject({ status: 'chain_broken', extendedBy: 2 });
    expect(allFindings(r).map((f) => f.kind)).not.toContain('checkpoint_mismatch');
    expect(checkpointOf(r, new Date())).toEqual({ refused: { reason: 'chain_broken', date: EMPTY } });
  });

  it('a checkpoint edited by hand (its chain head no longer that of the digest it hashes) is a mismatch', async () => {
    const cp = checkpointOfReport(await fx.verify(fx.base));
    const r = await fx.verify(fx.base, { completeness: { checkpoint: { ...cp, chain_head: 'f'.repeat(64) } } });
    expect(allFindings(r)).toEqual([{ file: digestName(d5), kind: 'checkpoint_mismatch', date: '2026-11-20' }]);
  });

  it('no checkpoint is made of a newest day that did not verify: a finding, or a key not trusted', async () => {
    const dir = await fx.copy();
    await writeDay(dir, d5, (await readLines(dir, d5)).slice(1).map((l) => l + '\n').join(''));
    expect(checkpointOf(await fx.verify(dir), new Date())).toEqual({ refused: { reason: 'newest_day_not_verified', date: '2026-11-20' } });
    expect(checkpointOf(await fx.verify(fx.base, { trustedKeys: [] }), new Date())).toEqual({ refused: { reason: 'newest_day_not_verified', date: '2026-11-20' } });
  });
});
