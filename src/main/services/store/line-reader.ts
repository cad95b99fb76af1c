import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

const NEWLINE = 0x0a;

export class LineNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LineNotFoundError';
  }
}

export interface LineBytes {
  line: number;
  /** Offset of the line's first byte in the uncompressed file. */
  offset: number;
  /** Full length of the line without its `\n`. */
  length: number;
  /** The line's bytes, or its first `keep` bytes when it is longer. */
  bytes: Buffer;
}

export interface ReadLineOptions {
  gzip: boolean;
  line: number;
  /** The line's offset if known (from a verification finding); checked before it is trusted. */
  offsetHint?: number;
  /** Bytes of a line to keep; the rest is counted, not held. */
  keep: number;
}

/**
 * One physical line of a day file. Plain files with a known offset are read right there; otherwise
 * the (decompressed) file is streamed from the start, counting newlines, and never held whole.
 */
export async function readLine(file: string, opts: ReadLineOptions): Promise<LineBytes> {
  if (!opts.gzip && opts.offsetHint !== undefined) {
    const direct = await readAtOffset(file, opts);
    if (direct) return direct;
  }
  return scanForLine(file, opts);
}

async function readAtOffset(file: string, opts: ReadLineOptions): Promise<LineBytes | undefined> {
  const offset = opts.offsetHint!;
  const fh = await open(file, 'r');
  try {
    // The hint is only good if a line starts there: the file may have changed since it was taken.
    if (offset > 0) {
      const before = Buffer.alloc(1);
      const { bytesRead } = await fh.read(before, 0, 1, offset - 1);
      if (bytesRead !== 1 || before[0] !== NEWLINE) return undefined;
    }
    const collector = new LineCollector(opts.keep);
    const chunk = Buffer.allocUnsafe(256 * 1024);
    let position = offset;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      if (collector.add(chunk.subarray(0, bytesRead))) break;
    }
    if (collector.length === 0 && !collector.ended) return undefined; // offset at end of file
    return { line: opts.line, offset, length: collector.length, bytes: collector.bytes() };
  } finally {
    await fh.close();
  }
}

async function scanForLine(file: string, opts: ReadLineOptions): Promise<LineBytes> {
  const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let stream: AsyncIterable<Buffer> = source;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  if (opts.gzip) {
    gunzip = createGunzip();
    source.on('error', (e) => gunzip!.destroy(e));
    source.pipe(gunzip);
    stream = gunzip;
  }
  let lineNo = 1;
  let offset = 0;
  let lineStart = 0;
  let collector: LineCollector | undefined = opts.line === 1 ? new LineCollector(opts.keep) : undefined;
  let lastByte: number | undefined;
  try {
    for await (const chunk of stream) {
      if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
      let pos = 0;
      while (!collector) {
        const nl = chunk.indexOf(NEWLINE, pos);
        if (nl === -1) break;
        lineNo++;
        pos = nl + 1;
        if (lineNo === opts.line) {
          lineStart = offset + pos;
          collector = new LineCollector(opts.keep);
        }
      }
      offset += chunk.length;
      if (collector && collector.add(pos === 0 ? chunk : chunk.subarray(pos))) break;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) {
      throw new LineNotFoundError(`cannot read line ${opts.line}: the gzip stream is corrupt before it (${(e as Error).message})`);
    }
    throw e;
  } finally {
    source.destroy();
    gunzip?.destroy();
  }
  // A line exists if it has bytes or ends in a newline; the empty rest after a final "\n" is none.
  if (!collector || (collector.length === 0 && !collector.ended)) {
    // Newlines seen, plus a last line without one.
    const lines = lineNo - 1 + (lastByte !== undefined && lastByte !== NEWLINE ? 1 : 0);
    throw new LineNotFoundError(`the file has no line ${opts.line} (it has ${Math.max(0, lines)} line${lines === 1 ? '' : 's'})`);
  }
  return { line: opts.line, offset: lineStart, length: collector.length, bytes: collector.bytes() };
}

/** Gathers one line's bytes up to its newline, keeping at most `keep` of them. */
class LineCollector {
  readonly #parts: Buffer[] = [];
  #kept = 0;
  length = 0;
  ended = false;

  constructor(private readonly keep: number) {}

  /** Returns true once the line's newline has been seen. */
  add(chunk: Buffer): boolean {
    const nl = chunk.indexOf(NEWLINE);
    const part = nl === -1 ? chunk : chunk.subarray(0, nl);
    this.length += part.length;
    if (this.#kept < this.keep) {
      const take = part.subarray(0, this.keep - this.#kept);
      this.#parts.push(Buffer.from(take));
      this.#kept += take.length;
    }
    if (nl !== -1) this.ended = true;
    return this.ended;
  }

  bytes(): Buffer {
    return Buffer.concat(this.#parts, this.#kept);
  }
}
