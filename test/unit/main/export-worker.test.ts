// An export whose redaction runs in a worker thread is byte for byte the export whose redaction
// runs on the export's own thread (one processor, fed in order: pseudonym numbering is the same
// sequence). The worker is
// bundled from the current source with esbuild, as scripts/build-cli.mjs bundles the CLI's.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../src/main/services/export/export-service';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import type { ExportFormat } from '../../../src/shared/export-manifest';
import { ExportFixture } from './export-fixture';

const fx = new ExportFixture();
let workerFile = '';

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 80, seed: 31 });
  workerFile = path.join(fx.tmp, 'export-worker.cjs');
  await build({ entryPoints: [path.resolve(__dirname, '../../../src/main/services/export/redact-worker.ts')], outfile: workerFile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
}, 60_000);
afterAll(() => fx.teardown());

async function exportWith(format: ExportFormat, worker: string | undefined): Promise<{ bytes: Buffer; counts: string }> {
  const r = await runExport(
    { index: fx.index, pool: fx.pool, trustedKeys: fx.trusted, toolVersion: 'test', secret: new Uint8Array(32).fill(3), redactionWorker: worker },
    { format, out: fx.out(format), query: 'NOT status:blocked' },
    builtinProfile('external-auditor'),
  );
  return { bytes: await readFile(r.file), counts: JSON.stringify(r.report.rules.map((x) => [x.id, x.count])) };
}

describe('redaction in a worker thread', () => {
  for (const format of ['jsonl', 'csv', 'parquet'] as const) {
    it(`${format}: the same bytes and counts as on the export's thread`, async () => {
      const inline = await exportWith(format, undefined);
      const worker = await exportWith(format, workerFile);
      expect(worker.counts).toBe(inline.counts);
      expect(worker.bytes.equals(inline.bytes)).toBe(true);
    });
  }

  it('a worker that cannot start fails the export cleanly, leaving nothing', async () => {
    const out = fx.out('csv');
    await expect(
      runExport({ index: fx.index, pool: fx.pool, trustedKeys: fx.trusted, toolVersion: 'test', redactionWorker: path.join(fx.tmp, 'no-such-worker.cjs') }, { format: 'csv', out }, builtinProfile('external-auditor')),
    ).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
  });
});
