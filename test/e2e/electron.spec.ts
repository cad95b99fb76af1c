import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// The Electron runtime is fetched from the internet on first use, which some machines cannot do.
// Look for it the way the `electron` package does, without loading that package.
function electronBinary(): string | undefined {
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : undefined;
}

const SKIP_REASON =
  'Electron runtime not installed on this machine (cannot be downloaded here); the same renderer is tested through the browser host';
const mainEntry = path.resolve('out/main/index.js');

async function launch(executablePath: string, archiveArgs: string[] = []) {
  // Chromium refuses its sandbox when run as root (CI containers).
  const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return electron.launch({ executablePath, args: [...sandboxArgs, mainEntry, ...archiveArgs] });
}

test('opens the bundled sample archive by default', async () => {
  const executablePath = electronBinary();
  if (executablePath === undefined) return test.skip(true, SKIP_REASON);

  const app = await launch(executablePath);
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('banner')).toContainText('ActivationLog Inspector');
    await expect(window.getByRole('banner')).toContainText('sample-archive');
    await expect(window).toHaveTitle(/sample-archive/);
  } finally {
    await app.close();
  }
});

test('opens the archive named on the command line', async () => {
  const executablePath = electronBinary();
  if (executablePath === undefined) return test.skip(true, SKIP_REASON);

  // An empty folder is a valid (empty, unsealed) archive.
  const archive = test.info().outputPath('cli-archive');
  fs.mkdirSync(archive, { recursive: true });
  const app = await launch(executablePath, [archive]);
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('banner')).toContainText('cli-archive');
    await expect(window.getByRole('banner')).toContainText(archive);
  } finally {
    await app.close();
  }
});
