// worker_threads entry: runs archive tasks (hashing, verifying, indexing) off the main thread.
import { parentPort } from 'node:worker_threads';
import { runTask } from '../services/workers/run-task';
import type { FromWorker, ToWorker } from '../services/workers/protocol';
import { ScanCancelledError } from '../services/archive/line-scanner';

const port = parentPort;
if (!port) throw new Error('archive-worker must run as a worker thread');

const running = new Map<number, AbortController>();
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  runTask(msg.task, controller.signal, (diskBytes) => post({ type: 'progress', id: msg.id, diskBytes }))
    .then((result) => post({ type: 'done', id: msg.id, result }))
    .catch((e: unknown) =>
      post({
        type: 'failed',
        id: msg.id,
        error: { message: e instanceof Error ? e.message : String(e), cancelled: e instanceof ScanCancelledError || controller.signal.aborted },
      }),
    )
    .finally(() => running.delete(msg.id));
});
