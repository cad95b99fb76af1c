import type { OperationHandlers } from '../../../shared/ipc-contract';
import type { ArchiveStore } from './archive-store';

/**
 * The contract's operations on an archive store. `store` is a function because the Electron app
 * switches archives; the browser host serves one for its whole run.
 */
export function storeOperations(store: () => ArchiveStore): OperationHandlers {
  return {
    getArchiveInfo: () => store().info(),
    getOverview: () => store().overview(),
    startVerification: () => store().startVerification(),
    cancelVerification: ({ runId }) => ({ cancelled: store().cancelVerification(runId) }),
    getVerificationReport: () => store().verificationState(),
    listTrustedKeys: async () => ({ keys: await store().listTrustedKeys() }),
    importTrustedKey: ({ pem, source }) => store().importTrustedKey(pem, source),
    removeTrustedKey: async ({ keyId }) => ({ removed: await store().removeTrustedKey(keyId) }),
    getRecordAt: ({ file, line }) => store().recordAt(file, line),
    openIndex: () => store().openIndex(),
    getIndexState: () => store().indexState(),
    cancelIndexing: () => ({ cancelled: store().cancelIndexing() }),
    queryRecords: (request) => store().queryRecords(request),
    getRecord: ({ locator, seal }) => store().record(locator, { seal }),
    getPreviousAttempt: ({ activationId }) => store().previousAttempt(activationId),
    listFields: () => ({ fields: store().fields() }),
  };
}
