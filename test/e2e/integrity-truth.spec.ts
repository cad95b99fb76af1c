import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { changeOneBodyByte } from './archive-edits';
import { expect, NEWEST_DAY, SAMPLE_KEY_ID, screenshot, screenshotThemes, test, type Inspector } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { ExportWizardPage } from './pages/export-wizard';
import { IntegrityPage } from './pages/integrity-page';
import { OverviewPage } from './pages/overview-page';
import { RecordDetail } from './pages/record-detail';
import { RecordsPage } from './pages/records-page';

// One integrity truth: on a tampered archive, an archive whose publisher key is not trusted and an
// archive with a malformed line in a sealed day, the header, the Overview, the Records grid's seal
// cells (the altered record, an intact one of the same day, one of another day), the record detail,
// the Integrity view (its verdict and the integrity report card), the export wizard's review and
// the exported PDF's cover and records table (pdftotext) all say the same thing, and nothing is
// green that was not verified under a trusted key. Opening the archive verifies it: no test clicks
// "Run verification".

const OLDER_DAY = 'activations-2026-11-15.jsonl.gz';
const DAYS = 7;

type Seal = 'verified' | 'untrusted_key' | 'invalid' | 'unsealed' | 'unknown';

/** The seal of the record at `file:line`, as the grid shows it (its query finds that one record). */
async function sealAt(records: RecordsPage, file: string, line: number): Promise<Seal> {
  await records.run(`file:${file} line:${line}`);
  await expect(records.count).toHaveText('1 matching record');
  // The cell's class is read once the grid shows the row under the current verification.
  await expect(records.cell(0, 'integrity').locator('[data-integrity]')).not.toHaveAttribute('data-integrity', 'unknown');
  return (await records.seal(0)) as Seal;
}

async function openDetail(records: RecordsPage, file: string, line: number): Promise<RecordDetail> {
  await records.run(`file:${file} line:${line}`);
  await expect(records.count).toHaveText('1 matching record');
  await records.cell(0, 'activation_id').click();
  const detail = new RecordDetail(records.page);
  await expect(detail.integrity).toBeVisible();
  return detail;
}

async function openVerified(page: Page, inspector: Inspector, opts: Parameters<Inspector['open']>[1]): Promise<{ frame: AppFrame; integrity: IntegrityPage }> {
  await page.setViewportSize({ width: 1280, height: 760 });
  await inspector.open(page, opts);
  const frame = new AppFrame(page);
  const integrity = new IntegrityPage(page);
  // Nothing is asked: the archive verifies on opening, and the header says so when it is done.
  await expect(frame.verdict).not.toHaveText(/Verifying|Not verified yet/, { timeout: 30_000 });
  return { frame, integrity };
}

/** The seq of the record on `line` of the sample's day `day` (0 = the oldest; 200 records a day). */
function seqOf(day: number, line: number): number {
  return day * 200 + line - 1;
}

/** The newest day and OLDER_DAY, as the grid's query (400 records). */
const TWO_DAYS = `file:${NEWEST_DAY} OR file:${OLDER_DAY}`;

/**
 * Exports the grid's query as a PDF report through the wizard: `review` checks the Review step's
 * integrity statement (screenshots light and dark), and the text of the PDF written comes back.
 */
