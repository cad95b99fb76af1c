import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveStore } from '../../../src/main/services/store/archive-store';
import type { ExportHost } from '../../../src/main/services/store/export-runner';
import { storeOperations } from '../../../src/main/services/store/store-operations';
import { ExportManifest } from '../../../src/shared/export-manifest';
import { runOperation, type AppEvent, type OperationHandlers, type OperationName, type OperationOutput } from '../../../src/shared/ipc-contract';
import { readCsv } from './export-fixture';
import { readLines } from './archive-fixture';
import { StoreFixture } from './store-fixture';

// The export wizard's operations, driven as both transports drive them (`runOperation`): the plan,
// profiles, preview, destination checks, a run with its events, cancel, and the manifest check.

const fx = new StoreFixture();
const WORKER = path.resolve(__dirname, '../../../out/cli/export-worker.cjs');
let out = '';
let store: ArchiveStore;
let handlers: OperationHandlers;
const events: AppEvent[] = [];
const shown: string[] = [];
const records: { activation_id: string; content_input: { author: { email: string; name: string } } }[] = [];

const host: ExportHost = {
  redactionWorker: WORKER,
  toolVersion: 'test',
  chooseDestination: async ({ defaultPath }) => `${defaultPath}.chosen`,
  showInFolder: (file) => {
    shown.push(file);
  },
};

async function call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
  const result = await runOperation(handlers, name, input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function failure(name: OperationName, input: unknown): Promise<string> {
  const result = await runOperation(handlers, name, input);
  expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
  return result.ok ? '' : result.error.message;
}

async function finished(runId: string): Promise<Extract<AppEvent, { type: 'exportFinished' }>> {
  await store.exports.settled();
  const end = events.find((e): e is Extract<AppEvent, { type: 'exportFinished' }> => e.type === 'exportFinished' && e.runId === runId);
  expect(end).toBeDefined();
  return end!;
}

beforeAll(async () => {
  await fx.setup({ days: 3, perDay: 400 });
  out = await mkdtemp(path.join(os.tmpdir(), 'alog-wizard-out-'));
  store = new ArchiveStore({ root: fx.base, userDataDir: fx.userData, pool: fx.pool, exportHost: host });
  store.onEvent((e) => events.push(e));
  handlers = storeOperations(() => store);
  await store.importTrustedKey(await fx.publicKeyPem(), 'test');
  for (const day of fx.days) records.push(...(await readLines(fx.base, day)).map((l) => JSON.parse(l) as (typeof records)[number]));
  await store.indexReady();
}, 120_000);

afterAll(async () => {
  await store?.close();
  await fx.teardown();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('setup and plan', () => {
  it('offers a default folder outside the archive and says what the host can do', async () => {
    const setup = await call('getExportSetup', {});
    expect(path.relative(fx.base, setup.defaultFolder).startsWith('..')).toBe(true);
    expect(setup).toMatchObject({ nativeDialog: true, canShowInFolder: true, archiveName: path.basename(fx.base) });
    expect(await call('chooseExportDestination', { format: 'csv', defaultPath: '/x/y.csv' })).toEqual({ supported: true, path: '/x/y.csv.chosen' });
  });

  it('counts the records of each scope', async () => {
    const all = await call('planExport', { scope: { kind: 'all' } });
    expect(all.total).toBe(records.length);
    expect(all.days.map((d) => d.records)).toEqual([400, 400, 400]);
    // Read from the archive's verification report: the first plan starts one, a later one reads it.
    if (all.verification.status !== 'verified') {
      await store.verificationSettled();
      const again = await call('planExport', { scope: { kind: 'all' } });
      expect(again.verification.status).toBe('verified');
      expect(again.integrity.counts.verified).toBe(records.length);
      expect(again.integrity.days.map((d) => d.verdict)).toEqual(['verified', 'verified', 'verified']);
    }
    const rows = await call('planExport', { scope: { kind: 'rows', activationIds: [records[3]!.activation_id, records[900]!.activation_id] } });
    expect(rows.total).toBe(2);
    expect(rows.days.map((d) => d.records)).toEqual([1, 1]);
    expect(rows.query).toBe(`id:"${records[3]!.activation_id}" OR id:"${records[900]!.activation_id}"`);
    const day = await call('planExport', { scope: { kind: 'query', query: '', from: fx.days[1]!.slice(12, 22) } });
    expect(day.total).toBe(800);
  });

  it('names an activation_id the archive does not hold', async () => {
    expect(await failure('planExport', { scope: { kind: 'rows', activationIds: ['act_nope'] } })).toContain('no record has the activation_id "act_nope"');
  });
});

describe('profiles', () => {
  it('lists the built-in profiles spelled out', async () => {
    const { profiles } = await call('listRedactionProfiles', {});
    expect(profiles.map((p) => p.name)).toEqual(expect.arrayContaining(['external-auditor', 'internal']));
    const auditor = profiles.find((p) => p.name === 'external-auditor')!;
    expect(auditor.profile.text.detectors.email).toEqual({ action: 'pseudonymize', label: 'EMAIL' });
  });

  it('reports every problem of a custom profile with its JSON path', async () => {
    const bad = await call('validateRedactionProfile', {
      text: JSON.stringify({ name: 'bad name!', fields: [{ path: 'content_input.body', action: 'mask' }], colour: 'red' }),
    });
    expect(bad.valid).toBe(false);
    if (bad.valid) return;
    const paths = bad.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'fields.0.label', '']));
    expect(bad.issues.find((i) => i.path === 'fields.0.label')!.message).toMatch(/need a label/);
    const notJson = await call('validateRedactionProfile', { text: '{"name": ' });
    expect(notJson).toMatchObject({ valid: false, issues: [{ path: '', message: expect.stringMatching(/^not JSON/) }] });
    expect(await failure('saveRedactionProfile', { text: '{"name": "x", "extends": "nobody"}' })).toMatch(/not valid: extends/);
  });

  it('saves a custom profile that later exports and previews can name', async () => {
    const text = JSON.stringify({ name: 'no-bodies', extends: 'external-auditor', fields: [{ path: 'content_input.body', action: 'remove' }] });
    const saved = await call('saveRedactionProfile', { text });
    expect(saved).toMatchObject({ name: 'no-bodies', source: 'saved' });
    expect(JSON.parse(await readFile(path.join(fx.userData, 'redaction-profiles', 'no-bodies.json'), 'utf8'))).toMatchObject({ name: 'no-bodies' });
    const { profiles } = await call('listRedactionProfiles', {});
    expect(profiles.find((p) => p.name === 'no-bodies')?.source).toBe('saved');
    const preview = await call('previewExport', { scope: { kind: 'all' }, profile: 'no-bodies' });
    expect(preview.samples[0]!.changes).toContainEqual(expect.objectContaining({ path: 'content_input.body', after: null }));
    expect(await failure('saveRedactionProfile', { text: '{"name": "internal"}' })).toMatch(/built-in profile/);
    expect(await failure('previewExport', { scope: { kind: 'all' }, profile: 'never-saved' })).toMatch(/no profile named "never-saved"/);
  });
});

