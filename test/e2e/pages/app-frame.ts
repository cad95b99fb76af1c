import { expect, type Locator, type Page } from '@playwright/test';

/** The header and the tabs around every screen. */
export class AppFrame {
  readonly header: Locator;
  readonly verdict: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner');
    this.verdict = this.header.locator('.header-status');
  }

  tab(name: 'Overview' | 'Integrity' | 'Records'): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  async openTab(name: 'Overview' | 'Integrity' | 'Records'): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }
}
