import { appendLine } from './archive-edits';
import { expect, NEWEST_DAY, screenshot, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { IntegrityPage } from './pages/integrity-page';
import { RecordPanel } from './pages/record-panel';

// A record written to attack the viewer: markup and script in keys and values, a prototype key,
// and a right-to-left override that would reverse the text after it.
const HOSTILE = JSON.stringify({
  activation_id: '<script>window.__pwned = 1</script>',
  timestamp: '<img src=x onerror="window.__pwned = 2">',
  '<b onmouseover="window.__pwned = 3">key</b>': 'x',
  content_input: { title: 'invoice\u202Efdp.exe', body: '<iframe src="javascript:alert(1)"></iframe>' },
});

test('a hostile record is shown as inert text', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Any CSP violation (an inline handler, an eval) would mean the page ran or tried to run something.
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  let line = 0;
  // An object literal's __proto__ sets the prototype instead of a key, so that key is written by hand.
  const hostileLine = HOSTILE.slice(0, -1) + ',"__proto__":{"polluted":"yes"}}';
  await inspector.open(page, { trustSampleKey: true, prepare: (archive) => (line = appendLine(archive, NEWEST_DAY, hostileLine)) });

  await new AppFrame(page).openTab('Integrity');
  const integrity = new IntegrityPage(page);
  await integrity.settled();
  const finding = integrity.findings.getByRole('button', { name: new RegExp(`at line ${line}:`) }).first();
  await finding.click();
  const record = new RecordPanel(page);
  await expect(record.rawLine).toContainText('<script>window.__pwned = 1</script>');
  await expect(record.tree).toContainText('<img src=x onerror="window.__pwned = 2">');
  await expect(record.tree).toContainText('<b onmouseover="window.__pwned = 3">key</b>');
  await expect(record.tree).toContainText('__proto__');
  await record.expand('content_input');
  // The override is shown as a visible marker, not applied.
  await expect(record.tree).toContainText('invoiceU+202Efdp.exe');
  await record.expand('__proto__');
  await expect(record.tree).toContainText('polluted');
  await screenshot(page, 'record-hostile');

  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  expect(await page.evaluate('typeof ({}).polluted')).toBe('undefined');
  expect(await record.root.locator('script, img, iframe, b').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(await page.evaluate('window.__csp')).toEqual([]);
});