async function exportPdf(page: Page, records: RecordsPage, testInfo: TestInfo, name: string, review: (statement: Locator) => Promise<void>): Promise<string> {
  await records.run(TWO_DAYS);
  await expect(records.count).toHaveText('400 matching records');
  await page.getByRole('button', { name: 'Export…' }).click();
  const wizard = new ExportWizardPage(page);
  await wizard.expectStep('What to export');
  await wizard.radio(/^Current query and time range/).check();
  for (const step of ['Which columns', 'How personal data is redacted', 'Format and destination']) {
    await wizard.next.click();
    await wizard.expectStep(step);
  }
  await wizard.radio(/^PDF report/).check();
  const dir = testInfo.outputPath('exports');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  await wizard.destination.fill(file);
  await wizard.next.click();
  await wizard.expectStep('Review before exporting');
  const statement = wizard.dialog.getByLabel('Integrity of the selection');
  await review(statement);
  await shots(page, `${name}-review`);
  await wizard.next.click();
  await expect(wizard.stepTitle).toHaveText('Export complete', { timeout: 60_000 });
  await wizard.close.click();
  return execFileSync('pdftotext', ['-layout', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
}

/** The PDF's cover line of a day ("Day 2026-11-20 activations-…: <standing>"), unwrapped. */
function coverDay(pdf: string, file: string): string {
  const date = file.slice(12, 22);
  const at = pdf.indexOf(`Day ${date}`);
  expect(at, `the cover lists day ${date}`).toBeGreaterThanOrEqual(0);
  return pdf.slice(at, pdf.indexOf('\n\n', at)).replace(/\s+/g, ' ');
}

/** The Integrity view's report card says the header's verdict, word for word. */
async function reportCardAgrees(page: Page, frame: AppFrame, integrity: IntegrityPage): Promise<void> {
  const card = integrity.panel.getByRole('region', { name: 'Integrity report' });
  await expect(card.locator('.integrity-report-states .badge')).toHaveText((await frame.verdict.innerText()).trim());
  await expect(card.getByRole('button', { name: 'Save integrity report…' })).toBeEnabled();
}

const shots = screenshotThemes;

test('an archive whose publisher key is not trusted: amber everywhere, never green, never "invalid"; one action trusts it', async ({ page, inspector }, testInfo) => {
  const { frame, integrity } = await openVerified(page, inspector, {});

  await expect(frame.verdict).toHaveText('Key not trusted');
  const overview = new OverviewPage(page);
  await expect(overview.integrityStat.locator('dd')).toHaveText('Key not trusted');
  await expect(overview.integrityStat).toContainText(`${DAYS} of ${DAYS} files intact, key not trusted`);
  await expect.poll(() => overview.integrityBadges()).toEqual(Array(DAYS).fill('key not trusted'));
  await expect(overview.callout).toContainText("Authentic only if the key is the publisher's");
  await shots(page, 'truth-untrusted-overview');

  await frame.openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  expect(await sealAt(records, NEWEST_DAY, 57)).toBe('untrusted_key');
  expect(await sealAt(records, OLDER_DAY, 10)).toBe('untrusted_key');
  await records.run('verified:true');
  await expect(records.count).toHaveText('0 matching records');
  await records.run('');
  await expect(records.count).toHaveText('1,400 matching records');
  await expect(records.panel.locator('.integrity-verified')).toHaveCount(0);
  const detail = await openDetail(records, NEWEST_DAY, 57);
  await expect(detail.integrity).toHaveAttribute('data-integrity', 'untrusted_key');
  await expect(detail.integrity).toHaveText('key not trusted');
  await expect(detail.integrityNote).toContainText(`signed by key ${SAMPLE_KEY_ID}, which you have not trusted: authentic only if that key is the publisher's`);
  await expect(detail.seal).toContainText('Signature valid, but its key is only shipped inside the archive: not trusted.');
  await shots(page, 'truth-untrusted-records');

  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.verdict).toContainText("Authentic only if the key is the publisher's");
  await expect(integrity.verdict).toContainText(`${DAYS} intact, key not trusted`);
  await expect(integrity.verdict).not.toContainText('Not verified');
  await expect(integrity.groupBadge(`digests/${NEWEST_DAY.replace('.jsonl', '.digest.json')}`)).toHaveText('key not trusted');
  await expect(integrity.panel.locator('.badge-bad')).toHaveCount(0);
  await reportCardAgrees(page, frame, integrity);
  await shots(page, 'truth-untrusted-integrity');

  // The export's review and its PDF say the same, before the key is trusted.
  await frame.openTab('Records');
  const pdf = await exportPdf(page, records, testInfo, 'truth-untrusted-export', async (statement) => {
    await expect(statement).toHaveAttribute('data-tone', 'warn');
    await expect(statement).toContainText("Authentic only if the key is the publisher's");
    await expect(statement).toContainText(`400 records signed by key ${SAMPLE_KEY_ID}, which you have not trusted`);
    await expect(statement.locator('.export-day')).toHaveText([/2026-11-15\s*key not trusted/, /2026-11-20\s*key not trusted/]);
    await expect(statement).not.toContainText('invalid');
  });
  expect(pdf).toContain('NOT FULLY VERIFIED');
  expect(coverDay(pdf, NEWEST_DAY)).toContain(`key not trusted: key ${SAMPLE_KEY_ID}, signature valid, but you have not trusted this key`);
  expect(pdf).toMatch(new RegExp(`key not trusted\\s+${seqOf(6, 57)}\\b`));
  expect(pdf).not.toMatch(/(ALTERED|invalid \((finding|day)\))\s+\d/);
  expect(pdf).not.toMatch(/\bverified\s+\d/);
  await frame.openTab('Integrity');

  // One action, after a confirmation that says what trusting means.
  await integrity.trustKeyButton().click();
  await expect(integrity.panel.getByRole('group', { name: `Trust key ${SAMPLE_KEY_ID}` })).toContainText('only if the publisher gave you this same key id');
  await screenshot(page, 'truth-untrusted-confirm-light');
  await integrity.panel.getByRole('button', { name: 'Trust this key' }).click();
  await expect(frame.verdict).toHaveText('Verified');
  await expect(integrity.verdict).toContainText('Verified');
  await expect(integrity.verdict).toContainText(`${DAYS} of ${DAYS} digests valid`);

  // Every view follows, without reading a day file again.
  await frame.openTab('Records');
  await expect(records.panel.locator('.detail-meta-row [data-integrity]')).toHaveAttribute('data-integrity', 'verified');
  expect(await sealAt(records, OLDER_DAY, 10)).toBe('verified');
  await frame.openTab('Overview');
  await expect.poll(() => overview.integrityBadges()).toEqual(Array(DAYS).fill('valid'));
  await expect(overview.callout).toHaveCount(0);
});

test('a tampered record: red for it and its day, green for the other days, in every view', async ({ page, inspector }, testInfo) => {
  const { frame, integrity } = await openVerified(page, inspector, { trustSampleKey: true, prepare: (archive) => void changeOneBodyByte(archive, NEWEST_DAY, 57) });

  await expect(frame.verdict).toHaveText('Invalid · 3 findings');
  const overview = new OverviewPage(page);
  await expect(overview.integrityStat.locator('dd')).toHaveText('Invalid');
  await expect(overview.integrityStat).toContainText(`1 of ${DAYS} files with findings`);
  await expect.poll(() => overview.integrityBadges()).toEqual([...Array(DAYS - 1).fill('valid'), 'invalid']);
  await expect(overview.callout).toContainText('3 findings in 1 day file');
  await shots(page, 'truth-tampered-overview');

  await frame.openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  expect(await sealAt(records, NEWEST_DAY, 57)).toBe('invalid');
  expect(await sealAt(records, NEWEST_DAY, 58)).toBe('invalid');
  expect(await sealAt(records, OLDER_DAY, 10)).toBe('verified');
  await records.run('verified:false');
  await expect(records.count).toHaveText('200 matching records');

  const altered = await openDetail(records, NEWEST_DAY, 57);
  await expect(altered.integrity).toHaveAttribute('data-integrity', 'invalid');
  await expect(altered.integrityNote).toContainText('A finding concerns this record, and its day file has findings too (record_hash_mismatch, content_hash_mismatch, merkle_root_mismatch)');
  await expect(altered.seal).toContainText('the record was changed after it was sealed');
  await shots(page, 'truth-tampered-records');
  const sameDay = await openDetail(records, NEWEST_DAY, 58);
  await expect(sameDay.integrity).toHaveAttribute('data-integrity', 'invalid');
  await expect(sameDay.integrityNote).toContainText('Its day file has findings (record_hash_mismatch, content_hash_mismatch, merkle_root_mismatch): no record of that day can be trusted.');
  const other = await openDetail(records, OLDER_DAY, 10);
  await expect(other.integrity).toHaveAttribute('data-integrity', 'verified');
  await expect(other.integrityNote).toContainText(`signed by key ${SAMPLE_KEY_ID}, which you trust`);

  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.verdict).toContainText('Not verified: findings');
  await expect(integrity.verdict).toContainText(`${DAYS - 1} of ${DAYS} day files valid`);
  await expect(integrity.groupBadge(NEWEST_DAY)).toHaveText('invalid');
  await expect(integrity.findingsOfKind('record_hash_mismatch')).toContainText('line 57');
  await reportCardAgrees(page, frame, integrity);
  await shots(page, 'truth-tampered-integrity');

  await frame.openTab('Records');
  const pdf = await exportPdf(page, records, testInfo, 'truth-tampered-export', async (statement) => {
    await expect(statement).toHaveAttribute('data-tone', 'bad');
    await expect(statement).toContainText('Not verified: findings');
    await expect(statement).toContainText('200 records of 400 not verified (200 invalid); 200 records verified');
    await expect(statement).toContainText('1 record altered');
    await expect(statement.locator('.export-day')).toHaveText([/2026-11-15\s*valid/, /2026-11-20\s*invalid\s*· 1 altered/]);
  });
  expect(pdf).toContain('NOT FULLY VERIFIED');
  expect(pdf).not.toMatch(/matches/i);
  expect(coverDay(pdf, NEWEST_DAY)).toContain('invalid: 3 finding(s): record_hash_mismatch, content_hash_mismatch, merkle_root_mismatch; 1 exported record(s) altered');
  expect(coverDay(pdf, OLDER_DAY)).toContain(`valid: key ${SAMPLE_KEY_ID}, signature valid, key trusted`);
  // The rows: the altered record, an intact one of its day, one of the other day, as the grid marks them.
  expect(pdf).toMatch(new RegExp(`ALTERED\\s+${seqOf(6, 57)}\\b`));
  expect(pdf).toMatch(new RegExp(`invalid \\(day\\)\\s+${seqOf(6, 58)}\\b`));
  expect(pdf).toMatch(new RegExp(`verified\\s+${seqOf(1, 10)}\\b`));
});

