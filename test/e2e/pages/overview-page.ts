import type { Locator, Page } from '@playwright/test';

export class OverviewPage {
  readonly panel: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  /** The Integrity figure at the top, and what the verdict means when it is not "verified". */
  readonly integrityStat: Locator;
  readonly callout: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('tabpanel', { name: 'Overview' });
    this.table = this.panel.getByRole('table');
    this.rows = this.table.locator('tbody tr');
    this.integrityStat = this.panel.locator('.stat').filter({ has: page.locator('dt', { hasText: 'Integrity' }) });
    this.callout = this.panel.getByRole('region', { name: 'Integrity verdict' });
  }

  row(file: string): Locator {
    return this.rows.filter({ hasText: file });
  }

  fileNames(): Promise<string[]> {
    return this.rows.locator('td:nth-child(2)').allInnerTexts();
  }

  integrityBadges(): Promise<string[]> {
    return this.rows.locator('td:nth-child(7)').allInnerTexts();
  }

  formats(): Promise<string[]> {
    return this.rows.locator('td:nth-child(3)').allInnerTexts();
  }
}
