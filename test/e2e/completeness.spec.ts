import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, NEWEST_DAY, SAMPLE, screenshotThemes, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { IntegrityPage } from './pages/integrity-page';
import { OpenArchivePanel } from './pages/open-archive';
import { OverviewPage } from './pages/overview-page';
import { RecordPanel } from './pages/record-panel';

// Completeness and consistency in the app (completeness-erasure.md, sections 1-2): the expected
// period, remembered per archive; the history recorded by a verification, checked on the next open
// of the same archive; the consistency warnings, apart from the findings. The sample archive runs
// from 2026-11-14 to 2026-11-20.

const NEWEST_DIGEST = path.join('digests', NEWEST_DAY.replace('.jsonl', '.digest.json'));

const shots = screenshotThemes;

async function openVerified(page: Page, frame: AppFrame): Promise<void> {
  await expect(frame.verdict).not.toHaveText(/Verifying|Not verified yet/, { timeout: 30_000 });
}

/** Opens another archive, then this one again: a new open of the same folder. */
async function reopen(page: Page, archive: string, other: string): Promise<void> {
  const panel = new OpenArchivePanel(page);
  await panel.openPath(other);
  await expect(panel.archiveName).toHaveText(path.basename(other));
  await panel.openPath(archive);
  await expect(panel.archiveName).toHaveText(path.basename(archive));
}

test('the expected period: days it covers that the archive lacks are missing_day findings; remembered for the archive', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await inspector.open(page, { trustSampleKey: true });
  const frame = new AppFrame(page);
  await openVerified(page, frame);
  await frame.openTab('Integrity');
  const integrity = new IntegrityPage(page);
  await integrity.settled();
  await expect(integrity.calendar).toContainText('2026-11-14 – 2026-11-20: every day has its day file and digest');
  await expect(frame.verdict).toHaveText('Verified');

  // A bad day is refused before it is sent.
  await integrity.periodFrom.fill('2026-11-31');
  await expect(integrity.savePeriod).toBeDisabled();
  await expect(integrity.periodFrom).toHaveAttribute('aria-invalid', 'true');

  await integrity.setPeriod('2026-11-12', '2026-11-20');
  await expect(integrity.calendar).toContainText('2 days missing');
  await expect(integrity.calendar).toContainText('2026-11-12, 2026-11-13');
  await expect(frame.verdict).toHaveText('Invalid · 2 findings');
  for (const day of ['2026-11-12', '2026-11-13']) {
    const group = integrity.findings.locator('.finding-group').filter({ has: page.locator('.group-title', { hasText: `activations-${day}.jsonl` }) });
    await expect(group).toContainText('not in the archive');
    await expect(group).toContainText('missing_day');
  }
  await shots(page, 'completeness-expected-period');

  // The Overview shows the hole where it is.
  await frame.openTab('Overview');
  const overview = new OverviewPage(page);
  await expect(overview.row('2026-11-12')).toContainText('missing day');
  await expect(overview.callout).toContainText('2 days have neither a day file nor a digest');
  await shots(page, 'completeness-overview-missing');

  // Remembered for this archive: a reload shows it again, and the report still checks it.
  await page.reload();
  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.periodFrom).toHaveValue('2026-11-12');
  await expect(integrity.periodThrough).toHaveValue('2026-11-20');
  await expect(integrity.calendar).toContainText('2 days missing');

  await integrity.clearPeriod.click();
  await integrity.settled();
  await expect(integrity.periodFrom).toHaveValue('');
  await expect(frame.verdict).toHaveText('Verified');
});

