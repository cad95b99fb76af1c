import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { appendLine } from './archive-edits';
import { expect, NEWEST_DAY, screenshot, test, type Inspector } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { DiffPage } from './pages/diff-page';
import { RecordDetail } from './pages/record-detail';
import { RecordsPage } from './pages/records-page';

// The Records screen on the bundled sample (7 sealed days x 200 records), served by `alog serve`
// and checked against what the command line reports for the same archive.

interface CliRecord {
  activation_id: string;
  timestamp: string;
  file: string;
  line: number;
  [field: string]: unknown;
}

/** `alog query ARCHIVE QUERY --json ...` on the test's own copy, with its own index cache. */
function cli(inspector: Inspector, cacheDir: string, query: string, ...options: string[]): { total: number; records: CliRecord[] } {
  const out = execFileSync(process.execPath, ['bin/alog.cjs', 'query', inspector.archive, query, '--json', '--cache-dir', cacheDir, ...options], { encoding: 'utf8' });
  return JSON.parse(out) as { total: number; records: CliRecord[] };
}

async function openRecords(page: Page, inspector: Inspector, opts: Parameters<Inspector['open']>[1] = {}): Promise<RecordsPage> {
  await inspector.open(page, opts);
  await new AppFrame(page).openTab('Records');
  const records = new RecordsPage(page);
  await records.ready();
  return records;
}

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

test('a query shows exactly as many records as `alog query` finds, and the same ones', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const cache = testInfo.outputPath('cli-cache');
  expect(await records.total()).toBe(cli(inspector, cache, '').total);

  await records.run('status:failed');
  const expected = cli(inspector, cache, 'status:failed', '--limit', '3');
  await expect(records.count).toHaveText(`${expected.total} matching records`);
  expect(expected.total).toBeGreaterThan(0);
  for (let i = 0; i < 3; i++) {
    await expect(records.cell(i, 'activation_id')).toHaveText(expected.records[i]!.activation_id);
    await expect(records.cell(i, 'platform_publishing.status')).toHaveText('failed');
    // The key is not trusted here: intact records are amber, never green.
    await expect(records.cell(i, 'integrity').locator('[data-integrity]')).toHaveAttribute('data-integrity', 'untrusted_key');
  }

  // The time window: From inclusive, Through the whole day.
  await records.from.fill('2026-11-19');
  await records.through.fill('2026-11-19');
  await records.runButton.click();
  const day = cli(inspector, cache, 'status:failed', '--from', '2026-11-19', '--to', '2026-11-20');
  await expect(records.count).toHaveText(`${day.total} matching records`);
});

test('sorting a column asks the engine for that order', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const cache = testInfo.outputPath('cli-cache');
  const ascending = cli(inspector, cache, '', '--sort', 'total_ms:asc', '--limit', '2');
  const descending = cli(inspector, cache, '', '--sort', 'total_ms:desc', '--limit', '2');
  const ms = (r: CliRecord) => oneDecimal.format(r['performance_metrics.total_ms'] as number);

  await records.sortBy('Total ms');
  await expect(records.header('Total ms')).toHaveAttribute('aria-sort', 'ascending');
  await expect(records.cell(0, 'performance_metrics.total_ms')).toHaveText(ms(ascending.records[0]!));
  await expect(records.cell(1, 'activation_id')).toHaveText(ascending.records[1]!.activation_id);

  await records.sortBy('Total ms');
  await expect(records.header('Total ms')).toHaveAttribute('aria-sort', 'descending');
  await expect(records.cell(0, 'performance_metrics.total_ms')).toHaveText(ms(descending.records[0]!));
  await expect(records.cell(0, 'activation_id')).toHaveText(descending.records[0]!.activation_id);
  expect(await records.total()).toBe(1400);
});

test('scrolling to the end of the grid loads the last records', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const total = await records.total();
  const last = cli(inspector, testInfo.outputPath('cli-cache'), '', '--offset', String(total - 1), '--limit', '1').records[0]!;
  await expect(records.cell(0, 'activation_id')).toBeVisible();
  await records.scrollBy(total * 40);
  await expect(records.cell(total - 1, 'activation_id')).toHaveText(last.activation_id, { timeout: 15_000 });
  await expect(records.cell(total - 1, 'timestamp')).toHaveText(last.timestamp.replace('T', ' ').replace(/Z$/, ''));
  // The first rows have left the DOM: the grid renders only what is in view.
  await expect(records.row(0)).toHaveCount(0);
});

