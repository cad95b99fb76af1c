import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// The Electron runtime is downloaded on first use, which cannot work on the build machine; the
// Electron tests then skip. The list reporter does not print skip reasons, so the runner says it
// once here (on stderr, so machine-readable reporters on stdout stay clean). Checked the way the
// `electron` package does it, without loading that package (loading it starts the download).
function electronRuntimeInstalled(): boolean {
  const pathFile = path.resolve('node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return false;
  return fs.existsSync(path.resolve('node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim()));
}
if (process.env.TEST_WORKER_INDEX === undefined && !electronRuntimeInstalled()) {
  process.stderr.write(
    'note: the Electron runtime is not installed (it cannot be downloaded on this machine): the Electron tests in test/e2e will be skipped.\n',
  );
}

// Browser tests use Debian's Chromium (`apt-get install chromium`): `npx playwright install`
// downloads a browser, which cannot work here either.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  reporter: 'list',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  use: {
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
});
