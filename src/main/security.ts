import { app, session } from 'electron';

// Applied to every webContents, not just the main window, so nothing created later escapes it.
// https://www.electronjs.org/docs/latest/tutorial/security
// The one permission the app uses: the record view's "copy value" and "copy path" buttons write
// plain text to the clipboard (reading it stays denied).
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function setupSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_webContents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_webContents, permission) => ALLOWED_PERMISSIONS.has(permission));

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
