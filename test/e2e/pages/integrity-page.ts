import { expect, type Locator, type Page } from '@playwright/test';

export class IntegrityPage {
  readonly panel: Locator;
  readonly runButton: Locator;
  readonly cancelButton: Locator;
  readonly verdict: Locator;
  readonly findings: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('tabpanel', { name: 'Integrity' });
    this.runButton = this.panel.getByRole('button', { name: /^(Run verification|Verify again)$/ });
    this.cancelButton = this.panel.getByRole('button', { name: 'Cancel' });
    this.verdict = this.panel.locator('.run-status [role="status"]');
    this.findings = this.panel.getByRole('region', { name: 'Findings' });
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
