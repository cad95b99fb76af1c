import type { DayFileResult, SchemaCheck } from '../verify/verify-file';

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
}

export type WorkerTask = VerifyFileTask;

export interface TaskResults {
  verifyFile: DayFileResult;
}

export type ToWorker = { type: 'run'; id: number; task: WorkerTask } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; diskBytes: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: { message: string; cancelled: boolean } };
