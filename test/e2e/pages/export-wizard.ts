import { expect, type Locator, type Page } from '@playwright/test';

/** The export wizard dialog, opened from the Records screen's "Export…" button. */
export class ExportWizardPage {
  readonly dialog: Locator;
  readonly stepTitle: Locator;
  readonly next: Locator;
  readonly back: Locator;
  readonly close: Locator;
  readonly footerMessage: Locator;
  readonly destination: Locator;
  readonly replaceExisting: Locator;
  readonly profileJson: Locator;
  readonly profileProblems: Locator;
  readonly preview: Locator;
  readonly progress: Locator;
  readonly cancel: Locator;
  readonly verdict: Locator;
  readonly checks: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Export records' });
    this.stepTitle = this.dialog.locator('.export-step-title');
    this.next = this.dialog.getByRole('button', { name: /^(Next|Export|Checking…|Starting…)$/ });
    this.back = this.dialog.getByRole('button', { name: 'Back', exact: true });
    this.close = this.dialog.getByRole('button', { name: 'Close export' });
    this.footerMessage = this.dialog.locator('.export-footer-message');
    this.destination = this.dialog.getByLabel('Save to');
    this.replaceExisting = this.dialog.getByLabel('Replace existing files');
    this.profileJson = this.dialog.getByLabel('Profile JSON');
    this.profileProblems = this.dialog.getByRole('list', { name: 'Problems in the profile' });
    this.preview = this.dialog.getByRole('region', { name: 'Preview of the redaction' });
    this.progress = this.dialog.getByRole('progressbar', { name: 'Export progress' });
    this.cancel = this.dialog.getByRole('button', { name: 'Cancel export' });
    this.verdict = this.dialog.locator('.export-verdict');
    this.checks = this.dialog.getByRole('list', { name: 'Manifest checks' });
  }

  async expectStep(title: string): Promise<void> {
    await expect(this.stepTitle).toHaveText(title);
  }

  radio(name: string | RegExp): Locator {
    return this.dialog.getByRole('radio', { name });
  }

  /** A row of the before/after table of the preview, by field path. */
  change(path: string): Locator {
    return this.preview.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: path, exact: true }) });
  }
}
