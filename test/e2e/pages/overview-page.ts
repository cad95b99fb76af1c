import type { Locator, Page } from '@playwright/test';

export class OverviewPage {
  readonly table: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('tabpanel', { name: 'Overview' }).getByRole('table');
    this.rows = this.table.locator('tbody tr');
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
