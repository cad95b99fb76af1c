#!/usr/bin/env node
// Runs Electronegativity (Doyensec's Electron security linter) on the app's source and fails on
// any HIGH or MEDIUM finding. Electronegativity itself exits 0 whatever it finds, so this reads
// its CSV report instead.
//
//   node scripts/electronegativity.mjs [--input DIR]
//
// Exit codes: 0 no HIGH/MEDIUM finding (LOW and informational ones are printed), 1 findings,
// 2 the scan could not run or its report could not be read (never taken as "no findings").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);

/**
 * Findings that are not problems in this app, each with the reason. PRELOAD_JS_CHECK is a
 * reminder to review every preload script, raised for any `preload:` option whatever the script
 * does; ours exposes one typed function per operation (src/preload/index.ts) and is reviewed.
 */
const ACCEPTED = new Map([['PRELOAD_JS_CHECK', 'generic notice to review the preload script (src/preload/index.ts exposes only the typed contract and files.pathForFile for dropped folders)']]);
const FAILING = new Set(['HIGH', 'MEDIUM']);
const HEADER = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];

function fail(message) {
  process.stderr.write(`electronegativity: ${message}\n`);
  process.exit(2);
}

const inputArg = process.argv.indexOf('--input');
const input = path.resolve(ROOT, inputArg === -1 ? 'src' : process.argv[inputArg + 1] ?? fail('--input takes a folder'));

// Without the Electron version Electronegativity assumes 0.1.0 and reports defaults that changed
// long ago (the remote module); the version is the installed one, else the one package.json asks for.
function electronVersion() {
  try {
    return require(path.join(ROOT, 'node_modules/electron/package.json')).version;
  } catch {
    const wanted = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies?.electron;
    const m = /\d+\.\d+\.\d+/.exec(wanted ?? '');
    if (!m) fail('cannot tell which Electron version the app uses (no node_modules/electron, no devDependency)');
    return m[0];
  }
}

let cli;
try {
  cli = require.resolve('@doyensec/electronegativity/dist/index.js');
} catch {
  fail('@doyensec/electronegativity is not installed (npm ci installs it as a devDependency)');
}
if (!existsSync(input)) fail(`no such folder: ${input}`);

const version = electronVersion();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
const report = path.join(tmp, 'report.csv');
try {
  process.stdout.write(`electronegativity: scanning ${path.relative(ROOT, input) || '.'} for Electron ${version}\n`);
  const run = spawnSync(process.execPath, [cli, '--input', input, '--output', report, '--relative', '--electron-version', version, '--verbose', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
    // It writes the CSV header and the rows with two concurrent fs.writeFile calls (header with
    // flag 'w', rows with 'a'); on a multi-threaded libuv pool the header can land over the first
    // row. One thread runs them in the order they were issued.
    env: { ...process.env, UV_THREADPOOL_SIZE: '1', FORCE_COLOR: '0' },
    timeout: 300_000,
  });
  if (run.error) fail(`could not run: ${run.error.message}`);
  if (run.status !== 0) fail(`exited with ${run.status}:\n${run.stderr}${run.stdout}`);
  if (!existsSync(report)) fail(`wrote no report:\n${run.stderr}${run.stdout}`);

  const findings = parseReport(readFileSync(report, 'utf8'));
  const failing = findings.filter((f) => FAILING.has(f.severity) && !ACCEPTED.has(f.issue));
  for (const f of findings) {
    const accepted = ACCEPTED.get(f.issue);
    const mark = accepted ? 'accepted' : FAILING.has(f.severity) ? 'FAIL' : 'note';
    process.stdout.write(`${mark.padEnd(8)} ${f.severity.padEnd(13)} ${f.issue} ${f.filename}:${f.location}\n`);
    process.stdout.write(`         ${f.description}${accepted ? ` (accepted: ${accepted})` : ''}\n`);
    if (f.sample) process.stdout.write(`         ${f.sample.slice(0, 160)}\n`);
  }
  process.stdout.write(
    `electronegativity: ${findings.length} finding(s), ${failing.length} HIGH/MEDIUM not accepted${failing.length ? '' : ': passed'}\n`,
  );
  process.exitCode = failing.length > 0 ? 1 : 0;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** The CSV report as records; anything unexpected is an error, never "no findings". */
function parseReport(text) {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.map((h) => h.trim());
  if (!header || header.join(',') !== HEADER.join(',')) fail(`unexpected report header: ${JSON.stringify(header)}`);
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r, i) => {
      if (r.length !== HEADER.length || !/^[A-Z0-9_]+$/.test(r[0])) fail(`report row ${i + 1} is garbled: ${JSON.stringify(r).slice(0, 200)}`);
      const f = Object.fromEntries(HEADER.map((h, k) => [h, r[k]]));
      if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'].includes(f.severity)) fail(`report row ${i + 1} has an unknown severity: ${f.severity}`);
      return f;
    });
}

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) fail('the report ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
