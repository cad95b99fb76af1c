// Gzip day files are inflated in the scanning thread (driving zlib's handle, as zlib.gunzipSync
// does) when Node allows it, else as a stream. Both must report exactly the same thing for every
// file that inflates: the lines, the content hash and bytes after the last member; for one that
// fails, both report the error, after the same lines.
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canInflateInThread, inflateModeFor, scanLines, type ScanOptions } from '../../../src/main/services/archive/line-scanner';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'alog-inflate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(file: string, opts: Partial<ScanOptions>) {
  const lines: string[] = [];
  const r = await scanLines(file, { line: (b, s, e, n) => void lines.push(`${n}:${b.toString('latin1', s, e)}`), oversize: (n) => void lines.push(`${n}:oversize`) }, { gzip: true, ...opts });
  return {
    lines,
    count: r.lines,
    bytes: r.bytes,
    sha: r.contentSha256,
    error: r.decompressError && { message: r.decompressError.message, atLine: r.decompressError.atLine },
    trailing: r.trailingGzipBytes,
    missingFinalNewline: r.missingFinalNewline,
  };
}

const body = (n: number, width: number) => Buffer.from(Array.from({ length: n }, (_, i) => `{"n":${i},"pad":"${'abcdefghij'.repeat(width).slice(0, (i * 37) % (width * 10))}"}\n`).join(''));

describe('in-thread gzip inflating', () => {
  it('is what this Node.js does (else every gzip file is streamed and the build is slower)', () => {
    expect(canInflateInThread()).toBe(true);
  });

  it('is used when every worker has a file; fewer files than workers stream, for a spare core to inflate', () => {
    expect(inflateModeFor(1, 2)).toBe('stream');
    expect(inflateModeFor(2, 2)).toBe('auto');
    expect(inflateModeFor(30, 2)).toBe('auto');
  });

  it('reports what the stream reports, for intact, cut, corrupted, multi-member and padded files', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 3 }),
        fc.oneof(
          fc.constant({ kind: 'intact' as const }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
          fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
          fc.record({ kind: fc.constant('trailer' as const), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3000 }).map((k) => new Uint8Array(k)), fc.constant(new Uint8Array([0x1f, 0x8b, 0x08, 0x00]))) }),
        ),
        fc.constantFrom(undefined, 64, 1000),
        async (records, width, members, damage, chunkSize) => {
          const text = body(records, width);
          const cuts = Array.from({ length: members - 1 }, (_, k) => Math.floor((text.length * (k + 1)) / members));
          const parts = [0, ...cuts, text.length].slice(1).map((end, k, all) => text.subarray(k === 0 ? 0 : all[k - 1]!, end));
          let gz = Buffer.concat(parts.map((p) => gzipSync(p)));
          if (damage.kind === 'cut') gz = gz.subarray(0, Math.floor(gz.length * damage.at));
          if (damage.kind === 'flip' && gz.length > 0) {
            gz = Buffer.from(gz);
            const at = Math.min(gz.length - 1, Math.floor(gz.length * damage.at));
            gz[at] = gz[at]! ^ damage.xor;
          }
          if (damage.kind === 'trailer') gz = Buffer.concat([gz, damage.bytes]);
          const file = path.join(dir, `f${n++}.jsonl.gz`);
          await writeFile(file, gz);
          const inThread = await scan(file, { chunkSize });
          const stream = await scan(file, { chunkSize, inflate: 'stream' });
          if (!inThread.error && !stream.error) expect(inThread).toStrictEqual(stream);
          else {
            // Both fail. How much output the stream hands over before its error depends on timing
            // (the output of the failing write is dropped, and where writes fall varies), so the
            // two agree on the complete lines up to the shorter one's last.
            expect(inThread.error && stream.error).toBeTruthy();
            expect(inThread.trailing ?? stream.trailing).toBeUndefined();
            const a = inThread.lines.slice(0, -1);
            const b = stream.lines.slice(0, -1);
            const n = Math.min(a.length, b.length);
            expect(a.slice(0, n)).toStrictEqual(b.slice(0, n));
          }
          if (damage.kind === 'intact') {
            expect(inThread.error).toBeUndefined();
            expect(inThread.bytes).toBe(text.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('inflates a file of many output buffers with a small read size, as the stream does', async () => {
    const text = body(60000, 30);
    const file = path.join(dir, 'big.jsonl.gz');
    await writeFile(file, Buffer.concat([gzipSync(text.subarray(0, 1_000_000)), gzipSync(text.subarray(1_000_000))]));
    const inThread = await scan(file, { chunkSize: 7000 });
    expect(inThread.bytes).toBe(text.length);
    expect(inThread.count).toBe(60000);
    expect(inThread).toStrictEqual(await scan(file, { inflate: 'stream' }));
  });

  it('stops at a cancel between reads', async () => {
    const file = path.join(dir, 'cancel.jsonl.gz');
    await writeFile(file, gzipSync(body(20000, 30)));
    const ac = new AbortController();
    let seen = 0;
    const run = scanLines(file, { line: () => void (++seen === 100 && ac.abort()), oversize: () => {} }, { gzip: true, chunkSize: 4096, signal: ac.signal });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(seen).toBeLessThan(20000);
  });
});
