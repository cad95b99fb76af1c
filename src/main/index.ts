import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { archiveArgument, CurrentArchive, sampleArchivePath } from './current-archive';
import { sendEvent, setupIpc, trustIpcSender } from './ipc';
import { setupMenu } from './menu';
import { setupSecurity } from './security';
import { ArchiveStore } from './services/store/archive-store';
import { storeOperations } from './services/store/store-operations';
import { WorkerPool } from './services/workers/worker-pool';
import { createMainWindow } from './window';

// A second launch (say, on another archive) hands its command line to the running instance.
if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}

function start(): void {
  // electron-vite builds the worker thread next to this file (electron.vite.config.ts).
  const pool = new WorkerPool(path.join(__dirname, 'archive-worker.js'));
  const userDataDir = app.getPath('userData');
  const openStore = (root: string) => new ArchiveStore({ root, userDataDir, pool });
  const archive = new CurrentArchive(openStore, archiveArgument(process.argv, process.cwd()) ?? sampleArchivePath(), sendEvent);

  const openMainWindow = (): BrowserWindow => {
    const window = createMainWindow();
    trustIpcSender(window.webContents);
    return window;
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const requested = archiveArgument(argv, workingDirectory);
    if (requested !== undefined) archive.open(requested);
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void archive.store.close().finally(() => pool.close());
  });

  void app.whenReady().then(() => {
    setupSecurity();
    setupIpc(storeOperations(() => archive.store));
    setupMenu({
      openArchive: (archivePath) => archive.open(archivePath),
      sampleArchivePath: sampleArchivePath(),
    });
    openMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });
}
