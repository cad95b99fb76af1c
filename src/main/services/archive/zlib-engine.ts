// Node's zlib engines driven from the calling thread, into buffers the caller owns: the way
// zlib.gunzipSync and friends drive them (through the stream object's handle), but resumable
// across calls and without allocating a buffer per piece of output. Used where that matters: the
// index build's one pass over every gzip day file, and random access into a gzip file.
//
// The handle is not documented API. Every entry point here returns undefined when a Node.js does
// not have it in this form, and callers then fall back to the documented stream or *Sync API.
import type { Zlib } from 'node:zlib';

interface EngineInternals {
  _handle: { writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void } | null;
  /** [avail_out, avail_in] after the last write. */
  _writeState: Uint32Array;
  destroyed: boolean;
  errored: Error | null;
  close(): void;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

export interface ZlibEngine {
  /**
   * Feeds `input[inOff, inOff + inLen)` with `flush`, handing every piece of output to `onOutput`
   * (a view of `out`, valid only during the call; return true to stop early). `taken` is how much
   * input the engine consumed: less than `inLen` when the stream ended (or `onOutput` stopped it).
   */
  write(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Buffer, onOutput: (piece: Buffer) => boolean | void): { taken: number; error?: Error };
  close(): void;
}

/** Drives `stream` (a fresh zlib stream, never written to) from this thread, or undefined. */
export function zlibEngine(stream: Zlib): ZlibEngine | undefined {
  const z = stream as unknown as Partial<EngineInternals>;
  if (typeof z._handle?.writeSync !== 'function' || !(z._writeState instanceof Uint32Array) || !('errored' in z)) {
    z.close?.();
    return undefined;
  }
  const e = z as EngineInternals;
  // A failed write destroys the stream, which then also emits 'error'; `errored` has it already.
  e.on('error', () => undefined);
  const state = e._writeState;
  return {
    write(flush, input, inOff, inLen, out, onOutput) {
      let taken = 0;
      for (;;) {
        e._handle!.writeSync(flush, input, inOff + taken, inLen - taken, out, 0, out.length);
        if (e.destroyed) return { taken, error: e.errored ?? new Error('the compressed data could not be inflated') };
        const availOut = state[0]!;
        taken = inLen - state[1]!;
        if (availOut < out.length && onOutput(out.subarray(0, out.length - availOut)) === true) return { taken };
        // A full output buffer means more may come from the same input.
        if (availOut !== 0) return { taken };
      }
    },
    close: () => e.close(),
  };
}
