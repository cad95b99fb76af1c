import { appendLine, changeOneBodyByte } from './archive-edits';
import { expect, NEWEST_DAY, screenshot, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { IntegrityPage } from './pages/integrity-page';
import { OverviewPage } from './pages/overview-page';
import { RecordPanel } from './pages/record-panel';

test('an untouched copy with its key trusted verifies: every file valid', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await inspector.open(page, { trustSampleKey: true });
  const frame = new AppFrame(page);
  await frame.openTab('Integrity');
  const integrity = new IntegrityPage(page);
  // Opening the archive verified it.
  await integrity.settled();
  await expect(integrity.verdict).toContainText('Verified');
  await expect(integrity.verdict).toContainText('7 of 7 day files valid');
  await expect(integrity.verdict).toContainText('7 of 7 digests valid');
  await expect(integrity.verdict).toContainText('1,400 records');
  await expect(integrity.findings).toContainText('No findings');
  await expect(frame.verdict).toHaveText('Verified');

  await frame.openTab('Overview');
  const overview = new OverviewPage(page);
  await expect.poll(() => overview.integrityBadges()).toEqual(Array(7).fill('valid'));
  await expect(overview.rows.locator('td:nth-child(5)')).toHaveText(Array(7).fill('200'));
});

test('a changed byte in the newest day shows record_hash_mismatch, which leads to the record', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  let tampered = '';
  await inspector.open(page, {
    trustSampleKey: true,
    prepare: (archive) => {
      tampered = changeOneBodyByte(archive, NEWEST_DAY, 57).after;
    },
  });
  const frame = new AppFrame(page);
  await frame.openTab('Integrity');
  const integrity = new IntegrityPage(page);
  await integrity.settled();
  await expect(integrity.verdict).toContainText('Not verified');
  await expect(integrity.verdict).toContainText('6 of 7 day files valid');

  const section = integrity.kindSection('record_hash_mismatch');
  await expect(section).toContainText('The record was changed after it was sealed');
  const finding = integrity.findingsOfKind('record_hash_mismatch');
  await expect(finding).toHaveCount(1);
  await expect(finding).toContainText('line 57');
  await expect(finding).toContainText('seq');
  await screenshot(page, `integrity-tampered-${test.info().project.name || 'chromium'}`);

  await finding.click();
  const record = new RecordPanel(page);
  await expect(record.root).toBeVisible();
  await expect(record.title).toHaveText('Record at line 57');
  await expect(record.rawLine).toHaveText(tampered);
  await expect(record.tree).toContainText('activation_id');
  await record.expand('content_input');
  await expect(record.tree).toContainText('body');
  await screenshot(page, 'record-panel');

  // Escape closes the panel and gives focus back to the finding.
  await page.keyboard.press('Escape');
  await expect(record.root).toBeHidden();
  await expect(finding).toBeFocused();

  // The overview marks the file and links to its findings.
  await frame.openTab('Overview');
  const overview = new OverviewPage(page);
  await expect(overview.row(NEWEST_DAY).locator('td:nth-child(7)')).toHaveText('invalid');
  await overview.row(NEWEST_DAY).getByRole('button', { name: /finding/ }).click();
  await expect(frame.tab('Integrity')).toHaveAttribute('aria-selected', 'true');
});

test('verification can be cancelled, and the keyboard reaches everything', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await inspector.open(page, {
    trustSampleKey: true,
    // A bigger newest day makes the pass long enough to cancel. The pass starts when the host opens
    // the archive, before the page loads: 20,000 lines (3 s) were sometimes done before the click.
    prepare: (archive) => void appendLine(archive, NEWEST_DAY, Array(60_000).fill(`{"padding":"${'x'.repeat(4000)}"}`).join('\n')),
  });
  const frame = new AppFrame(page);
  await frame.tab('Overview').focus();
  await page.keyboard.press('ArrowRight');
  await expect(frame.tab('Integrity')).toBeFocused();
  await expect(frame.tab('Integrity')).toHaveAttribute('aria-selected', 'true');
  const integrity = new IntegrityPage(page);
  // Opening the archive started the verification: it shows its progress and can be cancelled.
  await expect(integrity.cancelButton).toBeVisible();
  await expect(integrity.panel.getByRole('progressbar')).toBeVisible();
  await expect(frame.verdict).toHaveText('Verifying…');
  await screenshot(page, 'integrity-running');
  await integrity.cancelButton.click();
  await expect(integrity.verdict).toContainText('cancelled');
  await expect(frame.verdict).toHaveText('Not verified (cancelled)');
  await expect(integrity.runButton).toHaveText('Run verification');
  // The keyboard starts it again (the index pass), and cancels it again.
  await integrity.runButton.focus();
  await page.keyboard.press('Enter');
  await expect(integrity.cancelButton).toBeVisible();
  await integrity.cancelButton.focus();
  await page.keyboard.press('Enter');
  await expect(integrity.verdict).toContainText('cancelled');
  await expect(integrity.runButton).toBeEnabled();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`integrity and record screenshots, ${scheme}`, async ({ page, inspector }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    await inspector.open(page, { trustSampleKey: true, prepare: (archive) => void changeOneBodyByte(archive, NEWEST_DAY, 57) });
    await new AppFrame(page).openTab('Integrity');
    const integrity = new IntegrityPage(page);
    await integrity.settled();
    await screenshot(page, `integrity-${scheme}`);
    await integrity.findingsOfKind('record_hash_mismatch').click();
    await expect(new RecordPanel(page).rawLine).toBeVisible();
    await screenshot(page, `finding-record-${scheme}`);
  });
}
