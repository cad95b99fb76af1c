// The line scanner checks UTF-8 once per chunk for the lines inside it and tells the reader; a line
// it calls valid must be valid, whatever the chunk boundaries, carried lines, BOM, CRLF or caps.
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanLines } from '../../../src/main/services/archive/line-scanner';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'alog-utf8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lineBytes = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.map((x) => (x === 0x0a ? 0x20 : x)))),
  fc.constantFrom(Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff]), Buffer.from('é€😀')),
);

describe('line scanner UTF-8 pre-check', () => {
  it('never calls an ill-formed line valid, and reports the same lines whatever the chunking', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineBytes, { maxLength: 30 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.boolean(), async (lines, chunkSize, gzip, crlf) => {
        const body = Buffer.concat(lines.flatMap((l) => [l, Buffer.from(crlf ? '\r\n' : '\n')]));
        const file = path.join(dir, `f${n++}.jsonl${gzip ? '.gz' : ''}`);
        await writeFile(file, gzip ? gzipSync(body) : body);
        const seen: { line: number; claimed: boolean; valid: boolean }[] = [];
        await scanLines(
          file,
          { line: (b, s, e, line, _o, validUtf8) => void seen.push({ line, claimed: validUtf8, valid: isUtf8(b.subarray(s, e)) }), oversize: () => {} },
          { gzip, chunkSize, lineCap: 100 },
        );
        for (const l of seen) if (l.claimed) expect(l.valid, `line ${l.line}`).toBe(true);
        expect(seen.map((l) => l.line)).toStrictEqual(lines.map((_, i) => i + 1).filter((i) => lines[i - 1]!.length + (crlf ? 1 : 0) <= 100));
      }),
      { numRuns: 300 },
    );
  });
});
