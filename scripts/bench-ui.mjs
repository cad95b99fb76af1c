// `npm run bench:ui`: how the Records grid scrolls through a million records. Prints figures,
// asserts nothing (the machine is shared; compare runs, not thresholds).
//
//   node scripts/bench-ui.mjs [--archive .bench/archive-1m] [--cache-dir .bench/cache-1m] [--headed]
//
// Starts `alog serve` on the archive (its index cache reused, a scratch user-data folder), opens
// the Records view in Debian's Chromium through Playwright and measures, in the page:
// - the time until rows show after each far move (a scrollTop jump to row 500,000 and to the end,
//   Ctrl+End / Ctrl+Home from a focused cell, PageDown bursts, fast wheel flings, a dragged thumb);
// - how long rows stay blank (in view, but their block not loaded yet): the longest stretch;
// - the latency of every block request (`queryRecords` over HTTP, body read);
// - long tasks (PerformanceObserver 'longtask', > 50 ms) and frame times (requestAnimationFrame).
// The archive and its cache come from `npm run bench:query -- --sizes 1m` (or `alog gen` and one
// `alog query --cache-dir`): this script only reads them.
/* global window, document, requestAnimationFrame -- page-side functions run in Chromium */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const archive = path.resolve(root, arg('archive', '.bench/archive-1m'));
const cacheDir = path.resolve(root, arg('cache-dir', '.bench/cache-1m'));
const headed = process.argv.includes('--headed');
const ROW_HEIGHT = 30; // grid-setup.ts rowHeight

if (!existsSync(archive)) {
  process.stderr.write(`no archive at ${archive}: make it with \`npm run bench:query -- --sizes 1m\` (or pass --archive)\n`);
  process.exit(2);
}
if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
  process.stderr.write('the app is not built: run `npm run build` first\n');
  process.exit(2);
}

const userData = mkdtempSync(path.join(os.tmpdir(), 'alog-bench-ui-'));

