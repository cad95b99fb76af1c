import os from 'node:os';
import path from 'node:path';

/**
 * The folder Electron's `app.getPath('userData')` names for this app (its package name), so the
 * browser host and the desktop app share the user's trusted keys.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const app = 'activationlog-inspector';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', app);
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), app);
}
