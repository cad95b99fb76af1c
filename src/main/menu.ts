import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  shell,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';
import os from 'node:os';
import type { RecentArchive } from '../shared/recent-archives';
import { recentArchiveLabel } from './services/store/recent-archives';

export interface MenuActions {
  openArchive(archivePath: string): void;
  sampleArchivePath: string;
  /** File > Open Recent, newest first. */
  recentArchives: readonly RecentArchive[];
  clearRecentArchives(): void;
  /** Help > Documentation opens this folder. */
  docsFolderPath: string;
  /** File > Export…: the window opens the export wizard. */
  exportRequested(): void;
}

export function setupMenu(actions: MenuActions): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Archive…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void chooseArchive(actions),
        },
        { label: 'Open Recent', submenu: openRecentMenu(actions) },
        { label: 'Open Sample Archive', click: () => actions.openArchive(actions.sampleArchivePath) },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportRequested() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Documentation', click: () => void openDocumentation(actions.docsFolderPath) },
        { type: 'separator' },
        { label: `Version ${app.getVersion()}`, enabled: false },
        { label: 'About ActivationLog Inspector', click: () => void showAbout() },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function openRecentMenu(actions: MenuActions): MenuItemConstructorOptions[] {
  const home = os.homedir();
  const items: MenuItemConstructorOptions[] = actions.recentArchives.map((archive) => ({
    label: recentArchiveLabel(archive, home, process.platform),
    // A folder that is gone stays listed (its drive may come back) but cannot be opened.
    enabled: !archive.missing,
    click: () => actions.openArchive(archive.path),
  }));
  if (items.length === 0) items.push({ label: 'No Recent Archives', enabled: false });
  items.push({ type: 'separator' }, { label: 'Clear Recently Opened', enabled: actions.recentArchives.length > 0, click: () => actions.clearRecentArchives() });
  return items;
}

async function openDocumentation(folder: string): Promise<void> {
  // openPath answers with an error message, or '' once the system's file manager has it.
  const problem = await shell.openPath(folder);
  if (problem) dialog.showErrorBox('Cannot open the documentation', `${folder}: ${problem}`);
}

async function chooseArchive(actions: MenuActions): Promise<void> {
  const options: OpenDialogOptions = {
    title: 'Open Archive',
    buttonLabel: 'Open Archive',
    properties: ['openDirectory'],
  };
  const window = BrowserWindow.getFocusedWindow();
  const { canceled, filePaths } = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  const [archivePath] = filePaths;
  if (!canceled && archivePath !== undefined) actions.openArchive(archivePath);
}

async function showAbout(): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: 'About',
    message: 'ActivationLog Inspector',
    detail: [
      `Version ${app.getVersion()}`,
      `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    ].join('\n'),
  });
}
