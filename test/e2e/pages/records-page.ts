import { expect, type Locator, type Page } from '@playwright/test';

/** The Records tab: query bar, time range, the grid and its status bar. */
export class RecordsPage {
  readonly panel: Locator;
  readonly query: Locator;
  readonly from: Locator;
  readonly through: Locator;
  readonly runButton: Locator;
  readonly compareButton: Locator;
  readonly columnsButton: Locator;
  readonly count: Locator;
  readonly grid: Locator;
  readonly suggestions: Locator;
  readonly syntaxError: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('tabpanel', { name: 'Records' });
    this.query = this.panel.getByLabel('Query', { exact: true });
    this.from = this.panel.getByLabel('From');
    this.through = this.panel.getByLabel('Through');
    this.runButton = this.panel.getByRole('button', { name: 'Run', exact: true });
    this.compareButton = this.panel.getByRole('button', { name: /^Compare/ });
    this.columnsButton = this.panel.getByRole('button', { name: 'Columns' });
    this.count = this.panel.locator('.records-count[role="status"]');
    this.grid = this.panel.getByRole('treegrid').or(this.panel.getByRole('grid'));
    this.suggestions = this.panel.getByRole('listbox', { name: 'Field suggestions' });
    this.syntaxError = this.panel.locator('.query-problem[role="alert"]');
  }

  /** Waits until the index is open and the first page of all records is shown. */
  async ready(): Promise<void> {
    await expect(this.query).toBeVisible({ timeout: 30_000 });
    await expect(this.count).toHaveText(/matching record/, { timeout: 30_000 });
  }

  async run(query: string): Promise<void> {
    await this.query.fill(query);
    await this.query.press('Enter');
  }

  /** The number the status bar reports. */
  async total(): Promise<number> {
    await expect(this.count).toHaveText(/\d[\d,]* matching records?/);
    return Number((await this.count.innerText()).replace(/[^\d]/g, ''));
  }

  row(index: number): Locator {
    return this.panel.locator(`.ag-row[row-index="${index}"]`);
  }

  cell(index: number, colId: string): Locator {
    return this.panel.locator(`.ag-row[row-index="${index}"] .ag-cell[col-id="${colId}"]`);
  }

  /** The seal cell's integrity class (verified, untrusted_key, invalid, unsealed, unknown). */
  seal(index: number): Promise<string | null> {
    return this.cell(index, 'integrity').locator('[data-integrity]').getAttribute('data-integrity');
  }

  header(label: string): Locator {
    return this.panel.locator('.ag-header-cell').filter({ has: this.page.locator('.ag-header-cell-text', { hasText: new RegExp(`^${label}$`) }) });
  }

  async sortBy(label: string): Promise<void> {
    await this.header(label).locator('.ag-header-cell-label').click();
  }

  async selectRow(index: number): Promise<void> {
    await this.panel.locator(`.ag-row[row-index="${index}"] .ag-selection-checkbox input`).first().click();
  }

  /** Scrolls the grid's body far down with the mouse wheel, as a reader would. */
  async scrollBy(pixels: number): Promise<void> {
    await this.row(0).or(this.panel.locator('.ag-row').first()).first().hover();
    await this.page.mouse.wheel(0, pixels);
  }
}
