// Bundles the headless entry points (the `alog` CLI and the worker thread) with esbuild.
// `npm ci` runs this through `prepare`, so `npx alog` works in a fresh clone.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

await build({
  absWorkingDir: root,
  entryPoints: {
    alog: 'src/cli/alog.ts',
    'archive-worker': 'src/main/worker/archive-worker.ts',
    'export-worker': 'src/main/services/export/redact-worker.ts',
  },
  outdir: 'out/cli',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // `electron` must never reach the headless bundle: requiring it downloads the runtime.
  external: ['electron'],
  define: { __ALOG_VERSION__: JSON.stringify(version) },
});
