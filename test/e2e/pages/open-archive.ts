import type { Locator, Page } from '@playwright/test';

/** The header's "Open archive…" panel, and the drop overlay and notice. */
export class OpenArchivePanel {
  readonly button: Locator;
  readonly panel: Locator;
  readonly path: Locator;
  readonly openButton: Locator;
  readonly problem: Locator;
  readonly hint: Locator;
  readonly recents: Locator;
  readonly archiveName: Locator;
  readonly dropOverlay: Locator;

  constructor(readonly page: Page) {
    const header = page.getByRole('banner');
    this.button = header.getByRole('button', { name: 'Open archive…' });
    this.panel = page.getByRole('dialog', { name: 'Open archive' });
    this.path = this.panel.getByLabel('Archive folder');
    this.openButton = this.panel.getByRole('button', { name: 'Open', exact: true });
    this.problem = this.panel.getByRole('alert');
    this.hint = this.panel.locator('.open-archive-hint');
    this.recents = this.panel.getByRole('region', { name: 'Recent archives' });
    this.archiveName = header.locator('.archive-name');
    this.dropOverlay = page.locator('.drop-overlay');
  }

  /** The recent entry for a folder, by its name. */
  recent(name: string): Locator {
    return this.recents.getByRole('button').filter({ has: this.page.locator('.open-archive-recent-name', { hasText: new RegExp(`^${name}$`) }) });
  }

  async openPath(path: string): Promise<void> {
    await this.button.click();
    await this.path.fill(path);
    await this.path.press('Enter');
  }

  // The tests' TypeScript has no DOM, so the page-side code is a string.
  /** A file drag entering the window, as the OS would start it (the file is made up). */
  async dragFileIn(): Promise<void> {
    await this.page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'activations-2026-11-20.jsonl', { type: 'application/x-ndjson' }));
      window.__drag = data;
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
  }

  async dragLeave(): Promise<void> {
    await this.page.evaluate(`document.body.dispatchEvent(new DragEvent('dragleave', { dataTransfer: window.__drag, bubbles: true }))`);
  }

  async drop(): Promise<void> {
    await this.page.evaluate(`document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__drag, bubbles: true, cancelable: true }))`);
  }
}
