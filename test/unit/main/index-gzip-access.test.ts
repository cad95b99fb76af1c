// Gzip random access: access points found by the JS inflater let native zlib start mid-file at a
// bit offset; every byte range reads back exactly what a full gunzip gives, for dynamic, fixed and
// stored blocks and multi-member files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGzipAccess, inflateRange, loadGzipAccess, readGzipRange } from '../../../src/main/services/index/gzip-access';
import { findAccessPoints, InflateError } from '../../../src/main/services/index/inflate-points';
import { createRng, generateRecord } from '../../../src/main/services/gen/generator';

const identity = { size: 1, mtimeMs: 2, fingerprint: 'test' };

function sampleText(records: number): Buffer {
  const rng = createRng(4);
  const lines: string[] = [];
  for (let i = 0; i < records; i++) lines.push(JSON.stringify(generateRecord(rng, { index: i, atMicros: 1.7e15 + i * 1e6, bodyKb: 1 }).record));
  return Buffer.from(lines.join('\n') + '\n');
}

describe('gzip access points', () => {
  let tmp = '';
  const text = sampleText(120);
  const variants: Record<string, Buffer> = {};

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-gz-'));
    variants.dynamic = gzipSync(text);
    variants.fixed = gzipSync(text, { strategy: constants.Z_FIXED });
    variants.stored = gzipSync(text, { level: 0 });
    const half = text.indexOf(0x0a, text.length >> 1) + 1;
    variants.members = Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half), { level: 1 })]);
    variants.huffmanOnly = gzipSync(text, { strategy: constants.Z_HUFFMAN_ONLY });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('the JS inflater walks every variant to the right size', () => {
    for (const [name, gz] of Object.entries(variants)) {
      const { points, size } = findAccessPoints(gz, 8 * 1024);
      expect(size, name).toBe(text.length);
      expect(points.length, name).toBeGreaterThan(2);
      expect(points[0]!.out).toBe(0);
    }
  });

  it('reads any byte range exactly, from any variant', async () => {
    for (const [name, gz] of Object.entries(variants)) {
      const file = path.join(tmp, `${name}.gz`);
      await writeFile(file, gz);
      await buildGzipAccess(file, identity, `${file}.zidx`, undefined, 8 * 1024);
      const access = (await loadGzipAccess(`${file}.zidx`, identity))!;
      expect(access, name).toBeDefined();
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: text.length - 1 }), fc.integer({ min: 1, max: 40_000 }), async (offset, len) => {
          const length = Math.min(len, text.length - offset);
          const got = await readGzipRange(file, access, offset, length);
          expect(got?.equals(text.subarray(offset, offset + length)), `${name} ${offset}+${length}`).toBe(true);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('rejects damaged or foreign access files and corrupt gzip data', async () => {
    const file = path.join(tmp, 'd.gz');
    await writeFile(file, variants.dynamic!);
    await buildGzipAccess(file, identity, `${file}.zidx`);
    expect(await loadGzipAccess(`${file}.zidx`, { ...identity, size: 9 })).toBeUndefined();
    const { readFile } = await import('node:fs/promises');
    const z = await readFile(`${file}.zidx`);
    z[z.length >> 1] = z[z.length >> 1]! ^ 1;
    await writeFile(`${file}.zidx`, z);
    expect(await loadGzipAccess(`${file}.zidx`, identity)).toBeUndefined();
    const broken = Buffer.from(variants.dynamic!);
    broken.fill(0xff, 100, 400);
    expect(() => findAccessPoints(broken)).toThrow(InflateError);
    expect(() => findAccessPoints(Buffer.from('plain text, not gzip at all'))).toThrow(InflateError);
    // sanity: the fixture itself is valid gzip
    expect(gunzipSync(variants.members!).equals(text)).toBe(true);
  });

  it('cuts a range out of inflated data the same way in this thread and through inflateRawSync', () => {
    const dictionary = text.subarray(0, 32 * 1024);
    const rest = text.subarray(32 * 1024);
    const raw = deflateRawSync(rest, { dictionary });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: rest.length + 10 }), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 16, max: 70_000 }), fc.boolean(), (skip, length, outSize, cut) => {
        const input = cut ? raw.subarray(0, raw.length >> 1) : raw;
        const expected = inflateRange(input, dictionary, skip, length, Buffer.alloc(outSize), false);
        const got = inflateRange(input, dictionary, skip, length, Buffer.alloc(outSize));
        expect(got?.equals(expected!)).toBe(true);
        if (!cut) expect(got!.equals(rest.subarray(skip, skip + length))).toBe(true);
      }),
      { numRuns: 150 },
    );
    const broken = Buffer.from(raw);
    broken.fill(0xff, 10, 60);
    expect(inflateRange(broken, dictionary, 0, 100, Buffer.alloc(1024))).toBeUndefined();
    expect(inflateRange(broken, dictionary, 0, 100, Buffer.alloc(1024), false)).toBeUndefined();
  });

  it('serves concurrent reads of one file, each with its own scratch buffers', async () => {
    const file = path.join(tmp, 'concurrent.gz');
    await writeFile(file, variants.dynamic!);
    await buildGzipAccess(file, identity, `${file}.zidx`, undefined, 8 * 1024);
    const access = (await loadGzipAccess(`${file}.zidx`, identity))!;
    const ranges = Array.from({ length: 40 }, (_, k) => ({ offset: (k * 7919) % (text.length - 5000), length: 100 + ((k * 131) % 4000) }));
    const got = await Promise.all(ranges.map((r) => readGzipRange(file, access, r.offset, r.length)));
    got.forEach((g, k) => expect(g?.equals(text.subarray(ranges[k]!.offset, ranges[k]!.offset + ranges[k]!.length))).toBe(true));
  });
});
