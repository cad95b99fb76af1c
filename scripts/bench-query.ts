// Index and query benchmark (`npm run bench:query`): prints figures, asserts nothing.
//
//   tsx scripts/bench-query.ts [--sizes 100k,1m] [--body-kb 1] [--rounds N] [--reuse-cache]
//
// Archives are generated under .bench/ (gitignored) once and reused. For each: DuckDB's
// read_json_auto count(*) over the same files (the baseline, in a child process) alternating with
// `alog verify` and a cold index build, best of --rounds each (the machine is shared and noisy); a
// warm reopen + first page in a fresh process; indexed and free-text query latencies; peak RSS of
// fresh CLI processes with the index open; gzip access points; random record access; the index
// size against the uncompressed archive. --reuse-cache skips the baseline and the rebuild.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { openArchiveIndex } from '../src/main/services/index/archive-index';
import { QueryEngine } from '../src/main/services/query/query-engine';
import { prepareGzipAccess, readRecordAt } from '../src/main/services/query/record-reader';
import { WorkerPool } from '../src/main/services/workers/worker-pool';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
const ALOG = path.join(root, 'out/cli/alog.cjs');
const WORKER = path.join(root, 'out/cli/archive-worker.cjs');
const BENCH = path.join(root, '.bench');

const SIZES: Record<string, { days: number; perDay: number }> = {
  '100k': { days: 10, perDay: 10_000 },
  '1m': { days: 30, perDay: 33_334 },
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const MB = 1024 * 1024;
const fmt = (n: number, d = 1) => n.toFixed(d);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function ensureArchive(name: string, bodyKb: string): Promise<string> {
  const dir = path.join(BENCH, `archive-${name}`);
  const done = path.join(BENCH, `archive-${name}.done`);
  if (existsSync(done)) return dir;
  const { days, perDay } = SIZES[name]!;
  console.log(`generating ${name}: ${days} days x ${perDay} records (--body-kb ${bodyKb}); done once, reused after`);
  await rm(dir, { recursive: true, force: true });
  await run(process.execPath, [ALOG, 'gen', dir, '--days', String(days), '--per-day', String(perDay), '--body-kb', bodyKb, '--gzip-older'], { maxBuffer: 1 << 24 });
  await writeFile(done, new Date().toISOString() + '\n');
  return dir;
}

/** On-disk and uncompressed bytes of the day files (gzip ISIZE trailer: files < 4 GiB). */
async function archiveSizes(dir: string): Promise<{ disk: number; uncompressed: number; plain: string[] }> {
  let disk = 0;
  let uncompressed = 0;
  const plain: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => /^activations-.*\.jsonl(\.gz)?$/.test(n))) {
    const p = path.join(dir, name);
    const size = (await stat(p)).size;
    disk += size;
    if (name.endsWith('.gz')) {
      const fh = await open(p, 'r');
      const b = Buffer.alloc(4);
      await fh.read(b, 0, 4, size - 4);
      await fh.close();
      uncompressed += b.readUInt32LE(0);
    } else {
      uncompressed += size;
      plain.push(name);
    }
  }
  return { disk, uncompressed, plain };
}

async function duckdbCount(dir: string): Promise<{ count: number; ms: number } | { error: string }> {
  const script = `
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const t = performance.now();
    const r = await con.runAndReadAll(${JSON.stringify(`select count(*) from read_json_auto('${dir}/activations-*.jsonl*', maximum_object_size=268435456)`)});
    console.log(JSON.stringify({ count: Number(r.getRows()[0][0]), ms: performance.now() - t }));`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { count: number; ms: number };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]! };
  }
}

/** Runs the CLI in a fresh process; returns its wall time and peak RSS (MB, from a preload hook). */
async function alogChild(args: string[], okCodes: number[] = [0]): Promise<{ ms: number; rssMb: number; stdout: string }> {
  const hook = path.join(BENCH, 'rss-hook.cjs');
  if (!existsSync(hook)) {
    await writeFile(hook, "process.on('exit', () => process.stderr.write('RSS_MB=' + (process.resourceUsage().maxRSS / 1024).toFixed(0) + '\\n'));\n");
  }
  const t = performance.now();
  let stderr = '';
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', hook, ALOG, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => (okCodes.includes(code ?? -1) ? resolve() : reject(new Error(`alog ${args[0]} exited ${code}: ${stderr}`))));
  });
  const ms = performance.now() - t;
  return { ms, rssMb: Number(/RSS_MB=(\d+)/.exec(stderr)?.[1] ?? NaN), stdout };
}

