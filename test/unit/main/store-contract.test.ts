import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSession } from '../../../src/main/services/store/archive-session';
import { RecentArchives } from '../../../src/main/services/store/recent-archives';
import { appOperations } from '../../../src/main/services/store/session-operations';
import { ipcContract, isOperationName, operationNames, runOperation, type OperationName, type OperationHandlers } from '../../../src/shared/ipc-contract';
import { readLines } from './archive-fixture';
import { StoreFixture } from './store-fixture';

// Every operation of the contract, driven the way both transports drive it (`runOperation`):
// malformed input is refused with a message naming the operation and the problem, and good input
// answers with a value its output schema accepts.

const fx = new StoreFixture();
let handlers: OperationHandlers;
let someActivationId = '';
let exportsSettled: () => Promise<string>;

beforeAll(async () => {
  await fx.setup({ days: 2, perDay: 5 });
  someActivationId = (JSON.parse((await readLines(fx.base, fx.days[1]!))[2]!) as { activation_id: string }).activation_id;
  const store = fx.store(fx.base);
  handlers = appOperations(new ArchiveSession({ openStore: () => store, initialArchive: fx.base, recents: new RecentArchives(fx.userData) }));
  exportsSettled = async () => {
    await store.exports.settled();
    return store.exports.state().runId!;
  };
  // Opened first, so that `cancelIndexing` in the table below has nothing to cancel.
  await store.indexReady();
});
afterAll(() => fx.teardown());

const NOT_AN_OBJECT = [null, undefined, 'x', 42, [], true];

/** Malformed payloads per operation, each with a fragment of the expected message. Typed by the
 *  contract, so a new operation cannot be added without its own cases here. */
