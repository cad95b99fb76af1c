// Checkpoint files (completeness-erasure.md, section 1): made from a verification whose newest day
// verified, written outside the archive, read back to check a later verification against.
import { realpathSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Checkpoint } from '../../../shared/checkpoint';
import type { VerificationReport } from '../../../shared/verification-report';

/** A checkpoint is a few hundred bytes: a larger file is not one. */
const MAX_CHECKPOINT_BYTES = 64 * 1024;

export class CheckpointFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointFileError';
  }
}

/**
 * Why a verification gives no checkpoint:
 * - `no_day`: the archive holds no day;
 * - `newest_day_not_verified`: the newest day's file or digest has a finding, or its digest is
 *   signed by a key not trusted;
 * - `checkpoint_mismatch` / `chain_broken`: it was checked against a checkpoint it does not extend
 *   (a new checkpoint would record the changed history as if it were the same).
 */
export type CheckpointRefusal = { reason: 'no_day' | 'newest_day_not_verified' | 'checkpoint_mismatch' | 'chain_broken'; date: string | null };

/** The checkpoint of a verification, or why there is none. */
export function checkpointOf(report: VerificationReport, verifiedAt: Date): { checkpoint: Checkpoint } | { refused: CheckpointRefusal } {
  const c = report.completeness;
  const n = c.newest;
  if (!n) return { refused: { reason: 'no_day', date: null } };
  if (c.checkpoint && c.checkpoint.status !== 'same_history') {
    return { refused: { reason: c.checkpoint.status === 'mismatch' ? 'checkpoint_mismatch' : 'chain_broken', date: c.checkpoint.checkpoint.date } };
  }
  if (!n.verified || !n.digestSha256 || !n.chainHead || !n.keyId) return { refused: { reason: 'newest_day_not_verified', date: n.date } };
  return {
    checkpoint: {
      v: 1,
      kind: 'activationlog-checkpoint',
      archive: path.basename(report.archive),
      date: n.date,
      digest_sha256: n.digestSha256,
      chain_head: n.chainHead,
      last_seq: n.lastSeq,
      key_id: n.keyId,
      verified_at: verifiedAt.toISOString(),
    },
  };
}

/** Reads and checks a checkpoint file; a CheckpointFileError says what is wrong with it. */
export async function readCheckpointFile(file: string): Promise<Checkpoint> {
  let text: string;
  try {
    const fh = await open(file, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new CheckpointFileError(`${file} is not a file`);
      if (st.size > MAX_CHECKPOINT_BYTES) throw new CheckpointFileError(`${file} is ${st.size} bytes, far larger than a checkpoint`);
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof CheckpointFileError) throw e;
    throw new CheckpointFileError(`cannot read the checkpoint ${file}: ${(e as Error).message}`);
  }
  return parseCheckpoint(text, file);
}

export function parseCheckpoint(text: string, file = 'the checkpoint'): Checkpoint {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointFileError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const parsed = Checkpoint.safeParse(json);
  if (!parsed.success) {
    throw new CheckpointFileError(`${file} is not a checkpoint: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(checkpoint)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Why a checkpoint cannot be written at `file` (inside the archive, no such folder), or null. */
export function checkpointPathProblem(file: string, archiveRoot: string): string | null {
  const dir = path.dirname(path.resolve(file));
  let realDir: string;
  let realRoot: string;
  try {
    realDir = realpathSync(dir);
  } catch {
    return `the folder ${dir} does not exist`;
  }
  try {
    realRoot = realpathSync(archiveRoot);
  } catch {
    realRoot = path.resolve(archiveRoot);
  }
  const rel = path.relative(realRoot, realDir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    return `${file} is inside the archive: a checkpoint is kept outside it (the archive is never written to)`;
  }
  return null;
}

/** Writes a checkpoint whole or not at all (a temporary file renamed over the target). */
export async function writeCheckpointFile(file: string, checkpoint: Checkpoint): Promise<void> {
  const target = path.resolve(file);
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(checkpoint, null, 2) + '\n', { flag: 'wx' });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new CheckpointFileError(`cannot write the checkpoint ${file}: ${(e as Error).message}`);
  }
}