describe('preview', () => {
  it('shows values before and after redaction, and what each rule changed', async () => {
    const first = records[0]!;
    const preview = await call('previewExport', { scope: { kind: 'rows', activationIds: [first.activation_id] }, profile: 'external-auditor' });
    expect(preview.total).toBe(1);
    expect(preview.counted).toBe(1);
    const [sample] = preview.samples;
    expect(sample!.activationId).toBe(first.activation_id);
    const email = sample!.changes.find((c) => c.path === 'content_input.author.email');
    expect(email).toEqual({ path: 'content_input.author.email', before: first.content_input.author.email, after: 'EMAIL_1' });
    expect(preview.rules.find((r) => r.id === 'field:content_input.author.email')?.count).toBe(1);
    expect(preview.valuesChanged).toBeGreaterThan(0);
  });

  it('lists only the changes in the chosen columns and counts the others', async () => {
    const preview = await call('previewExport', { scope: { kind: 'all' }, profile: 'external-auditor', fields: ['activation_id', 'processing_metadata.user_id'] });
    expect(preview.counted).toBe(200);
    for (const s of preview.samples) {
      expect(s.changes.map((c) => c.path)).toEqual(['processing_metadata.user_id']);
      expect(s.hiddenChanges).toBeGreaterThan(0);
    }
  });
});

describe('destination', () => {
  it('refuses a destination inside the archive, before any work', async () => {
    const inside = path.join(fx.base, 'export.csv');
    const check = await call('checkExportDestination', { out: inside });
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/inside the archive/);
    const message = await failure('startExport', { scope: { kind: 'all' }, profile: 'external-auditor', format: 'csv', out: inside });
    expect(message).toMatch(/refusing to write .*export\.csv inside the archive/);
    expect((await readdir(fx.base)).some((n) => n.includes('export'))).toBe(false);
    expect(store.exports.state().status).toBe('idle');
  });

  it('refuses a relative path, a missing folder and an existing file unless told to replace it', async () => {
    expect((await call('checkExportDestination', { out: 'export.csv' })).message).toMatch(/give the full path/);
    expect((await call('checkExportDestination', { out: path.join(out, 'missing', 'x.csv') })).message).toMatch(/does not exist/);
    const existing = path.join(out, 'existing.csv');
    await writeFile(existing, 'keep me');
    expect((await call('checkExportDestination', { out: existing })).message).toMatch(/already exists \(tick "Replace existing files"/);
    expect(await call('checkExportDestination', { out: existing, overwrite: true })).toEqual({ ok: true, file: existing, message: '' });
  });
});

