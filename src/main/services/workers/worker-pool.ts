import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromWorker, TaskResults, ToWorker, WorkerTask } from './protocol';

export class TaskCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'TaskCancelledError';
  }
}

export class TaskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailedError';
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (diskBytes: number) => void;
}

interface Pending {
  id: number;
  task: WorkerTask;
  opts: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  current?: Pending;
}

/**
 * A fixed pool of archive workers (one per core by default), one task per worker at a time.
 * Tasks queue in submission order; a cancelled task is dropped from the queue or stopped in its
 * worker; a crashed worker fails its task and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly workerPath: string,
    readonly size: number = availableParallelism(),
  ) {
    if (size < 1) throw new RangeError('pool size must be at least 1');
  }

  run<K extends WorkerTask['kind']>(task: Extract<WorkerTask, { kind: K }>, opts: RunOptions = {}): Promise<TaskResults[K]> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (opts.signal?.aborted) return Promise.reject(new TaskCancelledError());
    return new Promise((resolve, reject) => {
      const signal = opts.signal;
      const onAbort = () => this.cancel(pending);
      // Settling removes the abort listener: a long-lived signal must not collect one per task.
      const settle = <T,>(fn: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      const pending: Pending = { id: this.nextId++, task, opts, resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new TaskCancelledError());
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private cancel(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (p.slot?.current === p) {
      const msg: ToWorker = { type: 'cancel', id: p.id };
      p.slot.worker.postMessage(msg);
      // The worker answers `failed` when it notices; until then the slot stays busy.
    }
    p.reject(new TaskCancelledError());
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.current = p;
      p.slot = slot;
      const msg: ToWorker = { type: 'run', id: p.id, task: p.task };
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerPath);
    const slot: Slot = { worker };
    worker.on('message', (m: FromWorker) => {
      const p = slot.current;
      if (!p || p.id !== m.id) return; // stale answer for a task already settled
      if (m.type === 'progress') {
        p.opts.onProgress?.(m.diskBytes);
        return;
      }
      slot.current = undefined;
      if (m.type === 'done') p.resolve(m.result);
      else p.reject(m.error.cancelled ? new TaskCancelledError() : new TaskFailedError(m.error.message));
      this.dispatch();
    });
    const fail = (err: Error) => {
      const idx = this.slots.indexOf(slot);
      if (idx >= 0) this.slots.splice(idx, 1);
      slot.current?.reject(new TaskFailedError(`worker crashed: ${err.message}`));
      slot.current = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) fail(new Error(`exit code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }
}