/** `--trust-key` for the key the generator shipped with the archive. */
async function trustArgs(dir: string): Promise<string[]> {
  const keys = (await readdir(path.join(dir, 'keys'))).filter((n) => n.endsWith('.pem'));
  return keys.flatMap((k) => ['--trust-key', path.join(dir, 'keys', k)]);
}

async function bench(name: string, bodyKb: string): Promise<void> {
  const dir = await ensureArchive(name, bodyKb);
  const sizes = await archiveSizes(dir);
  console.log(`\n=== ${name}: ${fmt(sizes.disk / MB)} MB on disk, ${fmt(sizes.uncompressed / MB)} MB uncompressed`);

  // --reuse-cache: only the query-side figures (no baseline, no rebuild) for a quick re-measure.
  const reuse = process.argv.includes('--reuse-cache');
  // The machine is shared and noisy: baseline and build alternate, and the best of each counts.
  const rounds = reuse ? 0 : Number(arg('rounds', name === '100k' ? '2' : '1'));
  const cache = path.join(BENCH, `cache-${name}`);
  let duckBest: { count: number; ms: number } | undefined;
  let buildBest: { ms: number; records: number; segmentBytes: number } | undefined;
  let verifyBest: number | undefined;
  for (let round = 0; round < rounds; round++) {
    const duck = await duckdbCount(dir);
    if ('error' in duck) console.log(`DuckDB read_json_auto count(*): failed (${duck.error})`);
    else {
      console.log(`  round ${round + 1}: DuckDB read_json_auto count(*) ${duck.count} records in ${fmt(duck.ms / 1000, 2)} s`);
      if (!duckBest || duck.ms < duckBest.ms) duckBest = duck;
    }
    // Context: the verification alone (the build does this work in the same pass).
    const verifyOnly = await alogChild(['verify', dir, '--json'], [0, 1]).catch(() => undefined);
    if (verifyOnly) {
      console.log(`  round ${round + 1}: alog verify alone ${fmt(verifyOnly.ms / 1000, 2)} s`);
      verifyBest = Math.min(verifyBest ?? Infinity, verifyOnly.ms);
    }
    await rm(cache, { recursive: true, force: true });
    // The build as a user runs it: `alog index` in a fresh process (a build inside this tsx process
    // would start its workers with tsx's loader hooks, ~0.4 s slower). The time counted is the one
    // the command measures itself, from opening the archive to the last segment (worker start-up
    // included, Node's own start-up not: DuckDB's figure excludes its start-up too).
    // With the archive's own key trusted the archive verifies, so `alog index` exits 0.
    const child = await alogChild(['index', dir, '--cache-dir', cache, '--json', ...(await trustArgs(dir))]);
    const built = JSON.parse(child.stdout) as { seconds: number; records: number; segmentBytes: number };
    const buildMs = built.seconds * 1000;
    console.log(`  round ${round + 1}: index build (alog index) ${fmt(buildMs / 1000, 2)} s (process ${fmt(child.ms / 1000, 2)} s, peak RSS ${child.rssMb} MB)`);
    if (!buildBest || buildMs < buildBest.ms) buildBest = { ms: buildMs, records: built.records, segmentBytes: built.segmentBytes };
  }
  if (duckBest) {
    const s = duckBest.ms / 1000;
    console.log(`DuckDB read_json_auto count(*) (best): ${duckBest.count} records in ${fmt(s, 2)} s = ${fmt(sizes.disk / MB / s)} MB/s on disk, ${fmt(sizes.uncompressed / MB / s)} MB/s uncompressed, ${Math.round(duckBest.count / s)} records/s`);
  }
  if (verifyBest !== undefined) console.log(`alog verify alone (best; the build includes this work): ${fmt(verifyBest / 1000, 2)} s = ${fmt(sizes.uncompressed / MB / (verifyBest / 1000))} MB/s uncompressed`);
  if (buildBest) {
    const s = buildBest.ms / 1000;
    console.log(
      `index build, verifying in the same pass (best): ${buildBest.records} records in ${fmt(s, 2)} s = ${fmt(sizes.disk / MB / s)} MB/s on disk, ${fmt(sizes.uncompressed / MB / s)} MB/s uncompressed, ${Math.round(buildBest.records / s)} records/s` +
        (duckBest ? `  => ${fmt(duckBest.ms / buildBest.ms, 2)}x DuckDB` : ''),
    );
  }
  {
    const pool = new WorkerPool(WORKER);
    try {
      const { report } = await openArchiveIndex(dir, { pool, cacheRoot: cache });
      console.log(`index size: ${fmt(report.segmentBytes / MB, 2)} MB = ${fmt((100 * report.segmentBytes) / sizes.uncompressed, 2)}% of the uncompressed archive`);
    } finally {
      await pool.close();
    }
  }

  const reopenRuns: { ms: number; rssMb: number }[] = [];
  for (let i = 0; i < 3; i++) reopenRuns.push(await alogChild(['query', dir, '--limit', '50', '--json', '--cache-dir', cache]));
  console.log(
    `warm reopen + first page (fresh \`alog query\` process, 50 rows): ${reopenRuns.map((x) => fmt(x.ms, 0)).join(' / ')} ms; peak RSS ${reopenRuns[0]!.rssMb} MB`,
  );
  const statsChild = await alogChild(['stats', dir, '--json', '--cache-dir', cache]);
  const ftChild = await alogChild(['query', dir, 'ProviderTimeoutError AND status:failed', '--json', '--cache-dir', cache]);
  console.log(`peak RSS of a fresh \`alog stats\` over all records: ${statsChild.rssMb} MB (${fmt(statsChild.ms, 0)} ms); of a free-text \`alog query\`: ${ftChild.rssMb} MB (${fmt(ftChild.ms, 0)} ms)`);

  const pool2 = new WorkerPool(WORKER);
  try {
    const [{ index }, openMs] = await timed(() => openArchiveIndex(dir, { pool: pool2, cacheRoot: cache }));
    const engine = new QueryEngine(index, pool2);
    const [, firstPageMs] = await timed(() => engine.query({ query: '', limit: 50 }));
    console.log(`in-process: reopen ${fmt(openMs, 0)} ms, first page ${fmt(firstPageMs, 1)} ms`);

    const indexed = [
      'status:failed',
      'provider:openai AND platform:mailchimp',
      'error:Provider* AND NOT env:production',
      'total_ms:>10000 AND cost:>0.001',
      'gate:false OR quality:<0.5',
      'locale:en-* AND type:email_campaign AND status:published',
      'timestamp:>="2026-11-15" AND severity:warning',
      'id:act_1*',
    ];
    const sorts = [undefined, { field: 'total_ms', direction: 'desc' as const }, { field: 'cost', direction: 'desc' as const }, { field: 'status', direction: 'asc' as const }];
    // Every query evaluated afresh (the engine keeps recent selections for paging and re-sorting;
    // they are dropped before each), then the same queries re-sorted with their selection kept.
    const lat: number[] = [];
    const reused: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of indexed) {
        for (const sort of sorts) {
          engine.forgetSelections();
          const [, ms] = await timed(() => engine.query({ query: q, sort, limit: 50 }));
          lat.push(ms);
          const [, again] = await timed(() => engine.query({ query: q, sort: sorts[(sorts.indexOf(sort) + 1) % sorts.length], limit: 50, offset: 50 }));
          reused.push(again);
        }
      }
    }
    console.log(`indexed queries (${indexed.length} queries x ${sorts.length} sorts x 5, first page of 50 with exact total, evaluated afresh): p50 ${fmt(percentile(lat, 50))} ms, p95 ${fmt(percentile(lat, 95))} ms, max ${fmt(Math.max(...lat))} ms`);
    console.log(`the same queries, another sort and page (selection reused): p50 ${fmt(percentile(reused, 50))} ms, p95 ${fmt(percentile(reused, 95))} ms`);

    const [st, statsMs] = await timed(() => engine.stats({ query: '' }));
    console.log(`stats over all ${st.total} records: ${fmt(statsMs, 0)} ms`);

    // Free text: each query is new to the engine (no selection to reuse).
    engine.forgetSelections();
    await engine.select({ query: 'warmup' }); // JIT-warm the workers' scan path
    const plainFile = sizes.plain[sizes.plain.length - 1];
    if (plainFile) {
      for (let w = 0; w < 2; w++) {
        engine.forgetSelections();
        await engine.select({ query: `file:${plainFile} AND warmup` });
      }
      const ft: number[] = [];
      let bytes = 0;
      for (const needle of ['ProviderTimeoutError', '"rate limit exceeded"', 'madeyemi@example.net', 'zzzznotfound', 'the', 'Berlin']) {
        const sel = `file:${plainFile} AND ${needle}`;
        const t = performance.now();
        const r = await engine.select({ query: sel });
        const ms = performance.now() - t;
        ft.push(ms);
        bytes += r.scannedBytes;
      }
      const total = ft.reduce((a, b) => a + b, 0);
      console.log(`free text on the plain day file (${plainFile}): ${fmt(bytes / ft.length / MB)} MB per query, p50 ${fmt(percentile(ft, 50), 0)} ms = ${fmt(bytes / MB / (total / 1000))} MB/s`);
    }
    const gz: number[] = [];
    let gzBytes = 0;
    for (const needle of ['ProviderTimeoutError', 'zzzznotfound']) {
      const t = performance.now();
      const r = await engine.select({ query: needle });
      gz.push(performance.now() - t);
      gzBytes += r.scannedBytes;
    }
    console.log(`free text over the whole archive (mostly gzip): ${gz.map((x) => fmt(x / 1000, 2)).join(' / ')} s = ${fmt(gzBytes / MB / (gz.reduce((a, b) => a + b, 0) / 1000))} MB/s uncompressed`);

    const [gzAccess, gzAccessMs] = await timed(() => prepareGzipAccess(index, pool2));
    console.log(
      `gzip access points for ${gzAccess.files} file(s): built in ${fmt(gzAccessMs / 1000, 2)} s, ${fmt(gzAccess.bytes / MB, 2)} MB = ${fmt((100 * gzAccess.bytes) / sizes.uncompressed, 2)}% of the uncompressed archive; index + access points = ${fmt((100 * (index.segmentBytes + gzAccess.bytes)) / sizes.uncompressed, 2)}%`,
    );
    // Random access: 100 gzip records over up to 10 gzip files, 40 plain records (a p95 of 10
    // samples would be their maximum), after one read of each kind to warm the code up.
    const access: { plain: number[]; gzip: number[] } = { plain: [], gzip: [] };
    const gzSegs = index.segments.filter((s) => s.file.gzip);
    const plainSegs = index.segments.filter((s) => !s.file.gzip);
    const spread = <T>(xs: T[], n: number): T[] => (xs.length <= n ? xs : Array.from({ length: n }, (_, k) => xs[Math.floor((k * xs.length) / n)]!));
    for (const seg of [gzSegs[0], plainSegs[0]]) if (seg) await readRecordAt(index, seg.base);
    for (const [segs, perSeg] of [[spread(gzSegs, 10), 10], [plainSegs, Math.ceil(40 / Math.max(1, plainSegs.length))]] as const) {
      for (const seg of segs) {
        for (let k = 0; k < perSeg; k++) {
          const row = seg.base + Math.floor(((k + 0.5) / perSeg) * seg.rows);
          const [, ms] = await timed(() => readRecordAt(index, row));
          (seg.file.gzip ? access.gzip : access.plain).push(ms);
        }
      }
    }
    console.log(
      `random record access (${access.plain.length} plain, ${access.gzip.length} gzip over ${Math.min(10, gzSegs.length)} files): plain p50 ${fmt(percentile(access.plain, 50), 2)} ms / p95 ${fmt(percentile(access.plain, 95), 2)} ms; gzip p50 ${fmt(percentile(access.gzip, 50), 1)} ms / p95 ${fmt(percentile(access.gzip, 95), 1)} ms / max ${fmt(Math.max(...access.gzip), 1)} ms`,
    );
    console.log(`peak RSS of this bench process (built the index in-process, tsx loaded): ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB`);
  } finally {
    await pool2.close();
  }
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100k,1m').split(',');
  const bodyKb = arg('body-kb', '1');
  for (const s of sizes) if (!SIZES[s]) throw new Error(`unknown size ${s}; use ${Object.keys(SIZES).join(', ')}`);
  console.log(`bench:query on ${process.version}, ${(await import('node:os')).availableParallelism()} cores`);
  for (const s of sizes) await bench(s, bodyKb);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
