// Worker thread entry for an export's redaction (see record-processor.ts). Bundled as
// out/cli/export-worker.cjs; the export runs redaction on its own thread when that file is absent.
import { parentPort } from 'node:worker_threads';
import { LineRedactor, unpack, type FromRedactWorker, type ToRedactWorker } from './record-processor';

if (!parentPort) throw new Error('redact-worker.ts runs as a worker thread');
const port = parentPort;
let redactor: LineRedactor | undefined;

port.on('message', (m: ToRedactWorker) => {
  try {
    if (m.type === 'setup') {
      redactor = new LineRedactor(m.setup);
      return;
    }
    if (!redactor) throw new Error('not set up');
    if (m.type === 'job') {
      const result = redactor.process({ lines: unpack(m.data, m.ends), check: m.check });
      port.postMessage({ type: 'job', id: m.id, result } satisfies FromRedactWorker);
    } else {
      port.postMessage({ type: 'totals', id: m.id, result: redactor.totals() } satisfies FromRedactWorker);
    }
  } catch (e) {
    port.postMessage({ type: 'error', id: 'id' in m ? m.id : 0, message: (e as Error).message } satisfies FromRedactWorker);
  }
});
