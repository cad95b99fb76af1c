import { expect, screenshot, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { OverviewPage } from './pages/overview-page';

test('the overview lists the 7 day files of the sample, with sizes and formats', async ({ page, inspector }) => {
  await inspector.open(page);
  const frame = new AppFrame(page);
  const overview = new OverviewPage(page);
  await expect(frame.header).toContainText('ActivationLog Inspector');
  await expect(frame.header).toContainText('archive');
  await expect(overview.rows).toHaveCount(7);
  const names = await overview.fileNames();
  expect(names.slice(0, 6).every((n) => n.endsWith('.jsonl.gz'))).toBe(true);
  expect(names[6]).toMatch(/\.jsonl$/);
  expect(await overview.formats()).toEqual([...Array(6).fill('gzip'), 'plain']);
  // Opening the archive verifies it; without the publisher's key trusted, every day is amber.
  await expect.poll(() => overview.integrityBadges()).toEqual(Array(7).fill('key not trusted'));
  // The access token is taken out of the address bar once the page has it.
  expect(page.url()).not.toContain('token=');
});

test('a reload keeps working without the token in the address', async ({ page, inspector }) => {
  await inspector.open(page);
  await expect(new OverviewPage(page).rows).toHaveCount(7);
  await page.reload();
  await expect(new OverviewPage(page).rows).toHaveCount(7);
});

test('a page without the token says how to get in', async ({ page, inspector }) => {
  await inspector.open(page);
  const bare = await page.context().newPage();
  await bare.goto(inspector.url.replace(/\?token=.*$/, ''));
  await expect(bare.getByRole('alert').first()).toContainText('access token');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`overview screenshot, ${scheme}`, async ({ page, inspector }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: scheme });
    await inspector.open(page);
    await expect(new OverviewPage(page).rows).toHaveCount(7);
    await screenshot(page, `overview-${scheme}`);
  });
}
