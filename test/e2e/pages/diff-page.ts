import type { Locator, Page } from '@playwright/test';

/** The side-by-side comparison of two records. */
export class DiffPage {
  readonly root: Locator;
  readonly hideVolatile: Locator;
  readonly onlyDifferences: Locator;
  readonly summary: Locator;
  readonly table: Locator;
  readonly closeButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Compare records' });
    this.hideVolatile = this.root.getByRole('switch', { name: 'Hide volatile fields' });
    this.onlyDifferences = this.root.getByRole('switch', { name: 'Only differences' });
    this.summary = this.root.locator('.diff-summary[role="status"]');
    this.table = this.root.getByRole('table');
    this.closeButton = this.root.getByRole('button', { name: 'Close comparison' });
  }

  /** The table row of a field by its path in the record (`platform_publishing.status`). */
  row(path: string): Locator {
    return this.table.locator('tbody tr').filter({ has: this.page.locator(`th[title="${path}"]`) });
  }
}
