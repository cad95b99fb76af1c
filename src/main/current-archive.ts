import { app, dialog } from 'electron';
import path from 'node:path';
import type { ArchiveSession } from './services/store/archive-session';

export function sampleArchivePath(): string {
  // Packaged builds ship the sample as an extra resource; in development out/main sits two levels
  // below the app root, however Electron was started.
  return app.isPackaged
    ? path.join(process.resourcesPath, 'sample-archive')
    : path.join(__dirname, '..', '..', 'resources', 'sample-archive');
}

/** The user documentation (docs/), shipped beside the sample when packaged. */
export function docsFolderPath(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'docs') : path.join(__dirname, '..', '..', 'docs');
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

/**
 * Opens an archive the menu, a second launch or the OS asked for. The windows follow by the
 * `archiveOpened` event; a refusal (not a folder, no day files) is explained in a dialog, since
 * nothing on the page asked for it.
 */
export async function openArchiveOrExplain(session: ArchiveSession, archivePath: string): Promise<void> {
  try {
    await session.open(archivePath);
  } catch (error) {
    dialog.showErrorBox('Cannot open the archive', error instanceof Error ? error.message : String(error));
  }
}
