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

test('the menu has Open Recent and Help > Documentation; the page gets one helper for dropped folders', async () => {
  const executablePath = electronBinary();
  if (executablePath === undefined) return test.skip(true, SKIP_REASON);

  const app = await launch(executablePath);
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('banner')).toContainText('sample-archive');
    // The menu is built once the recent list is read.
    await expect
      .poll(() =>
        app.evaluate(({ Menu }) => {
          const labels = (items: Electron.MenuItem[]): string[] => items.flatMap((i) => [i.label, ...(i.submenu ? labels(i.submenu.items) : [])]);
          return labels(Menu.getApplicationMenu()?.items ?? []);
        }),
      )
      .toEqual(expect.arrayContaining(['Open Archive…', 'Open Recent', 'Clear Recently Opened', 'Open Sample Archive', 'Documentation']));
    // Only the typed function, never webUtils or ipcRenderer themselves.
    expect(await window.evaluate('Object.keys(window.files)')).toEqual(['pathForFile']);
    expect(await window.evaluate('typeof window.api.openArchive')).toBe('function');
    expect(await window.evaluate('typeof window.ipcRenderer')).toBe('undefined');
  } finally {
    await app.close();
  }
});
