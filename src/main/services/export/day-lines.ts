// Reads a day file (plain or gzip) as batches of physical lines, as an async iterator, so the
// consumer's writes pace the reading (a stalled disk or a slow writer never lets lines pile up).
// Line numbers, the BOM on line 1 and a trailing CR are handled as the verifier does (FORMAT.md §2).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { DEFAULT_LINE_CAP } from '../archive/line-scanner';

export interface LineBatch {
  /** Line number of `lines[0]` (1-based). */
  firstLine: number;
  /** Each line without its terminator; an over-long line is an empty buffer with `oversize` set. */
  lines: Buffer[];
  oversize?: Set<number>;
}

export class ExportCancelledError extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelledError';
  }
}

const CHUNK = 1 << 20;
const READ_AHEAD = 8 << 20;

async function* chunksOf(path: string, gzip: boolean, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (!gzip) {
    const fh = await open(path, 'r');
    try {
      let pos = 0;
      for (;;) {
        if (signal?.aborted) throw new ExportCancelledError();
        const buf = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
        if (bytesRead === 0) return;
        pos += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }
  const file = createReadStream(path, { highWaterMark: CHUNK });
  // Inflating runs on libuv's thread pool: a deep read-ahead lets it work while this thread is busy
  // redacting the lines already read.
  // (zlib streams take stream options too; @types/node does not list them.)
  const gunzip = createGunzip({ chunkSize: 256 * 1024, highWaterMark: READ_AHEAD } as ZlibOptions);
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new ExportCancelledError();
      yield chunk;
    }
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

/** The physical lines of a day file, in batches of about one read each. */
export async function* readDayLines(path: string, gzip: boolean, opts: { signal?: AbortSignal; lineCap?: number } = {}): AsyncGenerator<LineBatch> {
  const cap = opts.lineCap ?? DEFAULT_LINE_CAP;
  let lineNo = 1;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let oversizeCarry = false;
  const finish = (line: Buffer, batch: LineBatch): void => {
    let start = 0;
    let end = line.length;
    if (lineNo === 1 && end >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) start = 3;
    if (end > start && line[end - 1] === 0x0d) end--;
    batch.lines.push(start === 0 && end === line.length ? line : line.subarray(start, end));
    lineNo++;
  };
  for await (const chunk of chunksOf(path, gzip, opts.signal)) {
    const batch: LineBatch = { firstLine: lineNo, lines: [] };
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl === -1) {
        const rest = chunk.length - pos;
        if (rest > 0) {
          if (!oversizeCarry && carryLen + rest > cap) {
            oversizeCarry = true;
            carry = [];
          }
          if (!oversizeCarry) carry.push(chunk.subarray(pos));
          carryLen += rest;
        }
        break;
      }
      if (oversizeCarry || carryLen + (nl - pos) > cap) {
        (batch.oversize ??= new Set()).add(lineNo);
        batch.lines.push(Buffer.alloc(0));
        lineNo++;
      } else if (carryLen === 0) finish(chunk.subarray(pos, nl), batch);
      else {
        carry.push(chunk.subarray(pos, nl));
        finish(Buffer.concat(carry, carryLen + (nl - pos)), batch);
      }
      carry = [];
      carryLen = 0;
      oversizeCarry = false;
      pos = nl + 1;
    }
    if (batch.lines.length > 0) yield batch;
  }
  if (oversizeCarry || carryLen > 0) {
    const batch: LineBatch = { firstLine: lineNo, lines: [] };
    if (oversizeCarry) {
      batch.oversize = new Set([lineNo]);
      batch.lines.push(Buffer.alloc(0));
    } else finish(Buffer.concat(carry, carryLen), batch);
    yield batch;
  }
}
