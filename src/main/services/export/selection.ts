// Turns a query engine selection into the work of an export: per involved day file, the line
// numbers of the selected records (the index keeps each row's line), plus the day's digest and
// whether the user's trusted keys vouch for it. The query engine itself is used as is.
import { computeStats, QueryEngine, type Selection } from '../query/query-engine';
import { Bitset } from '../query/bitset';
import { findRowsByIds } from '../query/record-reader';
import type { ArchiveIndex } from '../index/archive-index';
import type { DayFile } from '../archive/layout';
import type { WorkerPool } from '../workers/worker-pool';
import type { QueryStats } from '../../../shared/query-stats';
import { digestSignature, loadDigest } from '../verify/digests';
import { loadPublicKeyFile, type PublicKeyEntry } from '../keys/keys';
import type { Digest } from '../../../shared/seal';
import type { DigestSignature } from '../../../shared/verification-report';

export interface DaySelection {
  file: DayFile;
  /** Selected line numbers, ascending. */
  lines: Uint32Array;
}

export interface ExportSelection {
  total: number;
  days: DaySelection[];
  stats: QueryStats;
}

/** What to export: a query and time window, or (the wizard's "selected rows") records by activation_id. */
export interface SelectionRequest {
  query: string;
  from?: string;
  to?: string;
  /** The inclusive end as the user chose it (wording only). */
  through?: string;
  /** When given, exactly these records; `query`, `from` and `to` are then only their description. */
  activationIds?: string[];
}

export class UnknownActivationIdError extends Error {
  constructor(readonly activationId: string) {
    super(`no record has the activation_id ${JSON.stringify(activationId)}`);
    this.name = 'UnknownActivationIdError';
  }
}

/**
 * The query that selects exactly these records (`id:"…" OR id:"…"`), so that a manifest of a
 * selection by id still says in the query language which records it holds.
 */
export function activationIdsQuery(ids: readonly string[]): string {
  return ids.map((id) => `id:"${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' OR ');
}

function selectByIds(index: ArchiveIndex, ids: readonly string[]): Selection {
  const rows = Bitset.empty(index.rowSpace);
  const found = findRowsByIds(index, ids);
  for (const id of ids) {
    const row = found.get(id);
    if (row === undefined) throw new UnknownActivationIdError(id);
    rows.set(row);
  }
  return { rows, total: rows.count(), scannedBytes: 0 };
}

export async function selectForExport(
  index: ArchiveIndex,
  pool: WorkerPool,
  req: SelectionRequest,
  signal?: AbortSignal,
): Promise<ExportSelection> {
  const started = performance.now();
  const sel = req.activationIds
    ? selectByIds(index, req.activationIds)
    : await new QueryEngine(index, pool).select({ query: req.query, from: req.from, to: req.to }, signal);
  const days: DaySelection[] = [];
  for (const seg of index.segments) {
    const lines: number[] = [];
    const lineOf = seg.segment.rows.line;
    sel.rows.forEachIn(seg.base, seg.base + seg.rows, (r) => {
      lines.push(lineOf[r - seg.base]!);
    });
    if (lines.length === 0) continue;
    const arr = Uint32Array.from(lines);
    arr.sort();
    days.push({ file: seg.file, lines: arr });
  }
  return { total: sel.total, days, stats: computeStats(index, sel, performance.now() - started) };
}

export interface DayDigest {
  digest: Digest | null;
  /** How its signature checks under the trusted keys, as the verification report says it (digestSignature). */
  trust: DigestSignature;
  /** Why the digest is unusable, if it is. */
  problem?: string;
}

/** Keys shipped in the archive's keys/ folder: used only to tell an untrusted signer from a forgery. */
export async function loadShippedKeys(index: ArchiveIndex): Promise<Map<string, PublicKeyEntry>> {
  const out = new Map<string, PublicKeyEntry>();
  for (const k of index.layout.keys) {
    try {
      const e = await loadPublicKeyFile(k.path);
      out.set(e.keyId, e);
    } catch {
      // an unreadable shipped key vouches for nothing
    }
  }
  return out;
}

/**
 * The digest of a day file as the export reads it now, its signature checked by the function the
 * verification uses: what the manifest states comes from what was read, never from an older report.
 */
export async function digestFor(
  index: ArchiveIndex,
  file: DayFile,
  trusted: ReadonlyMap<string, PublicKeyEntry>,
  shipped: ReadonlyMap<string, PublicKeyEntry>,
): Promise<DayDigest> {
  const source = index.layout.digests.find((d) => d.date === file.date);
  if (!source) return { digest: null, trust: 'none', problem: `no digest for ${file.date}` };
  const loaded = await loadDigest(source);
  if (!loaded.digest) return { digest: null, trust: 'none', problem: loaded.findings.map((f) => f.message).join('; ') };
  return { digest: loaded.digest, trust: digestSignature(loaded, trusted, shipped).signature };
}