test('keyboard: / focuses the query, Ctrl+Enter runs it, arrows and Enter open a record, Escape closes it', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector, { trustSampleKey: true });
  const expected = cli(inspector, testInfo.outputPath('cli-cache'), 'status:blocked', '--limit', '2');

  await records.cell(0, 'timestamp').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  await expect(records.query).toBeFocused();
  await page.keyboard.type('status:blocked');
  await page.keyboard.press('Control+Enter');
  await expect(records.count).toHaveText(`${expected.total} matching records`);

  await records.cell(0, 'timestamp').click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = new RecordDetail(page);
  await expect(detail.title).toContainText(expected.records[1]!.activation_id);
  await page.keyboard.press('Escape');
  await expect(detail.root).toBeHidden();
  // Back in the grid, on the row the record was opened from.
  await expect(page.locator('.ag-cell-focus')).toHaveCount(1);
  await expect(records.row(1).locator('.ag-cell-focus')).toHaveCount(1);
});

test('keyboard: arrows and PageDown move the focus, Ctrl+End reaches the last row and Ctrl+Home the first', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const total = await records.total();
  const last = cli(inspector, testInfo.outputPath('cli-cache'), '', '--offset', String(total - 1), '--limit', '1').records[0]!;
  const focused = (index: number) => records.row(index).locator('.ag-cell-focus');

  await records.cell(0, 'timestamp').click();
  await page.keyboard.press('Escape');
  await expect(focused(0)).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(focused(2)).toHaveCount(1);
  await page.keyboard.press('PageDown');
  await expect(page.locator('.ag-cell-focus')).toHaveCount(1);
  const afterPage = Number(await page.locator('.ag-row:has(.ag-cell-focus)').first().getAttribute('row-index'));
  expect(afterPage).toBeGreaterThan(10);

  await page.keyboard.press('Control+End');
  await expect(focused(total - 1)).toHaveCount(1, { timeout: 15_000 });
  await expect(records.cell(total - 1, 'activation_id')).toHaveText(last.activation_id);
  await page.keyboard.press('Enter');
  const detail = new RecordDetail(page);
  await expect(detail.title).toContainText(last.activation_id);
  await page.keyboard.press('Escape');
  await expect(detail.root).toBeHidden();
  await expect(focused(total - 1)).toHaveCount(1);

  await page.keyboard.press('Control+Home');
  await expect(focused(0)).toHaveCount(1, { timeout: 15_000 });
  await expect(records.cell(0, 'activation_id')).not.toBeEmpty();
});

test('a record in full: its seal explained down to the Merkle proof, the tree with copy buttons, the raw line', async ({ page, inspector, context }) => {
  const records = await openRecords(page, inspector, { trustSampleKey: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(inspector.url).origin });
  const id = await records.cell(3, 'activation_id').innerText();
  await records.cell(3, 'timestamp').click();
  const detail = new RecordDetail(page);
  await expect(detail.title).toContainText(id);
  await expect(detail.seal).toContainText('The content hashes to it');
  await expect(detail.seal).toContainText('SHA-256(previous chain hash ‖ record hash) gives it.');
  await expect(detail.seal).toContainText('8 sibling hashes lead to the signed merkle_root');
  await expect(detail.seal).toContainText('Signature valid, by a trusted key.');
  await expect(detail.seal).toContainText('63319d55a13f23c9 · trusted');
  await expect(detail.rawLine).toContainText(`"activation_id":"${id}"`);

  await detail.expand('content_input');
  const row = detail.tree.locator('.tree-row').filter({ hasText: /^locale/ });
  await row.hover();
  await row.getByRole('button', { name: 'Copy path content_input.locale' }).click();
  await expect(detail.root.locator('.tree-copied')).toHaveText('Copied the path content_input.locale');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('content_input.locale');
});