test('the history: the next open says "same history, extended by N days"; a truncated archive shows the mismatch everywhere', async ({ page, inspector }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const aside = testInfo.outputPath('newest-day');
  const other = testInfo.outputPath('other-archive');
  cpSync(SAMPLE, other, { recursive: true });
  // The first open sees the archive without its newest day.
  await inspector.open(page, {
    trustSampleKey: true,
    prepare: (archive) => {
      mkdirSync(path.join(aside, 'digests'), { recursive: true });
      renameSync(path.join(archive, NEWEST_DAY), path.join(aside, NEWEST_DAY));
      renameSync(path.join(archive, NEWEST_DIGEST), path.join(aside, NEWEST_DIGEST));
    },
  });
  const frame = new AppFrame(page);
  await openVerified(page, frame);
  await frame.openTab('Integrity');
  const integrity = new IntegrityPage(page);
  await integrity.settled();
  await expect(integrity.history).toContainText('History recorded for the next open: through 2026-11-19');

  // The producer writes the next day; the archive is opened again.
  renameSync(path.join(aside, NEWEST_DAY), path.join(inspector.archive, NEWEST_DAY));
  renameSync(path.join(aside, NEWEST_DIGEST), path.join(inspector.archive, NEWEST_DIGEST));
  await reopen(page, inspector.archive, other);
  await openVerified(page, frame);
  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.history).toContainText(/Same history as on .+, extended by 1 day \(2026-11-19 → 2026-11-20\)/);
  await expect(frame.verdict).toHaveText('Verified');
  await frame.openTab('Overview');
  await expect(page.getByTestId('overview-history')).toContainText('extended by 1 day');
  await frame.openTab('Integrity');
  await shots(page, 'completeness-history-extended');

  // Opened again unchanged: the same history, nothing added.
  await reopen(page, inspector.archive, other);
  await openVerified(page, frame);
  await frame.openTab('Integrity');
  await expect(integrity.history).toContainText('no day added since (through 2026-11-20)');

  // The newest day and its digest removed: nothing in the archive shows it, the recorded history does.
  renameSync(path.join(inspector.archive, NEWEST_DAY), path.join(aside, NEWEST_DAY));
  renameSync(path.join(inspector.archive, NEWEST_DIGEST), path.join(aside, NEWEST_DIGEST));
  await reopen(page, inspector.archive, other);
  await openVerified(page, frame);
  await expect(frame.header).toContainText('History changed');
  await expect(frame.verdict).toContainText('Invalid · 1 finding');
  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.history).toContainText('History changed since');
  await expect(integrity.history).toContainText('the archive ends on 2026-11-19, before the checkpoint\'s day 2026-11-20');
  const group = integrity.findings.locator('.finding-group').filter({ has: page.locator('.group-title', { hasText: 'digests/activations-2026-11-20.digest.json' }) });
  await expect(group).toContainText('checkpoint_mismatch');
  await shots(page, 'completeness-history-changed');
  await frame.openTab('Overview');
  await expect(page.getByTestId('overview-history')).toContainText('History changed');
  await expect(new OverviewPage(page).callout).toContainText('not the history verified here before');
  await shots(page, 'completeness-overview-history-changed');

  // A mismatch is never recorded over: after a reload it still shows. The user may forget it.
  await page.reload();
  await expect(frame.header).toContainText('History changed');
  await frame.openTab('Integrity');
  await integrity.history.getByRole('button', { name: 'Forget the recorded history…' }).click();
  await integrity.history.getByRole('button', { name: 'Forget the recorded history', exact: true }).click();
  await integrity.settled();
  await expect(frame.header).not.toContainText('History changed');
  await expect(frame.verdict).toHaveText('Verified');
  await expect(integrity.history).toContainText('History recorded for the next open: through 2026-11-19');
});

test('consistency warnings: listed apart from the findings, quieter, each opening its record; the verdict stays verified', async ({ page, inspector }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const keyDir = testInfo.outputPath('key');
  let key = '';
  await inspector.open(page, {
    prepare: (archive) => {
      const gen = spawnSync(
        process.execPath,
        ['bin/alog.cjs', 'gen', archive, '--overwrite', '--days', '3', '--per-day', '40', '--body-kb', '1', '--seed', '9', '--key', keyDir, '--plant-warnings', 'all'],
        { encoding: 'utf8' },
      );
      expect(gen.status, gen.stderr).toBe(0);
      key = path.join(archive, 'keys', readdirSync(path.join(archive, 'keys'))[0]!);
    },
    get trustKey() {
      return key;
    },
  });
  const frame = new AppFrame(page);
  await openVerified(page, frame);
  await expect(frame.verdict).toHaveText('Verified');
  await frame.openTab('Integrity');
  const integrity = new IntegrityPage(page);
  await integrity.settled();
  await expect(integrity.findings).toContainText('No findings');
  await expect(integrity.warnings).toContainText('8 warnings');
  const group = integrity.warningGroup('activations-2026-11-20.jsonl');
  await expect(group).toContainText('mock_cost ×1');
  await group.getByRole('button', { name: /activations-2026-11-20\.jsonl/ }).click();
  for (const rule of ['published_gate_blocked', 'success_with_failed_status', 'total_below_stages', 'mock_cost', 'attempts_not_sequential', 'published_without_attempt']) {
    await expect(group.getByRole('button', { name: new RegExp(`^inconsistent_record \\(${rule}\\) at line`) })).toHaveCount(1);
  }
  await expect(group.getByRole('button', { name: /^wrong_day_file at line 40/ })).toHaveCount(1);
  await expect(group.getByRole('button', { name: /^timestamp_out_of_order at line/ })).toHaveCount(1);
  await shots(page, 'completeness-warnings');

  await group.getByRole('button', { name: /^inconsistent_record \(mock_cost\) at line/ }).click();
  const record = new RecordPanel(page);
  await expect(record.root).toBeVisible();
  await expect(record.root).toContainText('Consistency warning');
  await expect(record.root).toContainText('from the mock provider, which costs nothing');
  await shots(page, 'completeness-warning-record');
});
