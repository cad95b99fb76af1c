import type { OperationHandlers } from '../../../shared/ipc-contract';
import type { ArchiveSession } from './archive-session';
import { storeOperations } from './store-operations';

/**
 * Every operation of the contract for a host (Electron IPC, the browser host) serving `session`:
 * the current store's, plus opening another archive and the recent list.
 */
export function appOperations(session: ArchiveSession): OperationHandlers {
  return {
    ...storeOperations(() => session.store),
    openArchive: ({ path }) => session.open(path),
    listRecentArchives: async () => ({ archives: await session.recents.list() }),
  };
}
