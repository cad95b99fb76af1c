import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { changeOneBodyByte } from './archive-edits';
import { expect, NEWEST_DAY, screenshot, test, type Inspector } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { ExportWizardPage } from './pages/export-wizard';
import { RecordsPage } from './pages/records-page';

// The export wizard and the reports state the archive's real integrity: on a tampered archive
// (one byte of one record changed) and with the publisher's key not trusted, the Scope and Review
// steps, the outcome and the PDF cover say what the verification report says, never green; the
// Integrity view's "Save integrity report…" writes the PDF an auditor reads without the tool.

async function openRecords(page: Page, inspector: Inspector, opts: { trustSampleKey: boolean; tamper?: boolean }): Promise<RecordsPage> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await inspector.open(page, {
    trustSampleKey: opts.trustSampleKey,
    prepare: opts.tamper ? (archive) => void changeOneBodyByte(archive, NEWEST_DAY, 5) : undefined,
  });
  await new AppFrame(page).openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  return records;
}

function pdftotext(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
}

for (const scheme of ['light', 'dark'] as const) {
  test(`tampered archive (${scheme}): scope, review, outcome and PDF cover state the finding, never green`, async ({ page, inspector }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const outDir = testInfo.outputPath('exports');
    mkdirSync(outDir, { recursive: true });
    await openRecords(page, inspector, { trustSampleKey: true, tamper: true });
    await page.getByRole('button', { name: 'Export…' }).click();
    const wizard = new ExportWizardPage(page);
    await wizard.expectStep('What to export');
    const all = wizard.dialog.locator('.export-choice').filter({ hasText: 'All records' });
    await expect(all).toContainText('1 record altered: the content no longer hashes to its record_hash', { timeout: 30_000 });
    await expect(all).toContainText('199 records in day files with findings (record_hash_mismatch');
    await expect(all).not.toContainText('verified:');
    await expect(all.locator('.export-integrity-line')).toHaveAttribute('data-tone', 'bad');
    await wizard.radio(/^All records/).check();
    await screenshot(page, `export-tampered-scope-${scheme}`);

    await wizard.next.click();
    await wizard.expectStep('Which columns');
    await wizard.next.click();
    await wizard.expectStep('How personal data is redacted');
    await wizard.next.click();
    await wizard.expectStep('Format and destination');
    await wizard.radio(/^PDF report/).check();
    const file = path.join(outDir, `tampered-${scheme}.pdf`);
    await wizard.destination.fill(file);
    await wizard.next.click();
    await wizard.expectStep('Review before exporting');
    const statement = wizard.dialog.getByLabel('Integrity of the selection');
    await expect(statement).toHaveAttribute('data-tone', 'bad');
    await expect(statement).toContainText('Not verified: findings');
    await expect(statement).toContainText('200 records of 1,400 not verified (200 invalid); 1,200 records verified');
    await expect(statement).toContainText(`${NEWEST_DAY.slice(12, 22)} invalid`);
    await expect(statement).toContainText('3 findings in the exported days');
    await expect(statement).toContainText('record_hash_mismatch');
    await expect(statement).toContainText('The record was changed after it was sealed');
    await expect(wizard.dialog.getByLabel('Signed by')).not.toHaveValue('');
    await expect(wizard.dialog.locator('.export-signer')).toContainText(/with your exporter key [0-9a-f]{16}/);
    await screenshot(page, `export-tampered-review-${scheme}`);

    await wizard.next.click();
    await expect(wizard.stepTitle).toHaveText('Export complete', { timeout: 60_000 });
    await expect(wizard.dialog.locator('.export-outcome')).toContainText('1 altered');
    await expect(wizard.dialog.getByLabel('Integrity of the selection')).toHaveAttribute('data-tone', 'bad');
    await expect(wizard.verdict).toContainText('Manifest does not verify', { timeout: 60_000 });
    await screenshot(page, `export-tampered-done-${scheme}`);

    expect(existsSync(file)).toBe(true);
    const text = pdftotext(file);
    expect(text).toContain('NOT FULLY VERIFIED');
    expect(text).toMatch(/Verification findings in the exported days \(3\)/);
    expect(text).not.toMatch(/matches/i);
    expect(text).toMatch(/ALTERED\s+1204/);
  });
}

test('publisher key not trusted: amber "key not trusted", not tampering, in scope and review', async ({ page, inspector }) => {
  await openRecords(page, inspector, { trustSampleKey: false });
  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  const all = wizard.dialog.locator('.export-choice').filter({ hasText: 'All records' });
  await expect(all).toContainText('1,400 records signed by key', { timeout: 30_000 });
  await expect(all).toContainText("which you have not trusted: authentic only if that is the publisher's key");
  await expect(all.locator('.export-integrity-line')).toHaveAttribute('data-tone', 'warn');
  await expect(all).not.toContainText('altered');
  await wizard.radio(/^All records/).check();
  await screenshot(page, 'export-untrusted-scope-light');
  for (let i = 0; i < 4; i++) await wizard.next.click();
  await wizard.expectStep('Review before exporting');
  const statement = wizard.dialog.getByLabel('Integrity of the selection');
  await expect(statement).toHaveAttribute('data-tone', 'warn');
  await expect(statement).toContainText('key not trusted');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'export-untrusted-review-dark');
});

test('Save integrity report… writes the PDF of the verification', async ({ page, inspector }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await inspector.open(page, { trustSampleKey: true, prepare: (archive) => void changeOneBodyByte(archive, NEWEST_DAY, 5) });
  await new AppFrame(page).openTab('Integrity');
  const panel = page.getByRole('tabpanel', { name: 'Integrity' });
  const card = panel.getByRole('region', { name: 'Integrity report' });
  await card.getByRole('button', { name: 'Save integrity report…' }).click();
  const out = testInfo.outputPath('integrity-report.pdf');
  await card.getByLabel('Save the report to').fill(out);
  await screenshot(page, 'integrity-report-form');
  await card.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(card.getByRole('status')).toContainText(/Saved .*integrity-report\.pdf \(\d+ pages?, /, { timeout: 60_000 });
  await screenshot(page, 'integrity-report-saved');
  const text = pdftotext(out);
  expect(text).toContain('NOT VERIFIED: the archive has findings');
  expect(text).toContain('record_hash_mismatch');
  expect(text).toMatch(/page 1 of \d+/);
  // Saving again over it needs "Replace an existing file".
  await card.getByRole('button', { name: 'Save integrity report…' }).click();
  await card.getByLabel('Save the report to').fill(out);
  await card.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(card.getByRole('alert')).toContainText('Replace an existing file');
});
