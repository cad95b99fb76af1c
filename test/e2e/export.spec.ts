import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { parse as parseCsv } from 'csv-parse/sync';
import { expect, screenshot, test, type Inspector } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { ExportWizardPage } from './pages/export-wizard';
import { RecordsPage } from './pages/records-page';

// The export wizard in Chromium through the browser host, on a copy of the bundled sample archive
// (7 sealed days x 200 records): from the Records screen to the written file and its checked
// manifest, and the ways it says no.

interface SampleRecord {
  activation_id: string;
  content_input: { author: { name: string; email: string } };
  processing_metadata: { user_id: string; client_ip: string; session_id: string };
}

/** Every record of the archive copy, by activation_id. */
function sampleRecords(archive: string): Map<string, SampleRecord> {
  const out = new Map<string, SampleRecord>();
  for (const name of readdirSync(archive).filter((n) => n.startsWith('activations-'))) {
    const raw = readFileSync(path.join(archive, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const r = JSON.parse(line) as SampleRecord;
      out.set(r.activation_id, r);
    }
  }
  return out;
}

async function openRecords(page: Page, inspector: Inspector, trustSampleKey = true): Promise<RecordsPage> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await inspector.open(page, { trustSampleKey });
  await new AppFrame(page).openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  return records;
}

/** The activation_id column of an exported CSV, read with an RFC 4180 parser that shares no code with the writer. */
function csvIds(csv: string): string[] {
  const [header, ...rows] = parseCsv(csv, { relax_quotes: false }) as string[][];
  const col = header!.indexOf('activation_id');
  return rows.map((r) => r[col]!);
}

test('the wizard exports a query to CSV start to finish, and the manifest verifies', async ({ page, inspector }, testInfo) => {
  const outDir = testInfo.outputPath('exports');
  mkdirSync(outDir, { recursive: true });
  const records = await openRecords(page, inspector);
  await records.run('status:failed');
  await expect(records.count).not.toHaveText('1,400 matching records');
  const total = await records.total();
  expect(total).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  await expect(wizard.dialog).toBeVisible();
  await wizard.expectStep('What to export');
  await expect(wizard.stepTitle).toBeFocused();
  await expect(wizard.radio(/^Current query and time range/)).toBeChecked();
  await expect(wizard.dialog.locator('.export-choice.is-selected')).toContainText(`${total} records`);
  await expect(wizard.dialog.locator('.export-choice.is-selected')).toContainText(`All ${total.toLocaleString('en-US')} records verified`, { timeout: 30_000 });
  await screenshot(page, 'export-1-scope');

  await wizard.next.click();
  await wizard.expectStep('Which columns');
  await expect(wizard.radio(/^Compliance summary/)).toBeChecked();
  await wizard.radio(/^Full records/).check();
  await expect(wizard.dialog.getByRole('checkbox', { name: /^Author e-mail/ })).toBeChecked();
  await screenshot(page, 'export-2-columns');
  // Enter goes on from a choice, as from the Next button.
  await wizard.radio(/^Full records/).press('Enter');

  await wizard.expectStep('How personal data is redacted');
  await expect(wizard.radio(/^external-auditor/)).toBeChecked();
  await expect(wizard.dialog.locator('.export-profile-side')).toContainText('content_input.author.email');
  await screenshot(page, 'export-3-profile');
  await wizard.next.click();

  await wizard.expectStep('Format and destination');
  await expect(wizard.radio(/^CSV/)).toBeChecked();
  const suggested = await wizard.destination.inputValue();
  expect(suggested).toMatch(/\.csv$/);
  expect(path.relative(inspector.archive, suggested).startsWith('..')).toBe(true);
  const file = path.join(outDir, 'failed.csv');
  await wizard.destination.fill(file);
  await screenshot(page, 'export-4-format');
  await wizard.destination.press('Enter');

  await wizard.expectStep('Review before exporting');
  await expect(wizard.dialog.locator('.export-summary')).toContainText(file);
  const email = wizard.change('content_input.author.email').first();
  await expect(email.locator('.export-before')).toContainText('@');
  await expect(email.locator('.export-after')).toHaveText(/^EMAIL_\d+$/);
  const rules = wizard.preview.getByRole('table', { name: /^Values changed in the first/ });
  await expect(rules.getByRole('row', { name: /^content_input\.author\.email EMAIL_n/ })).toBeVisible();
  await screenshot(page, 'export-5-review');

  await wizard.next.click();
  await expect(wizard.verdict).toContainText('Manifest verified', { timeout: 60_000 });
  await wizard.expectStep('Export complete');
  await expect(wizard.checks.locator('li.is-ok')).toHaveCount(6);
  await expect(wizard.dialog.locator('.export-outcome')).toContainText(`${total} of ${total} records with an inclusion proof`);
  await expect(wizard.dialog.locator('.export-outcome')).toContainText(`All ${total} records verified`);
  await expect(wizard.dialog.getByRole('button', { name: 'Copy file path' })).toBeVisible();
  await screenshot(page, 'export-6-done');

  // What was written: the file and its manifest, without the personal data of the exported records.
  const manifestFile = `${file}.manifest.json`;
  expect(existsSync(manifestFile)).toBe(true);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { export: { records: number; file: string }; selection: { query: string } };
  expect(manifest.export).toMatchObject({ records: total, file: 'failed.csv' });
  expect(manifest.selection.query).toBe('status:failed');
  const csv = readFileSync(file, 'utf8');
  const byId = sampleRecords(inspector.archive);
  const ids = csvIds(csv);
  expect(ids).toHaveLength(total);
  for (const id of ids) {
    const r = byId.get(id)!;
    for (const planted of [r.content_input.author.email, r.content_input.author.name, r.processing_metadata.user_id, r.processing_metadata.session_id]) {
      expect(csv, `the CSV holds ${planted}`).not.toContain(planted);
    }
  }

  await page.keyboard.press('Escape');
  await expect(wizard.dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export…' })).toBeFocused();
});

test('the wizard exports the selected rows, in the dark theme too', async ({ page, inspector }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const outDir = testInfo.outputPath('exports');
  mkdirSync(outDir, { recursive: true });
  const records = await openRecords(page, inspector);
  await records.selectRow(1);
  await records.selectRow(3);
  const chosen = [await records.cell(1, 'activation_id').innerText(), await records.cell(3, 'activation_id').innerText()];

  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  await expect(wizard.radio('Selected rows (2)')).toBeChecked();
  await expect(wizard.dialog.locator('.export-choice.is-selected')).toContainText('2 records in 1 day');
  await screenshot(page, 'export-dark-scope');
  await wizard.next.click();
  await wizard.next.click();
  await wizard.radio(/^internal/).check();
  await screenshot(page, 'export-dark-profile');
  await wizard.next.click();
  await wizard.radio(/^JSONL/).check();
  await expect(wizard.destination).toHaveValue(/\.jsonl$/);
  const file = path.join(outDir, 'two.jsonl');
  await wizard.destination.fill(file);
  await wizard.next.click();
  await wizard.expectStep('Review before exporting');
  await expect(wizard.preview.locator('.export-sample')).toHaveCount(2);
  await screenshot(page, 'export-dark-review');
  await wizard.next.click();
  await expect(wizard.verdict).toContainText('Manifest verified', { timeout: 60_000 });
  await screenshot(page, 'export-dark-done');

  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { activation_id: string }).activation_id).sort()).toEqual([...chosen].sort());
  const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as { selection: { query: string } };
  expect(manifest.selection.query.split(' OR ').sort()).toEqual(chosen.map((id) => `id:"${id}"`).sort());
});

