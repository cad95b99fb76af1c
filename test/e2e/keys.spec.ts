import { readFileSync } from 'node:fs';
import { expect, SAMPLE_KEY, SAMPLE_KEY_ID, screenshot, test } from './inspector-fixture';
import { AppFrame } from './pages/app-frame';
import { IntegrityPage } from './pages/integrity-page';
import { KeysPanel } from './pages/keys-panel';

test('importing the publisher key turns untrusted_key findings into a verified archive', async ({ page, inspector }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await inspector.open(page);
  await new AppFrame(page).openTab('Integrity');
  const integrity = new IntegrityPage(page);
  const keys = new KeysPanel(page);
  await expect(keys.root).toContainText('No trusted keys yet');

  await integrity.settled();
  await expect(integrity.findingsOfKind('untrusted_key')).toHaveCount(0); // digest findings have no line
  await expect(integrity.kindSection('untrusted_key').first()).toBeVisible();
  await expect(integrity.verdict).toContainText("Authentic only if the key is the publisher's");

  await keys.paste(readFileSync(SAMPLE_KEY, 'utf8'));
  await expect(keys.message).toContainText(`Key ${SAMPLE_KEY_ID} is now trusted`);
  await expect.poll(() => keys.keyIds()).toEqual([SAMPLE_KEY_ID]);
  // The verdict follows the keys at once (no day file is read again).
  await expect(integrity.verdict).toContainText('Verified');
  await expect(integrity.verdict).toContainText('7 of 7 digests valid');
  await screenshot(page, 'keys-imported');
});

test('keys import from a file, are kept for the next run, and can be removed', async ({ page, inspector }) => {
  await inspector.open(page);
  await new AppFrame(page).openTab('Integrity');
  const keys = new KeysPanel(page);
  await keys.chooseFile(SAMPLE_KEY);
  await expect.poll(() => keys.keyIds()).toEqual([SAMPLE_KEY_ID]);
  await expect(keys.list).toContainText(`${SAMPLE_KEY_ID}.pem`);

  const saved = JSON.parse(readFileSync(`${inspector.userData}/trusted-keys.json`, 'utf8'));
  expect(saved.keys.map((k: { keyId: string }) => k.keyId)).toEqual([SAMPLE_KEY_ID]);

  await keys.removeButton(SAMPLE_KEY_ID).click();
  await expect(keys.root).toContainText('No trusted keys yet');
  await expect(keys.message).toContainText('no longer trusted');
});

test('text that is not a public key is refused with a reason', async ({ page, inspector }) => {
  await inspector.open(page);
  await new AppFrame(page).openTab('Integrity');
  const keys = new KeysPanel(page);
  await keys.paste('-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----');
  await expect(keys.root.getByRole('alert')).toContainText('cannot use key');
  await expect(keys.root).toContainText('No trusted keys yet');
});
