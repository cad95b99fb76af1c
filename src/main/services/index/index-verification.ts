// The index's verification: the pass that builds the index has verified every day file on its own
// (each segment keeps its file's result), so the whole archive's report is the archive-level
// assembly over those results, the same function `alog verify` ends with. The duplicate check
// across files reads every file's activation ids; its result is kept next to the segments and
// reused while no day file's content changes.
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Finding } from '../../../shared/findings';
import { intactRecordClass } from '../../../shared/integrity-class';
import type { VerificationReport } from '../../../shared/verification-report';
import type { PublicKeyEntry } from '../keys/keys';
import { assembleReport, crossFileDuplicates, type AssemblyParts } from '../verify/assemble-report';
import type { CompletenessOptions } from '../verify/completeness';
import type { ArchiveIndex } from './archive-index';
import { idsOfSegment } from './segment-ids';

const DUPLICATES_FILE = 'duplicates.json';
const DuplicatesCache = z.object({ v: z.literal(1), key: z.string(), findings: z.array(Finding) });

/** Identifies the content of every day file (and which are unreadable): the duplicates depend on nothing else. */
function contentKey(index: ArchiveIndex): string {
  const parts = [...index.outcomes()].map(([name, r]) => ('error' in r ? [name, 'unreadable'] : [name, r.contentSha256, r.lines]));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Activation ids that appear in more than one day file, from the cache while no file's content changed. */
export async function indexDuplicates(index: ArchiveIndex): Promise<{ findings: Finding[]; fromCache: boolean }> {
  const file = path.join(index.cacheDir, DUPLICATES_FILE);
  const key = contentKey(index);
  try {
    const cached = DuplicatesCache.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (cached.success && cached.data.key === key) return { findings: cached.data.findings, fromCache: true };
  } catch {
    // missing or damaged: worked out again below
  }
  const bySegment = new Map(index.segments.map((s) => [s.file.name, s]));
  const findings = crossFileDuplicates(index.layout.dayFiles, (f) => {
    const entry = bySegment.get(f.name);
    return entry ? idsOfSegment(entry.segment) : undefined;
  });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify({ v: 1, key, findings }) + '\n');
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written costs the next open this work again, nothing more.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  return { findings, fromCache: false };
}

/** What the index knows of the archive's verification, apart from the keys (and the completeness options). */
export async function indexAssemblyParts(index: ArchiveIndex, completeness?: CompletenessOptions): Promise<AssemblyParts> {
  const { findings } = await indexDuplicates(index);
  return { layout: index.layout, outcomes: index.outcomes(), duplicates: findings, completeness };
}

/** The archive's report from its open index, under `trustedKeys` (no day file is read). */
export async function verifyIndex(
  index: ArchiveIndex,
  trustedKeys: readonly PublicKeyEntry[],
  started = performance.now(),
  completeness?: CompletenessOptions,
): Promise<{ report: VerificationReport; parts: AssemblyParts }> {
  const parts = await indexAssemblyParts(index, completeness);
  const report = await assembleReport({ ...parts, trustedKeys, started });
  applyVerification(index, report);
  return { report, parts };
}

/** Makes every record's integrity class (queries, rows, stats) follow `report`; null: unknown. */
export function applyVerification(index: ArchiveIndex, report: VerificationReport | null): void {
  for (const entry of index.segments) entry.intactClass = intactRecordClass(report, entry.file.name);
}
