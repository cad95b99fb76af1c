// `npm run bench:export`: export throughput and peak memory, per format, with the default
// (external-auditor) profile, against a plain baseline measured in the same run on the same
// archive: read every day file, JSON.parse each line, JSON.stringify it to a JSONL file.
// Goal (issue 5): redacted CSV and JSONL at >= 50% of the baseline's records/s.
//
//   node scripts/bench-export.mjs [--records 100000] [--days 5] [--body-kb 4] [--formats csv,jsonl,...] [--repeat N] [--keep]
//
// The archive is generated once into .bench/ and reused; its index is built before timing.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const alog = path.join(root, 'out', 'cli', 'alog.cjs');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

// Peak RSS of a child: reported by the child itself on exit (worker threads included).
const RSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

const REPEAT = Math.max(1, Number(arg('repeat', '1')));

/** Best of --repeat runs (the machine may be shared; the fastest run is the least disturbed). */
function runNode(args, env) {
  let best;
  for (let i = 0; i < REPEAT; i++) {
    const r = runNodeOnce(args, env);
    if (!best || r.seconds < best.seconds) best = { ...r, rssMb: Math.max(r.rssMb, best?.rssMb ?? 0) };
  }
  return best;
}

function runNodeOnce(args, env = {}) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  const rss = Number(/MAXRSS_KB (\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN) / 1024;
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  }
  return { seconds, rssMb: rss, stdout: r.stdout };
}

async function baseline(archive, out) {
  const files = readdirSync(archive).filter((n) => /^activations-\d{4}-\d{2}-\d{2}\.jsonl(\.gz)?$/.test(n)).sort();
  const sink = createWriteStream(out);
  let records = 0;
  for (const f of files) {
    const p = path.join(archive, f);
    const source = f.endsWith('.gz') ? createReadStream(p, { highWaterMark: 1 << 20 }).pipe(createGunzip()) : createReadStream(p, { highWaterMark: 1 << 20 });
    let carry = '';
    for await (const chunk of source) {
      const text = carry + chunk.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop();
      let batch = '';
      for (const line of lines) {
        if (!line) continue;
        batch += JSON.stringify(JSON.parse(line)) + '\n';
        records++;
      }
      if (!sink.write(batch)) await once(sink, 'drain');
    }
    if (carry) {
      sink.write(JSON.stringify(JSON.parse(carry)) + '\n');
      records++;
    }
  }
  sink.end();
  await once(sink, 'finish');
  process.stdout.write(JSON.stringify({ records }) + '\n');
}