test('two selected records compared side by side; volatile fields hidden by a switch', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const pair = cli(inspector, testInfo.outputPath('cli-cache'), 'content_id:"manual-2026-11-18-562"');
  expect(pair.total).toBe(2);
  await records.run('content_id:"manual-2026-11-18-562"');
  await expect(records.count).toHaveText('2 matching records');
  await records.selectRow(0);
  await records.selectRow(1);
  await expect(records.compareButton).toHaveText('Compare (2)');
  await records.compareButton.click();

  const diff = new DiffPage(page);
  await expect(diff.root).toBeVisible();
  await expect(diff.table.locator('thead')).toContainText(pair.records[0]!.activation_id);
  await expect(diff.table.locator('thead')).toContainText(pair.records[1]!.activation_id);
  const status = diff.row('platform_publishing.status');
  await expect(status.locator('.diff-left')).toHaveText('"blocked"');
  await expect(status.locator('.diff-right')).toHaveText('"published"');
  await expect(status).toHaveClass(/diff-changed/);
  await expect(diff.summary).toHaveText(/\d+ fields differ/);

  await expect(diff.hideVolatile).toHaveAttribute('aria-checked', 'true');
  await expect(diff.row('activation_id')).toHaveCount(0);
  await expect(diff.row('trace_id')).toHaveCount(0);
  await expect(diff.row('integrity')).toHaveCount(0);
  await diff.hideVolatile.click();
  await expect(diff.row('activation_id').locator('.diff-left')).toContainText(pair.records[0]!.activation_id);
  await expect(diff.row('activation_id').locator('.diff-right')).toContainText(pair.records[1]!.activation_id);
  await expect(diff.row('integrity')).toHaveCount(1);

  await page.keyboard.press('Escape');
  await expect(diff.root).toBeHidden();
});

test('"Compare with previous attempt" diffs a record with the earlier attempt at the same content', async ({ page, inspector }, testInfo) => {
  const records = await openRecords(page, inspector);
  const pair = cli(inspector, testInfo.outputPath('cli-cache'), 'content_id:"manual-2026-11-18-562"');
  await records.run('content_id:"manual-2026-11-18-562"');
  await records.cell(1, 'timestamp').click();
  const detail = new RecordDetail(page);
  await expect(detail.title).toContainText(pair.records[1]!.activation_id);
  await detail.comparePrevious.click();
  const diff = new DiffPage(page);
  await expect(diff.table.locator('thead th').nth(1)).toContainText(pair.records[0]!.activation_id);
  await expect(diff.table.locator('thead th').nth(2)).toContainText(pair.records[1]!.activation_id);
  await expect(diff.row('platform_publishing.status').locator('.diff-left')).toHaveText('"blocked"');

  // The first attempt has none before it.
  await diff.closeButton.click();
  await records.cell(0, 'timestamp').click();
  await expect(detail.title).toContainText(pair.records[0]!.activation_id);
  await detail.comparePrevious.click();
  await expect(detail.root.getByRole('status').filter({ hasText: 'No earlier attempt' })).toHaveText('No earlier attempt has content_id manual-2026-11-18-562.');
});

