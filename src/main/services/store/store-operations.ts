import type { OperationHandlers } from '../../../shared/ipc-contract';
import type { ArchiveStore } from './archive-store';

/**
 * The contract's operations on an archive store. `store` is a function because the app switches
 * archives: the hosts serve `appOperations` (session-operations.ts), which adds opening another
 * archive and the recent list to these.
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
    trustShippedKey: ({ keyId }) => store().trustShippedKey(keyId),
    getCompletenessSettings: () => store().completenessSettings(),
    setExpectedPeriod: ({ period }) => store().setExpectedPeriod(period),
    forgetCheckpoint: () => store().forgetCheckpoint(),
    getRecordAt: ({ file, line }) => store().recordAt(file, line),
    openIndex: () => store().openIndex(),
    getIndexState: () => store().indexState(),
    cancelIndexing: () => ({ cancelled: store().cancelIndexing() }),
    queryRecords: (request) => store().queryRecords(request),
    getRecord: ({ locator, seal }) => store().record(locator, { seal }),
    getPreviousAttempt: ({ activationId }) => store().previousAttempt(activationId),
    listFields: () => ({ fields: store().fields() }),
    // A store alone cannot switch archives (appOperations can).
    openArchive: () => {
      throw new Error('this server shows one archive only');
    },
    listRecentArchives: () => ({ archives: [] }),
    getExportSetup: () => store().exports.setup(),
    listRedactionProfiles: () => store().exports.listProfiles(),
    validateRedactionProfile: ({ text }) => store().exports.validateProfile(text),
    saveRedactionProfile: ({ text }) => store().exports.saveProfile(text),
    planExport: ({ scope }) => store().exports.plan(scope),
    previewExport: (input) => store().exports.preview(input),
    checkExportDestination: ({ out, overwrite }) => store().exports.checkDestination(out, overwrite),
    chooseExportDestination: ({ format, defaultPath, purpose }) => store().exports.chooseDestination(format, defaultPath, purpose),
    startExport: (input) => store().exports.start(input),
    cancelExport: ({ runId }) => ({ cancelled: store().exports.cancel(runId) }),
    getExportState: () => store().exports.state(),
    verifyExportManifest: ({ runId }) => store().exports.verify(runId),
    showExportInFolder: ({ runId }) => store().exports.showInFolder(runId),
    getExporterKey: () => store().exports.exporterKey(),
    saveIntegrityReport: ({ out, overwrite }) => store().saveIntegrityReport(out, overwrite),
  };
}
