import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ArchiveNotFoundError, discoverArchive } from '../../main/services/archive/layout';
import { startHost } from '../../main/services/host/http-host';
import { ArchiveStore, ArchiveStoreError } from '../../main/services/store/archive-store';
import { ArchiveSession } from '../../main/services/store/archive-session';
import { RecentArchives } from '../../main/services/store/recent-archives';
import { appOperations } from '../../main/services/store/session-operations';
import { defaultUserDataDir } from '../../main/services/store/user-data';
import { UsageError, VERSION, createPool, loadTrustedKeys, parseCommandLine } from '../cli-support';
import { redactionWorkerFile } from './export';

export async function runServe(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    port: { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
    'user-data': { type: 'string' },
    'cache-dir': { type: 'string' },
    open: { type: 'boolean' },
  });
  const [archive, ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('serve takes exactly one ARCHIVE folder');
  const port = parsed.values.port === undefined ? 0 : Number(parsed.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number (0 picks a free one)');

  const sessionKeys = await loadTrustedKeys(parsed.values['trust-key']);

  // The CLI bundle sits in out/cli, the built renderer in out/renderer.
  const rendererDir = path.join(__dirname, '..', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`alog: the app's pages are not built (${rendererDir}); run \`npx electron-vite build\` first\n`);
    return 2;
  }
  try {
    await discoverArchive(archive);
  } catch (e) {
    if (e instanceof ArchiveNotFoundError) {
      process.stderr.write(`alog: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const pool = createPool();
  const userDataDir = parsed.values['user-data'] ?? defaultUserDataDir();
  const recents = new RecentArchives(userDataDir, { warn: (message) => process.stderr.write(`alog: ${message}\n`) });
  let session: ArchiveSession;
  try {
    // The page can open other archives (openArchive); each gets a store like the first.
    const openStore = (root: string) =>
      new ArchiveStore({
        root,
        userDataDir,
        indexCacheRoot: parsed.values['cache-dir'],
        pool,
        sessionKeys,
        // No dialogs here: the wizard asks for the destination as text.
        exportHost: { redactionWorker: redactionWorkerFile(), toolVersion: VERSION },
      });
    session = new ArchiveSession({ openStore, initialArchive: archive, recents });
  } catch (e) {
    await pool.close();
    if (e instanceof ArchiveStoreError) throw new UsageError(e.message);
    throw e;
  }
  const host = await startHost({
    handlers: appOperations(session),
    subscribe: (listener) => session.onEvent(listener),
    rendererDir,
    port,
  });
  await recents.add(archive);
  process.stdout.write(`ready: ${host.url}\n`);
  process.stderr.write('serving on 127.0.0.1 only; keep the address private (it holds the access token). Ctrl-C stops.\n');
  if (parsed.values.open) openInBrowser(host.url);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await session.close();
  await pool.close();
  return 0;
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`alog: could not start a browser; open ${url} yourself\n`));
  child.unref();
}