describe('a run', () => {
  it('exports the selected rows in the worker, with progress events, and its manifest verifies', async () => {
    const ids = [records[5]!.activation_id, records[450]!.activation_id, records[1100]!.activation_id];
    const file = path.join(out, 'selected.csv');
    events.length = 0;
    const { runId } = await call('startExport', { scope: { kind: 'rows', activationIds: ids }, profile: 'external-auditor', format: 'csv', out: file });
    expect(store.exports.state()).toMatchObject({ status: 'running', runId, out: file });
    expect((await finished(runId)).status).toBe('done');
    expect(events[0]).toEqual({ type: 'exportStarted', runId });
    expect(events.some((e) => e.type === 'exportProgress' && e.progress.phase === 'writing' && e.progress.done === 3)).toBe(true);

    const state = await call('getExportState', {});
    expect(state.status).toBe('done');
    const outcome = state.outcome!;
    expect(outcome).toMatchObject({ file, manifest: `${file}.manifest.json`, format: 'csv', verified: true, records: { exported: 3, proven: 3 } });
    expect(outcome.profile.name).toBe('external-auditor');
    expect(outcome.rules.find((r) => r.id === 'field:content_input.author.email')?.count).toBe(3);

    const rows = await readCsv(file);
    expect(rows.slice(1).map((r) => r[rows[0]!.indexOf('activation_id')])).toEqual(ids);
    const text = await readFile(file, 'utf8');
    for (const i of [5, 450, 1100]) expect(text).not.toContain(records[i]!.content_input.author.email);
    const manifest = ExportManifest.parse(JSON.parse(await readFile(outcome.manifest, 'utf8')));
    expect(manifest.selection.query).toBe(ids.map((id) => `id:"${id}"`).join(' OR '));
    expect(manifest.profile.sha256).toBe(outcome.profile.sha256);

    const check = await call('verifyExportManifest', { runId });
    expect(check).toMatchObject({ ok: true, fileCheck: { ok: true }, proofs: { total: 3, valid: 3, invalid: 0 }, rows: { checked: true, ok: true } });
    expect(await call('showExportInFolder', { runId })).toEqual({ shown: true });
    expect(shown).toEqual([file]);
    expect(await failure('verifyExportManifest', { runId: 'some-other-run' })).toMatch(/has not completed/);
  });

  it('finds a change to the export file when it checks the manifest', async () => {
    const file = path.join(out, 'changed.jsonl');
    const { runId } = await call('startExport', { scope: { kind: 'query', query: 'status:failed' }, profile: 'internal', format: 'jsonl', out: file });
    expect((await finished(runId)).status).toBe('done');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"', '"x'));
    const check = await call('verifyExportManifest', { runId });
    expect(check.ok).toBe(false);
    expect(check.fileCheck.message).toMatch(/the file was changed/);
  });

  it('runs one export at a time, and a cancel leaves nothing behind', async () => {
    const folder = path.join(out, 'cancelled');
    await mkdir(folder);
    const file = path.join(folder, 'all.xlsx');
    events.length = 0;
    let cancelled: Promise<unknown> | undefined;
    const unsubscribe = store.onEvent((e) => {
      // Cancelled while writing, once the first records are in the temp file.
      if (e.type === 'exportProgress' && e.progress.phase === 'writing' && e.progress.done > 0) cancelled ??= call('cancelExport', {});
    });
    const { runId } = await call('startExport', { scope: { kind: 'all' }, profile: 'external-auditor', format: 'xlsx', out: file });
    expect(await failure('startExport', { scope: { kind: 'all' }, profile: 'internal', format: 'csv', out: path.join(out, 'second.csv') })).toMatch(
      /already running/,
    );
    const end = await finished(runId);
    unsubscribe();
    expect(cancelled).toBeDefined();
    expect(await cancelled).toEqual({ cancelled: true });
    expect(end).toEqual({ type: 'exportFinished', runId, status: 'cancelled', error: null });
    expect(events.some((e) => e.type === 'exportProgress' && e.progress.phase === 'writing')).toBe(true);
    expect(await readdir(folder)).toEqual([]);
    expect(store.exports.state()).toMatchObject({ status: 'cancelled', outcome: null });
    expect(await failure('showExportInFolder', { runId })).toMatch(/has not completed/);
    expect(await call('cancelExport', { runId })).toEqual({ cancelled: false });
  });
});

describe('without a desktop', () => {
  it('has no dialog and no file manager, and says so', async () => {
    const plain = new ArchiveStore({ root: fx.base, userDataDir: path.join(out, 'ud-plain'), pool: fx.pool });
    const ops = storeOperations(() => plain);
    try {
      const setup = await runOperation(ops, 'getExportSetup', {});
      expect(setup).toMatchObject({ ok: true, value: { nativeDialog: false, canShowInFolder: false } });
      expect(await runOperation(ops, 'chooseExportDestination', { format: 'pdf', defaultPath: '/tmp/x.pdf' })).toEqual({
        ok: true,
        value: { supported: false, path: null },
      });
    } finally {
      await plain.close();
    }
  });
});
