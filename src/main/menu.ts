import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';

export interface MenuActions {
  openArchive(archivePath: string): void;
  sampleArchivePath: string;
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
        { label: 'Open Sample Archive', click: () => actions.openArchive(actions.sampleArchivePath) },
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
      submenu: [{ label: 'About ActivationLog Inspector', click: () => void showAbout() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
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
