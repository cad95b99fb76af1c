import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import type { EventListener } from '../shared/ipc-contract';
import type { ArchiveStore } from './services/store/archive-store';

export function sampleArchivePath(): string {
  // Packaged builds ship the sample as an extra resource; in development out/main sits two levels
  // below the app root, however Electron was started.
  return app.isPackaged
    ? path.join(process.resourcesPath, 'sample-archive')
    : path.join(__dirname, '..', '..', 'resources', 'sample-archive');
}

/**
 * The archive named on a command line: its first non-flag argument. Chromium switches may come
 * anywhere, and an unpackaged app is started as `electron <app path> ...`, so that path is skipped.
 */
export function archiveArgument(argv: readonly string[], workingDirectory: string): string | undefined {
  const operands = argv.slice(1).filter((argument) => !argument.startsWith('-'));
  const archive = operands[process.defaultApp ? 1 : 0];
  return archive === undefined ? undefined : path.resolve(workingDirectory, archive);
}

/** The open archive's store; opening another closes the old one and reloads the windows. */
export class CurrentArchive {
  #store: ArchiveStore;
  #unsubscribe: () => void;

  constructor(
    private readonly openStore: (archivePath: string) => ArchiveStore,
    archivePath: string,
    private readonly onEvent: EventListener,
  ) {
    this.#store = openStore(archivePath);
    this.#unsubscribe = this.#store.onEvent(onEvent);
  }

  get store(): ArchiveStore {
    return this.#store;
  }

  open(archivePath: string): void {
    let next: ArchiveStore;
    try {
      next = this.openStore(archivePath);
    } catch (error) {
      dialog.showErrorBox('Cannot open the archive', error instanceof Error ? error.message : String(error));
      return;
    }
    const previous = this.#store;
    this.#unsubscribe();
    this.#store = next;
    this.#unsubscribe = next.onEvent(this.onEvent);
    void previous.close();
    // The renderer reads all archive state through the contract when it loads, so reloading it is
    // a complete switch without a change event in the contract.
    for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
  }
}
