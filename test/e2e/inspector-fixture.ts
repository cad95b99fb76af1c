import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

// Each test gets its own copy of the bundled sample archive (7 sealed days x 200 records, the
// newest plain) served by `alog serve` on a free port, and a fresh user-data folder.

export const SAMPLE = path.resolve('resources/sample-archive');
export const SAMPLE_KEY = path.join(SAMPLE, 'keys', readdirSync(path.join(SAMPLE, 'keys')).find((n) => n.endsWith('.pem'))!);
export const SAMPLE_KEY_ID = path.basename(SAMPLE_KEY, '.pem');
export const NEWEST_DAY = readdirSync(SAMPLE)
  .filter((n) => /^activations-\d{4}-\d{2}-\d{2}\.jsonl$/.test(n))
  .sort()
  .at(-1)!;

export interface ServeOptions {
  /** Changes the copy before the server starts. */
  prepare?: (archive: string) => void;
  trustSampleKey?: boolean;
  /** Trust this key file instead (an archive `prepare` generated has a key of its own). */
  trustKey?: string;
}

export interface Inspector {
  archive: string;
  userData: string;
  url: string;
  /** Starts the server (once per test) and opens the page. */
  open(page: Page, opts?: ServeOptions): Promise<void>;
}

async function serve(archive: string, userData: string, trustKey: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const args = ['bin/alog.cjs', 'serve', archive, '--port', '0', '--user-data', userData];
  if (trustKey) args.push('--trust-key', trustKey);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`alog serve printed no ready line in 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`alog serve exited with ${code}: ${stderr}`));
    });
  });
  return { child, url };
}

export const test = base.extend<{ inspector: Inspector }>({
  // Playwright reads a fixture's dependencies from its first parameter, so it must be a pattern.
  // eslint-disable-next-line no-empty-pattern
  inspector: async ({}, use, testInfo) => {
    const archive = testInfo.outputPath('archive');
    const userData = testInfo.outputPath('user-data');
    mkdirSync(userData, { recursive: true });
    cpSync(SAMPLE, archive, { recursive: true });
    let child: ChildProcess | undefined;
    const inspector: Inspector = {
      archive,
      userData,
      url: '',
      async open(page, opts = {}) {
        opts.prepare?.(archive);
        const started = await serve(archive, userData, opts.trustKey ?? (opts.trustSampleKey ? SAMPLE_KEY : undefined));
        child = started.child;
        inspector.url = started.url;
        await page.goto(started.url);
      },
    };
    await use(inspector);
    child?.kill('SIGINT');
  },
});

/** Saves a screenshot as a test artifact under test-results/screens/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('test-results', 'screens', `${name}.png`) });
}

/** Saves the page in the light and the dark theme (`name-light.png`, `name-dark.png`), then back to light. */
export async function screenshotThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export { expect };