const MALFORMED: Record<OperationName, [unknown, RegExp][]> = {
  getArchiveInfo: [[{ extra: 1 }, /Unrecognized key/]],
  getOverview: [[{ path: '/etc' }, /Unrecognized key/]],
  startVerification: [[{ trustedKeys: [] }, /Unrecognized key/]],
  cancelVerification: [
    [{ runId: 5 }, /expected string/],
    [{ runId: '../../x' }, /expected a run id/],
    [{ runId: 'a'.repeat(65) }, /expected a run id/],
  ],
  getVerificationReport: [[{ all: true }, /Unrecognized key/]],
  listTrustedKeys: [[{ origin: 'x' }, /Unrecognized key/]],
  trustShippedKey: [
    [{}, /expected string/],
    [{ keyId: 'KEY' }, /expected a key id/],
    [{ keyId: '../keys/x' }, /expected a key id/],
  ],
  importTrustedKey: [
    [{}, /expected string/],
    [{ pem: '' }, /paste a PEM public key/],
    [{ pem: 'x'.repeat(20_000) }, /far shorter/],
    [{ pem: 7 }, /expected string/],
    [{ pem: 'x', source: '' }, /Too small/],
    [{ pem: 'x', trusted: true }, /Unrecognized key/],
  ],
  removeTrustedKey: [
    [{}, /expected string/],
    [{ keyId: 'ABCDEF0123456789' }, /16 lowercase hex/],
    [{ keyId: '0123' }, /16 lowercase hex/],
  ],
  getCompletenessSettings: [[{ expected: null }, /Unrecognized key/]],
  setExpectedPeriod: [
    [{}, /period/],
    [{ period: { from: '2026-13-01', through: null } }, /not a calendar day/],
    [{ period: { from: '20261101', through: null } }, /YYYY-MM-DD/],
    [{ period: { from: '2026-11-20', through: '2026-11-01' } }, /start on or before/],
    [{ period: null, checkpoint: true }, /Unrecognized key/],
  ],
  forgetCheckpoint: [[{ date: '2026-11-20' }, /Unrecognized key/]],
  getRecordAt: [
    [{}, /expected string/],
    [{ file: '../../etc/passwd', line: 1 }, /expected a day file name/],
    [{ file: 'activations-2026-01-01.jsonl/../../x', line: 1 }, /expected a day file name/],
    [{ file: 'activations-2026-01-01.jsonl', line: 0 }, />=1/],
    [{ file: 'activations-2026-01-01.jsonl', line: 1.5 }, /expected int/],
    [{ file: 'activations-2026-01-01.jsonl', line: '1' }, /expected number/],
    [{ file: 'activations-2026-01-01.jsonl', line: 1, offset: 0 }, /Unrecognized key/],
  ],
  openIndex: [[{ cacheDir: '/tmp' }, /Unrecognized key/]],
  getIndexState: [[{ verbose: true }, /Unrecognized key/]],
  cancelIndexing: [[{ force: true }, /Unrecognized key/]],
  queryRecords: [
    [{}, /expected string/],
    [{ query: 'status:failed', offset: 0, limit: 100 }, /requestId/],
    [{ query: 'x'.repeat(2001), offset: 0, limit: 100, requestId: 'r1' }, /at most 2000 characters/],
    [{ query: '', offset: -1, limit: 100, requestId: 'r1' }, />=0/],
    [{ query: '', offset: 0, limit: 0, requestId: 'r1' }, />=1/],
    [{ query: '', offset: 0, limit: 1001, requestId: 'r1' }, /<=1000/],
    [{ query: '', offset: 0.5, limit: 10, requestId: 'r1' }, /expected int/],
    [{ query: '', offset: 0, limit: 10, requestId: '../x' }, /expected a request id/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', from: 'yesterday' }, /ISO-8601 instant/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', to: '2026-02-30' }, /ISO-8601 instant/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', sort: { field: 'content_input.body', dir: 'asc' } }, /indexed field/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', sort: { field: 'timestamp', dir: 'up' } }, /"asc"/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', sort: 'timestamp' }, /expected object/],
    [{ query: '', offset: 0, limit: 10, requestId: 'r1', filterModel: {} }, /Unrecognized key/],
  ],
  getRecord: [
    [{}, /either an activationId, or a file and a line/],
    [{ file: 'activations-2026-01-01.jsonl' }, /either an activationId, or a file and a line/],
    [{ activationId: '' }, /expected an activation_id/],
    [{ activationId: 'a'.repeat(201) }, /far shorter/],
    [{ file: '../../etc/passwd', line: 1 }, /expected a day file name/],
    [{ file: 'activations-2026-01-01.jsonl', line: 0 }, />=1/],
    [{ activationId: 'act_1', file: 'activations-2026-01-01.jsonl', line: 1 }, /either an activationId, or a file and a line/],
    [{ activationId: 'act_1', offset: 0 }, /Unrecognized key/],
    [{ activationId: 'act_1', seal: 'yes' }, /expected boolean/],
  ],
  getPreviousAttempt: [
    [{}, /expected string/],
    [{ activationId: 7 }, /expected string/],
    [{ activationId: 'act_1', contentId: 'x' }, /Unrecognized key/],
  ],
  listFields: [[{ prefix: 'st' }, /Unrecognized key/]],
  openArchive: [
    [{}, /expected string/],
    [{ path: 7 }, /expected string/],
    [{ path: '' }, /type the path of an archive folder/],
    [{ path: '   ' }, /type the path of an archive folder/],
    [{ path: 'relative/archive' }, /give the full path of the folder/],
    [{ path: '../../etc' }, /give the full path of the folder/],
    [{ path: '/tmp/a\u0000b' }, /NUL character/],
    [{ path: '/' + 'a'.repeat(5000) }, /at most 4096 characters/],
    [{ path: '/tmp', readOnly: true }, /Unrecognized key/],
  ],
  listRecentArchives: [[{ limit: 3 }, /Unrecognized key/]],
  getExportSetup: [[{ folder: '/tmp' }, /Unrecognized key/]],
  listRedactionProfiles: [[{ all: true }, /Unrecognized key/]],
  validateRedactionProfile: [
    [{}, /expected string/],
    [{ text: '' }, /paste or load a profile/],
    [{ text: 'x'.repeat(1024 * 1024 + 1) }, /far shorter than 1 MB/],
  ],
  saveRedactionProfile: [
    [{ text: 7 }, /expected string/],
    [{ text: '{}', name: 'x' }, /Unrecognized key/],
  ],
  planExport: [
    [{}, /scope/],
    [{ scope: { kind: 'everything' } }, /scope/],
    [{ scope: { kind: 'rows', activationIds: [] } }, /select at least one row/],
    [{ scope: { kind: 'rows', activationIds: [''] } }, /expected an activation_id/],
    [{ scope: { kind: 'query', query: 'x'.repeat(2001) } }, /at most 2000 characters/],
    [{ scope: { kind: 'query', query: '', from: 'yesterday' } }, /ISO-8601 instant/],
    [{ scope: { kind: 'all', query: 'status:failed' } }, /Unrecognized key/],
  ],
  previewExport: [
    [{ scope: { kind: 'all' } }, /profile/],
    [{ scope: { kind: 'all' }, profile: '../../etc/passwd' }, /short name/],
    [{ scope: { kind: 'all' }, profile: 'internal', fields: [] }, /choose at least one column/],
    [{ scope: { kind: 'all' }, profile: 'internal', fields: ['a..b'] }, /dotted path/],
  ],
  checkExportDestination: [
    [{}, /expected string/],
    [{ out: '' }, /give the file to write/],
    [{ out: '/tmp/x.csv', overwrite: 'yes' }, /expected boolean/],
  ],
  chooseExportDestination: [
    [{ defaultPath: '/tmp/x.csv' }, /format/],
    [{ format: 'docx', defaultPath: '/tmp/x.docx' }, /format/],
  ],
  startExport: [
    [{ scope: { kind: 'all' }, profile: 'internal', format: 'csv' }, /out/],
    [{ scope: { kind: 'all' }, profile: 'internal', format: 'exe', out: '/tmp/x.exe' }, /format/],
    [{ scope: { kind: 'all' }, profile: 'internal', format: 'csv', out: '/tmp/x.csv', pdfMaxRows: 0 }, />0/],
    [{ scope: { kind: 'all' }, profile: 'internal', format: 'csv', out: '/tmp/x.csv', shell: 'rm -rf' }, /Unrecognized key/],
  ],
  cancelExport: [[{ runId: '../x' }, /expected a run id/]],
  getExportState: [[{ verbose: true }, /Unrecognized key/]],
  verifyExportManifest: [
    [{}, /expected string/],
    [{ runId: 'r1', manifest: '/etc/passwd' }, /Unrecognized key/],
  ],
  showExportInFolder: [
    [{}, /expected string/],
    [{ runId: 'r1', file: '/etc' }, /Unrecognized key/],
  ],
  getExporterKey: [[{ name: 'x' }, /Unrecognized key/]],
  saveIntegrityReport: [
    [{}, /give the file to write|expected string/],
    [{ out: '/tmp/x.pdf', overwrite: 'yes' }, /expected boolean/],
    [{ out: '/tmp/x.pdf', extra: 1 }, /Unrecognized key/],
  ],
};

