import type { Locator, Page } from '@playwright/test';

/** The record detail beside the Records grid. */
export class RecordDetail {
  readonly root: Locator;
  readonly title: Locator;
  readonly seal: Locator;
  readonly tree: Locator;
  readonly rawLine: Locator;
  readonly closeButton: Locator;
  readonly comparePrevious: Locator;
  /** The record's integrity class in the header, and the sentence saying why. */
  readonly integrity: Locator;
  readonly integrityNote: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('complementary', { name: /^Record/ });
    this.title = this.root.getByRole('heading', { level: 2 });
    this.seal = this.root.getByRole('region', { name: 'Seal' });
    this.tree = this.root.getByRole('list', { name: 'Parsed record' });
    this.rawLine = this.root.locator('pre.raw-line');
    this.closeButton = this.root.getByRole('button', { name: 'Close record' });
    this.comparePrevious = this.root.getByRole('button', { name: 'Compare with previous attempt' });
    this.integrity = this.root.locator('.detail-meta-row [data-integrity]');
    this.integrityNote = this.root.getByRole('note', { name: 'Record integrity' });
  }

  async expand(key: string): Promise<void> {
    // Nodes holding a schema violation start open already.
    const toggle = this.tree.getByRole('button', { name: new RegExp(`^${key}`) }).first();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
}
