// A write stream on the export's temp file that callers can await: `write` waits for 'drain' when
// the stream's buffer is full (so a slow disk slows the export instead of filling memory), and an
// I/O error (ENOSPC, EIO) surfaces on the next write or on `close` with the destination's name.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { describeIoError, ExportDestinationError } from '../safe-output';

/** Resolves on 'drain' or 'error' (whichever comes first), leaving no listener behind. */
export function drained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
}

export class FileSink {
  readonly stream: WriteStream;
  private error?: Error;
  private bytes = 0;

  constructor(
    tempPath: string,
    private readonly displayPath: string,
  ) {
    this.stream = createWriteStream(tempPath, { flags: 'w', highWaterMark: 1 << 20 });
    this.stream.on('error', (e) => {
      this.error ??= new ExportDestinationError(displayPath, describeIoError(e, displayPath, 'writing'));
    });
  }

  get written(): number {
    return this.bytes;
  }

  check(): void {
    if (this.error) throw this.error;
  }

  async write(chunk: string | Buffer): Promise<void> {
    this.check();
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (!this.stream.write(chunk)) {
      await drained(this.stream);
      this.check();
    }
  }

  async close(): Promise<void> {
    this.check();
    if (!this.stream.writableFinished) {
      const done = Promise.race([once(this.stream, 'finish'), once(this.stream, 'error')]);
      if (!this.stream.writableEnded) this.stream.end();
      await done.catch(() => undefined);
    }
    await new Promise<void>((resolve) => (this.stream.closed ? resolve() : this.stream.once('close', () => resolve())));
    this.check();
  }

  /** Waits until a source piped into the stream has ended it and everything is on disk. */
  async closePiped(): Promise<void> {
    this.check();
    if (!this.stream.writableFinished) await Promise.race([once(this.stream, 'finish'), once(this.stream, 'error')]).catch(() => undefined);
    await new Promise<void>((resolve) => (this.stream.closed ? resolve() : this.stream.once('close', () => resolve())));
    this.check();
  }

  /** Closes without flushing further, after an error or a cancel. */
  async destroy(): Promise<void> {
    if (this.stream.closed) return;
    const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    this.stream.destroy();
    await closed;
  }

  /** Makes an error raised elsewhere (a library writing into the stream) this sink's error. */
  fail(e: unknown): void {
    this.error ??= e instanceof ExportDestinationError ? e : new ExportDestinationError(this.displayPath, describeIoError(e, this.displayPath, 'writing'));
  }
}
