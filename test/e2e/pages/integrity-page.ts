import { expect, type Locator, type Page } from '@playwright/test';

export class IntegrityPage {
  readonly panel: Locator;
  readonly runButton: Locator;
  readonly cancelButton: Locator;
  readonly verdict: Locator;
  readonly findings: Locator;
  readonly completeness: Locator;
  readonly calendar: Locator;
  readonly history: Locator;
  readonly periodFrom: Locator;
  readonly periodThrough: Locator;
  readonly savePeriod: Locator;
  readonly clearPeriod: Locator;
  readonly warnings: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('tabpanel', { name: 'Integrity' });
    this.runButton = this.panel.getByRole('button', { name: /^(Run verification|Verify again)$/ });
    this.cancelButton = this.panel.getByRole('button', { name: 'Cancel' });
    this.verdict = this.panel.locator('.run-status [role="status"]');
    this.findings = this.panel.getByRole('region', { name: 'Findings' });
    this.completeness = this.panel.getByRole('region', { name: 'Completeness' });
    this.calendar = this.completeness.getByTestId('calendar');
    this.history = this.completeness.getByTestId('history');
    const period = this.completeness.getByRole('form', { name: 'Expected period' });
    this.periodFrom = period.getByLabel('From');
    this.periodThrough = period.getByLabel('Through');
    this.savePeriod = period.getByRole('button', { name: 'Save period' });
    this.clearPeriod = period.getByRole('button', { name: 'Clear' });
    this.warnings = this.panel.getByRole('region', { name: /^Warnings consistency/ });
  }

  /** Sets the expected period (an empty string leaves that end open) and waits for the verdict worked out again. */
  async setPeriod(from: string, through: string): Promise<void> {
    await this.periodFrom.fill(from);
    await this.periodThrough.fill(through);
    await this.savePeriod.click();
    await this.settled();
  }

  /** The group of warnings of one day file. */
  warningGroup(file: string): Locator {
    return this.warnings.getByRole('region', { name: `Warnings of ${file}` });
  }

  /** Runs verification (again) and waits for its verdict. */
  async runVerification(): Promise<void> {
    await this.runButton.click();
    await this.settled();
  }

  /** Waits until no run goes on and a verdict shows (opening the archive verifies it unasked). */
  async settled(): Promise<void> {
    await expect(this.cancelButton).toBeHidden({ timeout: 30_000 });
    await expect(this.runButton).toBeEnabled({ timeout: 30_000 });
    await expect(this.verdict).toBeVisible();
  }

  /** The verdict badge of a file's (or digest's) group of findings. */
  groupBadge(name: string): Locator {
    return this.findings.locator('.finding-group').filter({ has: this.page.locator('.group-title', { hasText: name }) }).locator('.badge');
  }

  /** The button that trusts the archive's shipped key (after a confirmation). */
  trustKeyButton(): Locator {
    return this.panel.getByRole('button', { name: /^Trust key [0-9a-f]{16}…$/ });
  }

  /** The clickable finding rows of one kind. */
  findingsOfKind(kind: string): Locator {
    return this.findings.getByRole('button', { name: new RegExp(`^${kind} at line`) });
  }

  kindSection(kind: string): Locator {
    return this.findings.locator('.kind-section').filter({ has: this.page.locator('.kind-name', { hasText: kind }) });
  }
}
