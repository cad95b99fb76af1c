import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../../src/main/services/gen/generator';
import { loadPublicKeyFile, type PublicKeyEntry } from '../../../src/main/services/keys/keys';
import { verifyArchive } from '../../../src/main/services/verify/verify-archive';
import { WorkerPool } from '../../../src/main/services/workers/worker-pool';
import { canonicalize } from '../../../src/shared/jcs';
import { WORKER_PATH } from './archive-fixture';

// Property: one byte of one line of the plain (newest) day file replaced by a printable ASCII byte.
// Verification never throws; the file is reported valid only when the byte did not change; every
// change leaves a finding on that file, at the edited line unless the line still parses to the
// same record (then the content hash alone tells); the other day file stays valid.

interface Sample {
  dir: string;
  plain: string;
  other: string;
  pristine: Buffer;
  /** [start, end) of each line, without its "\n". */
  lines: [number, number][];
  trusted: PublicKeyEntry;
}

const pool = new WorkerPool(WORKER_PATH, 2);
let tmp = '';
const samples: Sample[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'alog-prop-'));
  // A few small archives of different shapes, generated once.
  const shapes = [
    { seed: 11, days: 2, perDay: 6, bodyKb: 0.5 },
    { seed: 12, days: 2, perDay: 3, bodyKb: 2 },
    { seed: 13, days: 2, perDay: 10, bodyKb: 0.2 },
  ];
  for (const s of shapes) {
    const dir = path.join(tmp, `a${s.seed}`);
    const summary = await generateArchive({ out: dir, ...s, sealed: true, gzipOlder: true, keyDir: path.join(tmp, `k${s.seed}`) });
    const plain = summary.files.at(-1)!.file;
    const other = summary.files[0]!.file;
    expect(plain.endsWith('.jsonl')).toBe(true);
    const pristine = await readFile(path.join(dir, plain));
    const lines: [number, number][] = [];
    for (let start = 0; start < pristine.length; ) {
      const nl = pristine.indexOf(0x0a, start);
      lines.push([start, nl]);
      start = nl + 1;
    }
    samples.push({ dir, plain, other, pristine, lines, trusted: await loadPublicKeyFile(path.join(dir, summary.publicKeyFile!)) });
  }
});

afterAll(async () => {
  await pool.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function sameRecord(a: string, b: string): boolean {
  try {
    return canonicalize(JSON.parse(a)) === canonicalize(JSON.parse(b));
  } catch {
    return false;
  }
}

describe('single-byte edits of a sealed day file', () => {
  it('are always caught, on that file, and spoil nothing else', async () => {
    const untouched = await verifyArchive(samples[0]!.dir, { pool, trustedKeys: [samples[0]!.trusted] });
    expect(untouched.summary.ok).toBe(true);

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0x20, max: 0x7e }),
        async (which, lineSeed, posSeed, byte) => {
          const s = samples[which]!;
          const lineIdx = lineSeed % s.lines.length;
          const [start, end] = s.lines[lineIdx]!;
          const at = start + (posSeed % (end - start));
          const edited = Buffer.from(s.pristine);
          const before = edited[at]!;
          edited[at] = byte;
          await writeFile(path.join(s.dir, s.plain), edited);
          try {
            const r = await verifyArchive(s.dir, { pool, trustedKeys: [s.trusted] });
            const file = r.files.find((f) => f.file === s.plain)!;
            const other = r.files.find((f) => f.file === s.other)!;
            expect(other.status).toBe('valid');
            if (byte === before) {
              expect(r.summary.ok).toBe(true);
              expect(file.status).toBe('valid');
              return;
            }
            expect(r.summary.ok).toBe(false);
            expect(file.status).toBe('invalid');
            expect(file.findings.length).toBeGreaterThan(0);
            const kinds = file.findings.map((f) => f.kind);
            expect(kinds).toContain('content_hash_mismatch');
            const line = lineIdx + 1;
            const oldText = s.pristine.toString('utf8', start, end);
            const newText = edited.toString('utf8', start, end);
            if (sameRecord(oldText, newText)) {
              expect(kinds).toEqual(['content_hash_mismatch']);
            } else {
              expect(
                file.findings.some((f) => f.line === line),
                `edit at line ${line} byte ${at - start}: ${String.fromCharCode(before)} -> ${String.fromCharCode(byte)}; got ${JSON.stringify(file.findings)}`,
              ).toBe(true);
            }
            for (const f of file.findings) expect(f.message.length).toBeGreaterThan(0);
          } finally {
            await writeFile(path.join(s.dir, s.plain), s.pristine);
          }
        },
      ),
      { numRuns: Number(process.env.ALOG_PROPERTY_RUNS ?? 30) },
    );
  });
});
