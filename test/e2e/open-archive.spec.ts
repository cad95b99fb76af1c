import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, screenshot, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { OpenArchivePanel } from './pages/open-archive';
import { OverviewPage } from './pages/overview-page';
import { RecordsPage } from './pages/records-page';

// Opening another archive in the browser host: by its path in the header's panel (the browser
// cannot learn a dropped folder's path), from the recent list, and the drop overlay.

/** A second, smaller archive: 2 sealed days x 30 records. */
function secondArchive(dir: string): string {
  execFileSync(process.execPath, ['bin/alog.cjs', 'gen', dir, '--days', '2', '--per-day', '30', '--seed', '11'], { stdio: 'ignore' });
  return dir;
}

test('a second archive opened by its path replaces the first everywhere, and both are in Recent', async ({ page, inspector }, testInfo) => {
  const second = secondArchive(testInfo.outputPath('second-archive'));
  await inspector.open(page);
  const frame = new AppFrame(page);
  const overview = new OverviewPage(page);
  const opener = new OpenArchivePanel(page);
  await expect(overview.rows).toHaveCount(7);
  await frame.openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  expect(await records.total()).toBe(1400);

  await opener.openPath(second);
  await expect(opener.archiveName).toHaveText('second-archive');
  await expect(frame.header.locator('.archive-path')).toHaveText(second);
  // Every view starts again on the new archive.
  await expect(frame.tab('Overview')).toHaveAttribute('aria-selected', 'true');
  await expect(overview.rows).toHaveCount(2);
  await expect(page).toHaveTitle(/^second-archive — /);
  await frame.openTab('Records');
  await records.ready();
  expect(await records.total()).toBe(60);

  await opener.button.click();
  await expect(opener.recent('second-archive')).toBeDisabled();
  await expect(opener.recent('second-archive')).toContainText('open');
  await expect(opener.recent('archive')).toBeEnabled();
  await opener.recent('archive').click();
  await expect(opener.archiveName).toHaveText('archive');
  await expect(overview.rows).toHaveCount(7);
  // The order is the order they were opened in, newest first.
  await opener.button.click();
  await expect(opener.recents.locator('.open-archive-recent-name')).toHaveText(['archive', 'second-archive']);
});

test('a file, a missing folder, a folder without day files and a relative path are refused, and the archive stays open', async ({ page, inspector }, testInfo) => {
  await inspector.open(page);
  const opener = new OpenArchivePanel(page);
  await expect(opener.archiveName).toHaveText('archive');
  const aFile = testInfo.outputPath('notes.txt');
  writeFileSync(aFile, 'not an archive');
  const cases: [string, RegExp][] = [
    [aFile, /is a file, not a folder/],
    [path.join(inspector.archive, 'no-such-folder'), /There is no folder at/],
    [inspector.userData, /holds no day files/],
    ['relative/archive', /give the full path of the folder/],
  ];
  await opener.button.click();
  for (const [target, message] of cases) {
    await opener.path.fill(target);
    await opener.openButton.click();
    await expect(opener.problem).toContainText(message);
    await expect(opener.path).toHaveAttribute('aria-invalid', 'true');
    await expect(opener.archiveName).toHaveText('archive');
  }
  await opener.path.fill('');
  await opener.openButton.click();
  await expect(opener.problem).toContainText('Type the full path');
  await page.keyboard.press('Escape');
  await expect(opener.panel).toBeHidden();
  await expect(opener.button).toBeFocused();
  await expect(new OverviewPage(page).rows).toHaveCount(7);
});

test('dragging files over the window shows the drop overlay; in a browser a drop points to the path field', async ({ page, inspector }) => {
  await inspector.open(page);
  const opener = new OpenArchivePanel(page);
  await expect(new OverviewPage(page).rows).toHaveCount(7);
  await opener.dragFileIn();
  await expect(opener.dropOverlay).toBeVisible();
  await expect(opener.dropOverlay).toContainText('Drop an archive folder to open it');
  await expect(opener.dropOverlay).toContainText('cannot see where a dropped folder is');
  await opener.dragLeave();
  await expect(opener.dropOverlay).toBeHidden();

  await opener.dragFileIn();
  await opener.drop();
  await expect(opener.dropOverlay).toBeHidden();
  await expect(opener.panel).toBeVisible();
  await expect(opener.hint).toContainText('Type its path here instead');
  await expect(opener.path).toBeFocused();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`open-archive panel and drop overlay screenshots, ${scheme}`, async ({ page, inspector }, testInfo) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    const second = secondArchive(testInfo.outputPath('q3-audit'));
    await inspector.open(page);
    const opener = new OpenArchivePanel(page);
    await opener.openPath(second);
    await expect(opener.archiveName).toHaveText('q3-audit');
    await expect(new OverviewPage(page).rows).toHaveCount(2);
    await opener.button.click();
    await expect(opener.recent('archive')).toBeVisible();
    await opener.path.fill(path.join(second, 'activations-2026-11-20.jsonl'));
    await opener.openButton.click();
    await expect(opener.problem).toBeVisible();
    await screenshot(page, `open-archive-${scheme}`);
    await page.keyboard.press('Escape');

    await opener.dragFileIn();
    await expect(opener.dropOverlay).toBeVisible();
    await screenshot(page, `drop-overlay-${scheme}`);
    await opener.dragLeave();
    expect(problems).toEqual([]);
  });
}
