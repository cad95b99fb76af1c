import type { Locator, Page } from '@playwright/test';

export class RecordPanel {
  readonly root: Locator;
  readonly title: Locator;
  readonly rawLine: Locator;
  readonly tree: Locator;
  readonly closeButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: /Record at line/ });
    this.title = this.root.getByRole('heading', { level: 2 });
    this.rawLine = this.root.locator('pre.raw-line');
    this.tree = this.root.getByRole('list', { name: 'Parsed record' });
    this.closeButton = this.root.getByRole('button', { name: 'Close record panel' });
  }

  /** Opens a node of the parsed tree by its key (unless it is open). */
  async expand(key: string): Promise<void> {
    // Nodes holding a schema violation start open already.
    const toggle = this.tree.getByRole('button', { name: new RegExp(`^${key}`) }).first();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
}