test('the query bar completes field names and values, and points at a syntax error', async ({ page, inspector }) => {
  const records = await openRecords(page, inspector);
  await records.query.click();
  await page.keyboard.type('prov');
  await expect(records.suggestions.getByRole('option').first()).toHaveText(/^provider/);
  await page.keyboard.press('Enter');
  await expect(records.query).toHaveValue('provider:');
  await page.keyboard.type('o');
  await expect(records.suggestions.getByRole('option', { name: /openai/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(records.query).toHaveValue('provider:openai');
  await page.keyboard.press('Enter');
  await expect(records.count).toHaveText(/^\d[\d,]* matching records$/);

  await records.run('status:failed AND (provider:openai');
  await expect(records.syntaxError).toContainText('Syntax error at character');
  await expect(records.syntaxError.locator('pre')).toContainText('^');
  await expect(records.query).toHaveAttribute('aria-invalid', 'true');
  await expect(records.count).toHaveText('No results');
  await records.query.fill('status:failed');
  await expect(records.syntaxError).toBeHidden();
});

test('columns can be hidden and are remembered across reloads', async ({ page, inspector }) => {
  const records = await openRecords(page, inspector);
  await expect(records.header('Provider')).toHaveCount(1);
  await records.columnsButton.click();
  await page.getByRole('group', { name: 'Columns shown' }).getByLabel(/^Provider/).uncheck();
  await expect(records.header('Provider')).toHaveCount(0);
  await page.getByRole('group', { name: 'Columns shown' }).getByLabel(/^Locale/).check();
  await page.keyboard.press('Escape');
  await page.reload();
  await new AppFrame(page).openTab('Records');
  await records.ready();
  await expect(records.header('Provider')).toHaveCount(0);
  await records.columnsButton.click();
  const chooser = page.getByRole('group', { name: 'Columns shown' });
  await expect(chooser.getByLabel(/^Provider/)).not.toBeChecked();
  await expect(chooser.getByLabel(/^Locale/)).toBeChecked();
  await expect(chooser.getByLabel(/^Status/)).toBeChecked();
});

// A record written to attack the viewer (as in hostile.spec.ts), found through the grid.
const HOSTILE =
  JSON.stringify({
    activation_id: '<script>window.__pwned = 1</script>',
    timestamp: '<img src=x onerror="window.__pwned = 2">',
    '<b onmouseover="window.__pwned = 3">key</b>': 'x',
    content_input: { title: 'invoice\u202Efdp.exe', body: '<iframe src="javascript:alert(1)"></iframe>', content_id: '<svg onload="window.__pwned = 4">' },
    platform_publishing: { status: '<img src=y onerror="window.__pwned = 5">' },
  }).slice(0, -1) + ',"__proto__":{"polluted":"yes"}}';

test('a hostile record is shown inertly in the grid and in the detail', async ({ page, inspector }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  const records = await openRecords(page, inspector, { prepare: (archive) => appendLine(archive, NEWEST_DAY, HOSTILE) });
  await records.run('pwned');
  await expect(records.count).toHaveText('1 matching record');
  await expect(records.cell(0, 'activation_id')).toHaveText('<script>window.__pwned = 1</script>');
  await expect(records.cell(0, 'platform_publishing.status')).toHaveText('<img src=y onerror="window.__pwned = 5">');
  await expect(records.cell(0, 'integrity')).toContainText('invalid');
  await records.cell(0, 'activation_id').click();
  const detail = new RecordDetail(page);
  await expect(detail.title).toContainText('<script>window.__pwned = 1</script>');
  await expect(detail.tree).toContainText('<b onmouseover="window.__pwned = 3">key</b>');
  await expect(detail.tree).toContainText('__proto__');
  await detail.expand('content_input');
  await expect(detail.tree).toContainText('invoiceU+202Efdp.exe');
  await expect(detail.rawLine).toContainText('"body":"<iframe src=\\"javascript:alert(1)\\"></iframe>"');
  await expect(detail.root.getByRole('region', { name: /schema violations/ })).toContainText('activation_id');
  await screenshot(page, 'records-hostile');

  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  expect(await page.evaluate('typeof ({}).polluted')).toBe('undefined');
  expect(await records.panel.locator('script, img, iframe, b, svg:not(.integrity-icon)').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(await page.evaluate('window.__csp')).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`records, record and diff screenshots, ${scheme}`, async ({ page, inspector }) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.addInitScript({
      content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    const records = await openRecords(page, inspector, { trustSampleKey: true });
    await records.run('status:failed OR status:blocked');
    await expect(records.count).toHaveText(/matching records/);
    await records.selectRow(2);
    await screenshot(page, `records-${scheme}`);

    await records.cell(1, 'timestamp').click();
    const detail = new RecordDetail(page);
    await expect(detail.seal).toContainText('Signature valid');
    await screenshot(page, `grid-record-${scheme}`);
    await detail.closeButton.click();

    await records.run('content_id:"manual-2026-11-18-562"');
    await expect(records.count).toHaveText('2 matching records');
    await records.selectRow(0);
    await records.selectRow(1);
    await records.compareButton.click();
    const diff = new DiffPage(page);
    await expect(diff.summary).toHaveText(/fields differ/);
    await screenshot(page, `diff-${scheme}`);

    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(problems).toEqual([]);
  });
}
