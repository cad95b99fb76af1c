import type { Locator, Page } from '@playwright/test';

export class KeysPanel {
  readonly root: Locator;
  readonly pemInput: Locator;
  readonly importButton: Locator;
  readonly fileInput: Locator;
  readonly list: Locator;
  readonly message: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Trusted keys' });
    this.pemInput = this.root.getByLabel('Public key (PEM)');
    this.importButton = this.root.getByRole('button', { name: 'Import key' });
    this.fileInput = this.root.getByLabel('Key file');
    this.list = this.root.getByRole('list', { name: 'Trusted keys' });
    this.message = this.root.locator('.form-message');
  }

  async paste(pem: string): Promise<void> {
    await this.pemInput.fill(pem);
    await this.importButton.click();
  }

  async chooseFile(file: string): Promise<void> {
    await this.fileInput.setInputFiles(file);
  }

  removeButton(keyId: string): Locator {
    return this.root.getByRole('button', { name: `Remove key ${keyId}` });
  }

  keyIds(): Promise<string[]> {
    return this.list.locator('.key-id').allInnerTexts();
  }
}
