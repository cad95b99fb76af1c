import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import type { ArchiveInfo } from '../shared/ipc-contract';

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

export class CurrentArchive {
  #info: ArchiveInfo;

  constructor(archivePath: string) {
    this.#info = describeArchive(archivePath);
  }

  get info(): ArchiveInfo {
    return this.#info;
  }

  open(archivePath: string): void {
    this.#info = describeArchive(archivePath);
    // The renderer reads all archive state through the contract when it loads, so reloading it is
    // a complete switch without a change event in the contract.
    for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
  }
}

function describeArchive(archivePath: string): ArchiveInfo {
  const resolved = path.resolve(archivePath);
  return { path: resolved, name: path.basename(resolved) };
}
