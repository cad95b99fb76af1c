// Redaction in a worker thread gives byte-for-byte the export redaction on the export's own thread
// gives (one processor, fed in order, so pseudonym numbering is the same sequence). The worker
// bundle is the one the build makes (out/cli/export-worker.cjs); until scripts/build-cli.mjs has
// that entry, this test bundles src/main/services/export/redact-worker.ts itself with esbuild.
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
let workerFile = path.resolve(__dirname, '../../../out/cli/export-worker.cjs');

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 80, seed: 31 });
  if (!existsSync(workerFile)) {
    workerFile = path.join(fx.tmp, 'export-worker.cjs');
    await build({ entryPoints: [path.resolve(__dirname, '../../../src/main/services/export/redact-worker.ts')], outfile: workerFile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  }
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
      if (format === 'parquet') expect(worker.bytes.length).toBe(inline.bytes.length);
      else expect(worker.bytes.equals(inline.bytes)).toBe(true);
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
