import { readDaySeal } from '../verify/day-seal';
import { verifyDayFile } from '../verify/verify-file';
import { indexDayFile } from '../index/index-file';
import { buildGzipAccess } from '../index/gzip-access';
import { scanFile } from '../query/scan-file';
import type { WorkerTask } from './protocol';

/** Executes one task; the same function runs inside a worker thread or, for tests, in-process. */
export async function runTask(task: WorkerTask, signal: AbortSignal, onProgress: (diskBytes: number) => void): Promise<unknown> {
  switch (task.kind) {
    case 'verifyFile':
      return verifyDayFile(task.path, task.file, {
        gzip: task.gzip,
        archiveSealed: task.archiveSealed,
        schema: task.schema,
        lineCap: task.lineCap,
        inflate: task.inflate,
        signal,
        onProgress,
      });
    case 'indexFile':
      return indexDayFile(task.path, task.file, {
        gzip: task.gzip,
        archiveSealed: task.archiveSealed,
        lineCap: task.lineCap,
        inflate: task.inflate,
        identity: task.identity,
        segmentPath: task.segmentPath,
        signal,
        onProgress,
      });
    case 'scanFile':
      return scanFile(task, signal, onProgress);
    case 'gzipAccess':
      return buildGzipAccess(task.path, task.identity, task.outPath, signal);
    case 'daySeal':
      return readDaySeal(task.path, task.file, { gzip: task.gzip, archiveSealed: task.archiveSealed, lineCap: task.lineCap, signal, onProgress });
  }
}
