import { app, BrowserWindow, dialog, shell, type SaveDialogOptions } from 'electron';
import path from 'node:path';
import { FORMAT_INFO } from '../shared/export-wizard';
import type { ExportHost } from './services/store/export-runner';

/**
 * What exports get from the desktop: the redaction worker electron-vite builds next to the main
 * bundle (electron.vite.config.ts), the app's version, the save dialog and "show in folder".
 */
export function desktopExportHost(): ExportHost {
  return {
    redactionWorker: path.join(__dirname, 'export-worker.js'),
    toolVersion: app.getVersion(),
    defaultFolder: downloadsFolder(),
    chooseDestination: async ({ defaultPath, format, purpose }) => {
      const info = FORMAT_INFO[format];
      const report = purpose === 'integrity_report';
      const options: SaveDialogOptions = {
        title: report ? 'Save integrity report' : 'Export to',
        buttonLabel: report ? 'Save' : 'Export here',
        defaultPath,
        filters: [{ name: report ? 'PDF' : info.label, extensions: [info.extension] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = BrowserWindow.getFocusedWindow();
      const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return canceled || !filePath ? null : filePath;
    },
    showInFolder: (file) => shell.showItemInFolder(file),
  };
}

function downloadsFolder(): string | undefined {
  try {
    return app.getPath('downloads');
  } catch {
    // No Downloads folder known to the system: the runner falls back to the home folder.
    return undefined;
  }
}