function serve() {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'alog.cjs'), 'serve', archive, '--port', '0', '--cache-dir', cacheDir, '--user-data', userData], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`alog serve printed no ready line in 60 s: ${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ready: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`alog serve exited with ${code}: ${stderr}`));
    });
  });
}

// Runs in the page before the app: long tasks, block request latencies, and a per-frame sampler
// of frame times and blank rows that the scenarios start and stop.
function instrument() {
  const bench = { longtasks: [], fetches: [], frames: [], blankSpans: [], sampling: false };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longtasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const fetch0 = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const started = performance.now();
    const response = await fetch0(input, init);
    if (url.includes('/api/queryRecords')) {
      void response
        .clone()
        .text()
        .then(() => bench.fetches.push({ start: started, ms: performance.now() - started }));
    }
    return response;
  };
  /** Rows inside the grid's viewport whose data has not arrived. */
  bench.blankRows = () => {
    const viewport = document.querySelector('.records-grid .ag-grid-viewport');
    if (!viewport) return 0;
    const box = viewport.getBoundingClientRect();
    let blank = 0;
    for (const row of viewport.querySelectorAll('.ag-row')) {
      const r = row.getBoundingClientRect();
      if (r.bottom <= box.top || r.top >= box.bottom) continue;
      const id = row.querySelector('.ag-cell[col-id="activation_id"]');
      if (!id || id.textContent.trim() === '') blank++;
    }
    return blank;
  };
  bench.start = () => {
    bench.frames = [];
    bench.blankSpans = [];
    bench.longtasksFrom = performance.now();
    bench.sampling = true;
    let last = performance.now();
    let blankSince = null;
    const tick = (now) => {
      bench.frames.push(now - last);
      last = now;
      const blank = bench.blankRows() > 0;
      if (blank && blankSince === null) blankSince = now;
      if (!blank && blankSince !== null) {
        bench.blankSpans.push(now - blankSince);
        blankSince = null;
      }
      if (bench.sampling) requestAnimationFrame(tick);
      else if (blankSince !== null) bench.blankSpans.push(now - blankSince);
    };
    requestAnimationFrame(tick);
  };
  bench.stop = () => {
    bench.sampling = false;
    return new Promise((resolve) =>
      requestAnimationFrame(() =>
        requestAnimationFrame(() =>
          resolve({
            frames: bench.frames,
            blankSpans: bench.blankSpans,
            longtasks: bench.longtasks.filter((t) => t.start >= bench.longtasksFrom).map((t) => t.ms),
          }),
        ),
      ),
    );
  };
  /** Milliseconds until row `index` is in the DOM with its data (null after `timeout`). */
  bench.untilRow = (index, timeout = 30_000) =>
    new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        const cell = document.querySelector(`.records-grid .ag-row[row-index="${index}"] .ag-cell[col-id="activation_id"]`);
        if (cell && cell.textContent.trim() !== '' && bench.blankRows() === 0) return resolve(performance.now() - started);
        if (performance.now() - started > timeout) return resolve(null);
        requestAnimationFrame(check);
      };
      check();
    });
  /** Milliseconds until no row in view is blank. */
  bench.untilFilled = (timeout = 30_000) =>
    new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        if (bench.blankRows() === 0 && document.querySelector('.records-grid .ag-row')) return resolve(performance.now() - started);
        if (performance.now() - started > timeout) return resolve(null);
        requestAnimationFrame(check);
      };
      check();
    });
}

const fmt = (n, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

const results = [];

/**
 * The page's main-thread tasks from a Chrome trace: wall time, and CPU time (the trace's thread
 * duration), which the load of a shared machine does not inflate.
 */
function mainThreadTasks(trace) {
  const runTasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'RunTask');
  const count = new Map();
  for (const e of runTasks) count.set(`${e.pid}:${e.tid}`, (count.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const mains = trace.traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const main = mains.sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0))[0];
  // Tasks nest (a nested run loop runs tasks inside a task): only the outermost count.
  const outermost = [];
  for (const e of runTasks.filter((t) => `${t.pid}:${t.tid}` === main).sort((a, b) => a.ts - b.ts)) {
    const last = outermost.at(-1);
    if (!last || e.ts >= last.ts + last.dur) outermost.push(e);
  }
  return outermost.map((e) => ({ wall: e.dur / 1000, cpu: (e.tdur ?? e.dur) / 1000 }));
}

async function scenario(browser, page, name, action, untilRow) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.evaluate(() => window.__bench.start());
  const fetchesBefore = await page.evaluate(() => window.__bench.fetches.length);
  const t0 = Date.now();
  await action();
  const actionMs = Date.now() - t0;
  const settle = await page.evaluate((row) => (row === undefined ? window.__bench.untilFilled() : window.__bench.untilRow(row)), untilRow);
  const wall = Date.now() - t0;
  // A short tail, so frames and late requests after the rows show are counted too.
  await page.waitForTimeout(300);
  const m = await page.evaluate(() => window.__bench.stop());
  const tasks = mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()));
  const fetches = await page.evaluate((from) => window.__bench.fetches.slice(from).map((f) => f.ms), fetchesBefore);
  const r = {
    name,
    actionMs,
    settleMs: settle,
    wallMs: wall,
    requests: fetches.length,
    requestP50: percentile(fetches, 50),
    requestMax: Math.max(0, ...fetches),
    longTasks: m.longtasks.length,
    longestTask: Math.max(0, ...m.longtasks),
    longTasksCpu: tasks.filter((t) => t.cpu > 50).length,
    longestTaskCpu: Math.max(0, ...tasks.map((t) => t.cpu)),
    mainThreadCpu: tasks.reduce((sum, t) => sum + t.cpu, 0),
    frames: m.frames.length,
    frameP95: percentile(m.frames, 95),
    frameMax: Math.max(0, ...m.frames),
    longestBlank: Math.max(0, ...m.blankSpans),
  };
  results.push(r);
  console.log(
    `${name.padEnd(42)} ${fmt(r.actionMs).padStart(5)} ms, rows shown ${fmt(r.settleMs).padStart(4)} ms after | ` +
      `${String(r.requests).padStart(3)} blocks, p50 ${fmt(r.requestP50).padStart(3)} max ${fmt(r.requestMax).padStart(3)} ms | ` +
      `main thread ${fmt(r.mainThreadCpu).padStart(5)} ms CPU, tasks > 50 ms: ${String(r.longTasks).padStart(3)} wall / ${String(r.longTasksCpu).padStart(3)} CPU, longest ${fmt(r.longestTask).padStart(3)} / ${fmt(r.longestTaskCpu).padStart(3)} ms | ` +
      `frames p95 ${fmt(r.frameP95).padStart(3)} max ${fmt(r.frameMax).padStart(3)} ms | blank up to ${fmt(r.longestBlank).padStart(3)} ms`,
  );
  return r;
}

const { child, url } = await serve();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: !headed,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(instrument);
  const opened = Date.now();
  await page.goto(url);
  await page.getByRole('tab', { name: 'Records', exact: true }).click();
  const count = page.locator('.records-count[role="status"]');
  await count.filter({ hasText: /matching record/ }).waitFor({ timeout: 600_000 });
  const total = Number((await count.innerText()).replace(/[^\d]/g, ''));
  await page.evaluate(() => window.__bench.untilFilled());
  console.log(`archive ${path.relative(root, archive)}: ${total.toLocaleString('en-US')} records; Records view filled ${Date.now() - opened} ms after load (index reopened from ${path.relative(root, cacheDir)})`);
  const viewport = page.locator('.records-grid .ag-grid-viewport');
  const visibleRows = Math.floor((await viewport.evaluate((v) => v.clientHeight)) / ROW_HEIGHT);
  console.log(`viewport ${visibleRows} rows high; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`);

  const jump = (row) => viewport.evaluate((v, top) => (v.scrollTop = top), row * ROW_HEIGHT);
  await scenario(browser, page, 'scrollTop jump to row 500,000', () => jump(500_000), 500_000);
  await scenario(browser, page, 'scrollTop jump to the end', () => jump(total), total - 1);
  await scenario(browser, page, 'scrollTop jump back to row 0', () => jump(0), 0);

  // Focus a cell (the click opens the record; Escape closes it and leaves the focus there).
  await page.locator('.records-grid .ag-row[row-index="0"] .ag-cell[col-id="timestamp"]').click();
  await page.keyboard.press('Escape');
  await scenario(browser, page, 'Ctrl+End from row 0 (keyboard)', () => page.keyboard.press('Control+End'), total - 1);
  await scenario(browser, page, 'Ctrl+Home (keyboard)', () => page.keyboard.press('Control+Home'), 0);
  await scenario(browser, page, 'PageDown x 30, 50 ms apart', async () => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('PageDown');
      await page.waitForTimeout(50);
    }
  });
  await jump(250_000);
  await page.evaluate(() => window.__bench.untilFilled());
  await scenario(browser, page, 'wheel fling: 120 x 1,500 px, 16 ms apart', async () => {
    await viewport.hover();
    for (let i = 0; i < 120; i++) {
      await page.mouse.wheel(0, 1500);
      await page.waitForTimeout(16);
    }
  });
  await scenario(browser, page, 'wheel read: 200 x 120 px, 16 ms apart', async () => {
    for (let i = 0; i < 200; i++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(16);
    }
  });
  await scenario(browser, page, 'thumb drag: 60 scrollTop steps to the end', async () => {
    const from = await viewport.evaluate((v) => v.scrollTop);
    const to = total * ROW_HEIGHT;
    for (let i = 1; i <= 60; i++) {
      await viewport.evaluate((v, top) => (v.scrollTop = top), from + ((to - from) * i) / 60);
      await page.waitForTimeout(16);
    }
  });

  const all = await page.evaluate(() => window.__bench.fetches.map((f) => f.ms));
  console.log(
    `\nall block requests: ${all.length}, p50 ${fmt(percentile(all, 50))} ms, p95 ${fmt(percentile(all, 95))} ms, max ${fmt(Math.max(...all))} ms`,
  );
  const worst = (key) => Math.max(...results.map((r) => r[key]));
  console.log(
    `worst long task ${fmt(worst('longestTask'))} ms wall, ${fmt(worst('longestTaskCpu'))} ms CPU (goal <= 50); worst blank stretch ${fmt(worst('longestBlank'))} ms (goal <= 300)`,
  );
  console.log(`load average now ${os.loadavg()[0].toFixed(1)}: wall times on a busy machine run long; the CPU figures do not.`);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ total, results }, null, 2));
} finally {
  await browser.close();
  child.kill('SIGINT');
  rmSync(userData, { recursive: true, force: true });
}