describe.each(operationNames)('%s', (name) => {
  it.each([...NOT_AN_OBJECT.map((p): [unknown, RegExp] => [p, /expected object/]), ...MALFORMED[name]])(
    'refuses %j',
    async (payload, message) => {
      const result = await runOperation(handlers, name, payload);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain(`Invalid input for ${name}:`);
      expect(result.error.message).toMatch(message);
    },
  );
});

const GOOD: { [N in OperationName]: unknown } = {
  getArchiveInfo: {},
  getOverview: {},
  startVerification: {},
  cancelVerification: {},
  getVerificationReport: {},
  listTrustedKeys: {},
  importTrustedKey: { pem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAQ88D4kz99xmHXvPLgY5nOI4lX/MM0xFFYyM33okjBPA=\n-----END PUBLIC KEY-----\n', source: 'a.pem' },
  removeTrustedKey: { keyId: '0123456789abcdef' },
  trustShippedKey: { keyId: '' },
  getCompletenessSettings: {},
  setExpectedPeriod: { period: { from: '2026-01-01', through: null } },
  forgetCheckpoint: {},
  getRecordAt: { file: '', line: 1 },
  openIndex: {},
  getIndexState: {},
  cancelIndexing: {},
  queryRecords: { query: 'status:published OR status:failed', sort: { field: 'total_ms', dir: 'desc' }, offset: 0, limit: 5, requestId: 'contract-1' },
  getRecord: { file: '', line: 1 },
  getPreviousAttempt: { activationId: '' },
  listFields: {},
  openArchive: {},
  listRecentArchives: {},
  getExportSetup: {},
  listRedactionProfiles: {},
  validateRedactionProfile: { text: '{"name": "x", "extends": "internal"}' },
  saveRedactionProfile: { text: '{"name": "contract-test", "extends": "internal"}' },
  planExport: { scope: { kind: 'query', query: 'status:published OR status:failed' } },
  previewExport: { scope: { kind: 'all' }, profile: 'external-auditor', fields: ['content_input.author.name', 'content_input.body'] },
  checkExportDestination: { out: '/' },
  chooseExportDestination: { format: 'csv', defaultPath: '/tmp/x.csv' },
  startExport: {},
  cancelExport: { runId: 'not-running' },
  getExportState: {},
  verifyExportManifest: {},
  showExportInFolder: {},
  getExporterKey: {},
  saveIntegrityReport: { out: path.join(os.tmpdir(), `alog-contract-integrity-${process.pid}.pdf`), overwrite: true },
};

describe('well-formed input', () => {
  it.each(operationNames)('%s answers with a value of its output schema', async (name) => {
    const input =
      name === 'getRecordAt' || name === 'getRecord'
        ? { file: fx.days[0], line: 2 }
        : name === 'openArchive'
          ? { path: fx.base }
          : name === 'getPreviousAttempt'
            ? { activationId: someActivationId }
            : name === 'trustShippedKey'
              ? { keyId: fx.trusted.keyId }
              : name === 'startExport'
              ? { scope: { kind: 'all' }, profile: 'external-auditor', format: 'jsonl', out: path.join(fx.userData, '..', 'contract.jsonl') }
              : name === 'verifyExportManifest' || name === 'showExportInFolder'
                ? { runId: await exportsSettled() }
                : GOOD[name];
    const result = await runOperation(handlers, name, input);
    expect(result, JSON.stringify(result).slice(0, 300)).toMatchObject({ ok: true });
    if (result.ok) expect(ipcContract[name].output.safeParse(result.value).success).toBe(true);
  });

  it('turns a handler failure into a result, not a thrown error', async () => {
    const result = await runOperation(handlers, 'getRecordAt', { file: 'activations-1999-01-01.jsonl', line: 1 });
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'activations-1999-01-01.jsonl is not a day file of this archive' } });
  });
});

describe('operation names', () => {
  it('are own keys of the contract only', () => {
    expect(isOperationName('getOverview')).toBe(true);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) expect(isOperationName(name)).toBe(false);
  });
});
