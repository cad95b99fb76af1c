import { app, BrowserWindow } from 'electron';
import { archiveArgument, CurrentArchive, sampleArchivePath } from './current-archive';
import { setupIpc, trustIpcSender } from './ipc';
import { setupMenu } from './menu';
import { setupSecurity } from './security';
import { createMainWindow } from './window';

// A second launch (say, on another archive) hands its command line to the running instance.
if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}

function start(): void {
  const archive = new CurrentArchive(archiveArgument(process.argv, process.cwd()) ?? sampleArchivePath());

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

  void app.whenReady().then(() => {
    setupSecurity();
    setupIpc({ getArchiveInfo: () => archive.info });
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
