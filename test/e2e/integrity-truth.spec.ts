import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { changeOneBodyByte } from './archive-edits';
import { expect, NEWEST_DAY, SAMPLE_KEY_ID, screenshot, screenshotThemes, test, type Inspector } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { IntegrityPage } from './pages/integrity-page';
import { OverviewPage } from './pages/overview-page';
import { RecordDetail } from './pages/record-detail';
import { RecordsPage } from './pages/records-page';

// One integrity truth: on a tampered archive, an archive whose publisher key is not trusted and an
// archive with a malformed line in a sealed day, the header, the Overview, the Records grid's seal
// cells (the altered record, an intact one of the same day, one of another day), the record detail
// and the Integrity view all say the same thing, and nothing is green that was not verified under a
// trusted key. Opening the archive verifies it: no test clicks "Run verification".

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

const shots = screenshotThemes;

test('an archive whose publisher key is not trusted: amber everywhere, never green, never "invalid"; one action trusts it', async ({ page, inspector }) => {
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
  await shots(page, 'truth-untrusted-integrity');

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

test('a tampered record: red for it and its day, green for the other days, in every view', async ({ page, inspector }) => {
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
  await shots(page, 'truth-tampered-integrity');
});

test('a malformed line in a sealed day: the day is invalid, its records count in verified:false, the line leads to itself', async ({ page, inspector }) => {
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
  await expect(page.getByRole('dialog', { name: 'Record at line 100' }).locator('pre.raw-line')).toHaveText('{"activation_id":"act_0000","truncated');
  await page.keyboard.press('Escape');
  await shots(page, 'truth-malformed-integrity');
});
