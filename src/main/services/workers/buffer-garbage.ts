// Short-lived Buffers (a gzip stream's output chunks) keep their memory outside the JS heap until
// V8 collects the small objects that own them, and V8 waits for about 64 MB of such garbage per
// isolate before it does: two scanning workers then hold over 100 MB of dead chunks. A full GC
// every few tens of MB frees them (a scavenge does not: the backing stores are swept later) for a
// few milliseconds against the ~100 ms it takes to inflate that much. `gc` is obtained the
// way jest-util does (the flag, then a fresh context that has the function); where that is not
// possible this is a no-op and only memory use suffers.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;
let gc: Gc | null | undefined;

export function collectBufferGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc;
    } catch {
      gc = null;
    }
  }
  gc?.({ type: 'major' });
}

/** Calls collectBufferGarbage once per `every` bytes passed to it. */
export class GarbageMeter {
  private since = 0;
  constructor(private readonly every = 32 * 1024 * 1024) {}
  add(bytes: number): void {
    this.since += bytes;
    if (this.since >= this.every) {
      this.since = 0;
      collectBufferGarbage();
    }
  }
}
