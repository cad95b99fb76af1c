import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveIndex, openArchiveIndex } from '../../../src/main/services/index/archive-index';
import { verifyIndex } from '../../../src/main/services/index/index-verification';
import type { PublicKeyEntry } from '../../../src/main/services/keys/keys';
import { QueryEngine } from '../../../src/main/services/query/query-engine';
import type { IntegrityClass } from '../../../src/shared/integrity-class';
import { classOfStanding, dayLines, recordStanding, selectionIntegrity, type RecordStanding } from '../../../src/shared/selection-integrity';
import { ArchiveFixture, editLines } from './archive-fixture';

// The grid, the record detail, `alog query`/`stats` read each record's class from the index; the
// export wizard, the PDF/XLSX reports and `alog export` read the selection's standings from the
// report. On real tampered, untrusted-key, malformed-line and unsealed archives, every record's
// standing refines exactly the class the index gives it, and the selection's counts are the stats'.

const fx = new ArchiveFixture();
const unsealed = new ArchiveFixture();
let caches = 0;

beforeAll(async () => {
  await Promise.all([fx.setup({ days: 3, perDay: 30 }), unsealed.setup({ days: 2, perDay: 10, sealed: false })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([fx.teardown(), unsealed.teardown()]);
});

async function compare(
  f: ArchiveFixture,
  dir: string,
  keys: readonly PublicKeyEntry[],
): Promise<{ standings: Map<string, RecordStanding>; byClass: Record<IntegrityClass, number> }> {
  const { index } = await openArchiveIndex(dir, { pool: f.pool, cacheRoot: path.join(dir, '..', `agree-cache-${++caches}`) });
  const { report } = await verifyIndex(index, keys);
  const standings = new Map<string, RecordStanding>();
  const byClass: Record<IntegrityClass, number> = { verified: 0, untrusted_key: 0, invalid: 0, unsealed: 0, unknown: 0 };
  const days: { date: string; file: string; lines: number[] }[] = [];
  for (const entry of index.segments) {
    const lines = dayLines(report, entry.file.name);
    const selected: number[] = [];
    for (let local = 0; local < entry.rows; local++) {
      const line = entry.segment.rows.line[local]!;
      const standing = recordStanding(lines, line);
      const cls = ArchiveIndex.integrity(entry, local);
      expect(classOfStanding(standing), `${entry.file.name}:${line}`).toBe(cls);
      standings.set(`${entry.file.name}:${line}`, standing);
      byClass[cls]++;
      selected.push(line);
    }
    days.push({ date: entry.file.date, file: entry.file.name, lines: selected });
  }
  // The selection of every record counts what `alog stats` counts.
  const s = selectionIntegrity(report, days);
  const stats = await new QueryEngine(index, f.pool).stats({ query: '' });
  expect({
    verified: s.counts.verified,
    untrustedKey: s.counts.untrusted_key,
    withFindings: s.counts.altered + s.counts.finding + s.counts.file_findings,
    unsealed: s.counts.unsealed,
    notYetVerified: s.counts.unknown,
  }).toEqual({ verified: stats.verified, untrustedKey: stats.untrustedKey, withFindings: stats.withFindings, unsealed: stats.unsealed, notYetVerified: stats.notYetVerified });
  return { standings, byClass };
}

describe("a record's standing in an export refines the class every view shows", () => {
  it('intact under a trusted key: every record verified', async () => {
    const { byClass } = await compare(fx, await fx.copy(), [fx.trusted]);
    expect(byClass).toMatchObject({ verified: 90, invalid: 0 });
  });

  it('one record altered: ALTERED itself, the rest of its day invalid, other days verified', async () => {
    const dir = await fx.copy();
    const day = fx.days[2]!;
    await editLines(dir, day, (lines) => {
      const r = JSON.parse(lines[4]!) as { activation_id: string };
      r.activation_id = `${r.activation_id}x`;
      lines[4] = JSON.stringify(r);
    });
    const { standings, byClass } = await compare(fx, dir, [fx.trusted]);
    expect(standings.get(`${day}:5`)).toBe('altered');
    expect(standings.get(`${day}:6`)).toBe('file_findings');
    expect(byClass).toMatchObject({ verified: 60, invalid: 30 });
  });

  it("the publisher's key not trusted: key not trusted everywhere, nothing invalid", async () => {
    const { byClass } = await compare(fx, await fx.copy(), []);
    expect(byClass).toMatchObject({ verified: 0, untrusted_key: 90, invalid: 0 });
  });

  it('a malformed line in a sealed day: the whole day invalid', async () => {
    const dir = await fx.copy();
    const day = fx.days[1]!;
    await editLines(dir, day, (lines) => {
      lines.splice(10, 0, '{"activation_id":"act_x", "cut": "here');
    });
    const { byClass } = await compare(fx, dir, [fx.trusted]);
    expect(byClass).toMatchObject({ verified: 60, invalid: 30 });
  });

  it('an unsealed record in a sealed day: a finding on its own line', async () => {
    const dir = await fx.copy();
    const day = fx.days[0]!;
    await editLines(dir, day, (lines) => {
      const r = JSON.parse(lines[2]!) as Record<string, unknown>;
      delete r.integrity;
      lines[2] = JSON.stringify(r);
    });
    const { standings } = await compare(fx, dir, [fx.trusted]);
    expect(standings.get(`${day}:3`)).toBe('finding');
  });

  it('an unsealed archive with a malformed line: that line invalid, the others unsealed', async () => {
    const dir = await unsealed.copy();
    const day = unsealed.days[0]!;
    await editLines(dir, day, (lines) => {
      lines[3] = `${lines[3]!.slice(0, 40)}`;
    });
    const { byClass } = await compare(unsealed, dir, []);
    expect(byClass.verified).toBe(0);
    expect(byClass.unsealed).toBeGreaterThan(0);
  });
});