async function main() {
  if (process.argv[2] === '--baseline-child') return baseline(process.argv[3], process.argv[4]);

  const records = Number(arg('records', '100000'));
  const days = Number(arg('days', '5'));
  const bodyKb = Number(arg('body-kb', '4'));
  const formats = arg('formats', 'csv,jsonl,xlsx,parquet,pdf').split(',');
  const perDay = Math.ceil(records / days);
  const bench = path.join(root, '.bench', `export-${days}x${perDay}-${bodyKb}kb`);
  const archive = path.join(bench, 'archive');
  const cache = path.join(bench, 'cache');
  const outDir = path.join(bench, 'out');
  if (!existsSync(alog)) throw new Error('build the CLI first: npm run build:cli');
  const worker = path.join(root, 'out', 'cli', 'export-worker.cjs');
  if (!existsSync(worker)) {
    // Until scripts/build-cli.mjs bundles it, build the redaction worker the same way here.
    const { build } = await import('esbuild');
    await build({ entryPoints: [path.join(root, 'src/main/services/export/redact-worker.ts')], outfile: worker, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
    process.stdout.write(`built ${path.relative(root, worker)} (the redaction worker; scripts/build-cli.mjs does not bundle it yet)\n`);
  }

  if (!existsSync(path.join(bench, 'ready'))) {
    rmSync(bench, { recursive: true, force: true });
    mkdirSync(bench, { recursive: true });
    process.stdout.write(`generating ${days} x ${perDay} records (body ~${bodyKb} KB) into ${archive} ...\n`);
    const g = runNode([alog, 'gen', archive, '--days', String(days), '--per-day', String(perDay), '--gzip-older', '--body-kb', String(bodyKb), '--seed', '7', '--key', path.join(bench, 'key')]);
    process.stdout.write(g.stdout);
    writeFileSync(path.join(bench, 'ready'), '');
  }
  const sizes = readdirSync(archive).filter((n) => n.startsWith('activations-')).map((n) => statSync(path.join(archive, n)).size);
  process.stdout.write(`archive: ${archive} (${(sizes.reduce((a, b) => a + b, 0) / 1048576).toFixed(0)} MB on disk)\n`);
  const key = readdirSync(path.join(archive, 'keys'))[0];
  // With the archive's key trusted it verifies, so `alog index` exits 0.
  const idx = runNode([alog, 'index', archive, '--cache-dir', cache, '--trust-key', path.join(archive, 'keys', key)]);
  process.stdout.write(`index ready in ${idx.seconds.toFixed(1)} s (not counted below)\n\n`);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rows = [];
  const base = runNode([fileURLToPath(import.meta.url), '--baseline-child', archive, path.join(outDir, 'baseline.jsonl')]);
  const n = JSON.parse(base.stdout.trim().split('\n').pop()).records;
  rows.push({ name: 'baseline: JSON.parse + JSON.stringify -> JSONL (no redaction)', seconds: base.seconds, rssMb: base.rssMb, records: n, bytes: statSync(path.join(outDir, 'baseline.jsonl')).size });
  const baseRate = n / base.seconds;

  const runs = formats.map((f) => ({ f, inThread: false }));
  // Redaction on the main thread too, for CSV and JSONL: what an export costs without the worker.
  for (const f of formats) if (f === 'csv' || f === 'jsonl') runs.push({ f, inThread: true });
  for (const { f, inThread } of runs) {
    const out = path.join(outDir, `export.${f}`);
    const r = runNode([alog, 'export', archive, '--format', f, '--out', out, '--cache-dir', cache, '--trust-key', path.join(archive, 'keys', key), '--json', '--overwrite'], inThread ? { ALOG_EXPORT_WORKER: '0' } : {});
    const summary = JSON.parse(r.stdout);
    const manifestBytes = statSync(out + '.manifest.json').size;
    rows.push({ name: `alog export --format ${f}${inThread ? ', redaction in-thread' : ''}`, seconds: r.seconds, rssMb: r.rssMb, records: summary.records.exported, bytes: summary.bytes, manifestBytes, verified: summary.verified });
  }

  const pad = (s, w) => String(s).padEnd(w);
  const lpad = (s, w) => String(s).padStart(w);
  process.stdout.write(`(profile external-auditor, every record of the archive; ${REPEAT > 1 ? `best of ${REPEAT} runs` : 'one run each'}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  process.stdout.write(`${pad('run', 58)}${lpad('records', 9)}${lpad('seconds', 9)}${lpad('records/s', 11)}${lpad('vs base', 9)}${lpad('peak RSS', 10)}${lpad('output', 10)}${lpad('manifest', 10)}\n`);
  for (const r of rows) {
    const rate = r.records / r.seconds;
    process.stdout.write(
      `${pad(r.name, 58)}${lpad(r.records, 9)}${lpad(r.seconds.toFixed(1), 9)}${lpad(Math.round(rate), 11)}${lpad(`${((100 * rate) / baseRate).toFixed(0)}%`, 9)}${lpad(`${r.rssMb.toFixed(0)} MB`, 10)}${lpad(`${(r.bytes / 1048576).toFixed(0)} MB`, 10)}${lpad(r.manifestBytes ? `${(r.manifestBytes / 1048576).toFixed(0)} MB` : '-', 10)}\n`,
    );
  }
  const goal = rows.filter((r) => /format (csv|jsonl)$/.test(r.name)).map((r) => r.records / r.seconds / baseRate);
  process.stdout.write(`\ngoal: redacted CSV and JSONL >= 50% of the baseline: ${goal.every((g) => g >= 0.5) ? 'met' : 'NOT met'} (${goal.map((g) => `${(100 * g).toFixed(0)}%`).join(', ')})\n`);
  process.stdout.write('(wall time of whole processes; the export includes selection, name collection, hashing every line, proofs and the manifest)\n');
  if (!process.argv.includes('--keep')) rmSync(outDir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
