import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { archiveArgument, docsFolderPath, openArchiveOrExplain, sampleArchivePath } from './current-archive';
import { desktopExportHost } from './export-desktop';
import { sendEvent, setupIpc, trustIpcSender } from './ipc';
import { setupMenu } from './menu';
import { setupSecurity } from './security';
import { ArchiveSession } from './services/store/archive-session';
import { ArchiveStore } from './services/store/archive-store';
import { RecentArchives } from './services/store/recent-archives';
import { appOperations } from './services/store/session-operations';
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
  const exportHost = desktopExportHost();
  const openStore = (root: string) => new ArchiveStore({ root, userDataDir, pool, exportHost });
  const recents = new RecentArchives(userDataDir);
  const requested = archiveArgument(process.argv, process.cwd());
  const archive = new ArchiveSession({ openStore, initialArchive: requested ?? sampleArchivePath(), recents });
  // The sample opened by default is not the user's choice; an archive on the command line is.
  if (requested !== undefined) void recents.add(requested);
  archive.onEvent((event) => {
    sendEvent(event);
    if (event.type === 'archiveOpened') app.addRecentDocument(event.archive.path);
  });
  const openArchive = (archivePath: string) => void openArchiveOrExplain(archive, archivePath);

  const openMainWindow = (): BrowserWindow => {
    const window = createMainWindow();
    trustIpcSender(window.webContents);
    return window;
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const requested = archiveArgument(argv, workingDirectory);
    if (requested !== undefined) openArchive(requested);
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void archive.close().finally(() => pool.close());
  });

  void app.whenReady().then(() => {
    setupSecurity();
    setupIpc(appOperations(archive));
    // Rebuilt whenever the recent list changes, so File > Open Recent is always current.
    const showMenu = () =>
      void recents.list().then((recent) =>
        setupMenu({
          openArchive,
          sampleArchivePath: sampleArchivePath(),
          recentArchives: recent,
          clearRecentArchives: () => void recents.clear().then(() => app.clearRecentDocuments()),
          docsFolderPath: docsFolderPath(),
          exportRequested: () => sendEvent({ type: 'exportRequested' }),
        }),
      );
    recents.onChange(showMenu);
    showMenu();
    openMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });
}