test('the wizard shows a custom profile\'s problems inline and refuses a destination inside the archive', async ({ page, inspector }) => {
  await openRecords(page, inspector, false);
  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  await expect(wizard.radio('All records')).toBeChecked();
  await expect(wizard.radio(/^Selected rows/)).toBeDisabled();
  await wizard.next.click();
  await wizard.next.click();
  await wizard.expectStep('How personal data is redacted');

  await wizard.radio(/^Custom profile/).check();
  await wizard.profileJson.fill(JSON.stringify({ name: 'regulator 2026', extends: 'external-auditor', fields: [{ path: 'content_input.body', action: 'mask' }] }, null, 2));
  await expect(wizard.profileProblems).toContainText('name');
  await expect(wizard.profileProblems).toContainText('fields.0.label');
  await expect(wizard.profileProblems).toContainText('mask and pseudonymize need a label');
  await expect(wizard.profileJson).toHaveAttribute('aria-invalid', 'true');
  await wizard.next.click();
  await expect(wizard.footerMessage).toContainText('The custom profile has problems');
  await wizard.expectStep('How personal data is redacted');
  await screenshot(page, 'export-profile-problems');

  await wizard.profileJson.fill(
    JSON.stringify({ name: 'regulator-2026', extends: 'external-auditor', fields: [{ path: 'content_input.body', action: 'mask', label: 'BODY' }] }, null, 2),
  );
  await expect(wizard.dialog.locator('.export-issues')).toContainText('Valid profile “regulator-2026”');
  await wizard.dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(wizard.radio(/^regulator-2026/)).toBeChecked();
  expect(existsSync(path.join(inspector.userData, 'redaction-profiles', 'regulator-2026.json'))).toBe(true);
  await wizard.next.click();

  await wizard.expectStep('Format and destination');
  await wizard.destination.fill(path.join(inspector.archive, 'inside.csv'));
  await wizard.next.click();
  await expect(wizard.footerMessage).toContainText('inside the archive');
  await expect(wizard.footerMessage).toContainText('archives are read-only');
  await wizard.expectStep('Format and destination');
  await screenshot(page, 'export-inside-archive');
  await wizard.destination.fill('relative.csv');
  await wizard.next.click();
  await expect(wizard.footerMessage).toContainText('give the full path');
  expect(readdirSync(inspector.archive).filter((n) => n.includes('inside') || n.includes('relative'))).toEqual([]);

  await wizard.close.click();
  await expect(wizard.dialog).toBeHidden();
});

test('cancelling an export leaves nothing behind', async ({ page, inspector }, testInfo) => {
  const outDir = testInfo.outputPath('exports');
  mkdirSync(outDir, { recursive: true });
  await openRecords(page, inspector);
  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  await wizard.next.click();
  await wizard.radio(/^Full records/).check();
  await wizard.next.click();
  await wizard.next.click();
  await wizard.radio(/^Excel/).check();
  await wizard.destination.fill(path.join(outDir, 'all.xlsx'));
  await wizard.next.click();
  await wizard.expectStep('Review before exporting');
  await wizard.next.click();
  await expect(wizard.progress).toBeVisible();
  await wizard.cancel.click();
  await wizard.expectStep('Export cancelled');
  await expect(wizard.dialog).toContainText('The export was cancelled; nothing was written.');
  await screenshot(page, 'export-cancelled');
  expect(readdirSync(outDir)).toEqual([]);
});
