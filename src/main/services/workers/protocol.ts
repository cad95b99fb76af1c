import type { DaySeal } from '../verify/day-seal';
import type { DayFileResult, SchemaCheck } from '../verify/verify-file';
import type { IndexFileResult } from '../index/index-file';
import type { FileIdentity } from '../index/segment';
import type { ScanFileResult, ScanFileTask } from '../query/scan-file';

// Messages between the main thread and archive workers. Every request has a numeric id; `cancel`
// stops it; answers carry the id so stale ones can be dropped (VS Code ipc.ts pattern).

export interface VerifyFileTask {
  kind: 'verifyFile';
  path: string;
  file: string;
  gzip: boolean;
  archiveSealed: boolean;
  schema?: SchemaCheck;
  lineCap?: number;
  inflate?: 'auto' | 'stream';
}

/** Verifies and indexes one day file in one pass, writing its segment to `segmentPath`. */
export interface IndexFileTask {
  kind: 'indexFile';
  path: string;
  file: string;
  gzip: boolean;
  archiveSealed: boolean;
  lineCap?: number;
  inflate?: 'auto' | 'stream';
  identity: FileIdentity;
  segmentPath: string;
}

/** Builds the random-access points of one gzip day file into the cache. */
export interface GzipAccessTask {
  kind: 'gzipAccess';
  path: string;
  identity: FileIdentity;
  outPath: string;
}

/** The leaves of one day file's Merkle tree with what each line claims (for inclusion proofs). */
export interface DaySealTask {
  kind: 'daySeal';
  path: string;
  file: string;
  gzip: boolean;
  archiveSealed: boolean;
  lineCap?: number;
}

export type WorkerTask = VerifyFileTask | IndexFileTask | ScanFileTask | GzipAccessTask | DaySealTask;

export interface TaskResults {
  verifyFile: DayFileResult;
  indexFile: IndexFileResult;
  scanFile: ScanFileResult;
  gzipAccess: { points: number; bytes: number };
  daySeal: DaySeal;
}

export type ToWorker = { type: 'run'; id: number; task: WorkerTask } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; diskBytes: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: { message: string; cancelled: boolean } };