test('a malformed line in a sealed day: the day is invalid, its records count in verified:false, the line leads to itself', async ({ page, inspector }, testInfo) => {
  const { frame, integrity } = await openVerified(page, inspector, {
    trustSampleKey: true,
    prepare: (archive) => {
      const file = path.join(archive, NEWEST_DAY);
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.splice(99, 0, '{"activation_id":"act_0000","truncated');
      writeFileSync(file, lines.join('\n'));
    },
  });

  await expect(frame.verdict).toHaveText(/^Invalid · \d+ findings$/);
  const overview = new OverviewPage(page);
  await expect.poll(() => overview.integrityBadges()).toEqual([...Array(DAYS - 1).fill('valid'), 'invalid']);

  await frame.openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  expect(await sealAt(records, NEWEST_DAY, 20)).toBe('invalid');
  expect(await sealAt(records, OLDER_DAY, 20)).toBe('verified');
  await records.run('verified:false');
  await expect(records.count).toHaveText('200 matching records');
  const detail = await openDetail(records, NEWEST_DAY, 20);
  await expect(detail.integrityNote).toContainText('Its day file has findings (malformed_line');
  await shots(page, 'truth-malformed-records');

  await frame.openTab('Integrity');
  await integrity.settled();
  await expect(integrity.verdict).toContainText('Not verified: findings');
  await expect(integrity.verdict).toContainText('malformed_line 1');
  const finding = integrity.findingsOfKind('malformed_line');
  await expect(finding).toContainText('line 100');
  await finding.click();
  const lineDialog = page.getByRole('dialog', { name: 'Record at line 100' });
  await expect(lineDialog.locator('pre.raw-line')).toHaveText('{"activation_id":"act_0000","truncated');
  await page.keyboard.press('Escape');
  await expect(lineDialog).toBeHidden();
  await reportCardAgrees(page, frame, integrity);
  await shots(page, 'truth-malformed-integrity');

  await frame.openTab('Records');
  const pdf = await exportPdf(page, records, testInfo, 'truth-malformed-export', async (statement) => {
    await expect(statement).toHaveAttribute('data-tone', 'bad');
    await expect(statement).toContainText('200 records in day files with findings (malformed_line');
    await expect(statement.locator('.export-day')).toHaveText([/2026-11-15\s*valid/, /2026-11-20\s*invalid/]);
  });
  expect(pdf).toContain('NOT FULLY VERIFIED');
  expect(coverDay(pdf, NEWEST_DAY)).toMatch(/invalid: \d+ finding\(s\): malformed_line/);
  expect(pdf).toMatch(new RegExp(`invalid \\(day\\)\\s+${seqOf(6, 20)}\\b`));
  expect(pdf).toMatch(new RegExp(`verified\\s+${seqOf(1, 20)}\\b`));
});
