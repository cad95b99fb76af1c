import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveStore } from '../../../src/main/services/store/archive-store';
import { digestName } from './archive-fixture';
import { recordEvents, StoreFixture } from './store-fixture';

// What the app remembers per archive in the user-data folder: the expected period, and the
// checkpoint of the last verification whose newest day verified, which the next open of the same
// archive is checked against. Three sealed days, 2026-11-18 to 2026-11-20.

const fx = new StoreFixture();
let newest: string;

beforeAll(async () => {
  await fx.setup({ perDay: 10 });
  newest = fx.days[2]!;
});
afterAll(() => fx.teardown());

function trustedStore(root: string, userData: string): ArchiveStore {
  return new ArchiveStore({ root, userDataDir: userData, pool: fx.pool, sessionKeys: [fx.trusted] });
}

async function opened(root: string, userData: string): Promise<ArchiveStore> {
  const store = trustedStore(root, userData);
  store.openIndex();
  await store.verificationSettled();
  return store;
}

async function moveDay(from: string, to: string, file: string): Promise<void> {
  await rename(path.join(from, file), path.join(to, file));
  await rename(path.join(from, digestName(file)), path.join(to, digestName(file)));
}

describe('the recorded history', () => {
  it('is recorded by a verification and checked on the next open: the same history, extended by N days', async () => {
    const dir = await fx.copy();
    const aside = await fx.copy();
    const userData = path.join(fx.userData, 'history');
    await rename(path.join(dir, newest), path.join(aside, `${newest}.held`));
    await rename(path.join(dir, digestName(newest)), path.join(aside, `${digestName(newest)}.held`));

    const first = await opened(dir, userData);
    expect(first.verificationState().report!.completeness.checkpoint).toBeNull();
    await first.close();
    const recorded = (await trustedStore(dir, userData).completenessSettings()).stored;
    expect(recorded).toMatchObject({ kind: 'activationlog-checkpoint', date: '2026-11-19', last_seq: 19 });
    // Kept in the user-data folder, never in the archive.
    expect(await readdir(path.join(userData, 'archive-settings'))).toHaveLength(1);
    expect((await readdir(dir)).filter((n) => !n.startsWith('activations-') && n !== 'digests' && n !== 'keys')).toEqual([]);

    await rename(path.join(aside, `${newest}.held`), path.join(dir, newest));
    await rename(path.join(aside, `${digestName(newest)}.held`), path.join(dir, digestName(newest)));
    const second = await opened(dir, userData);
    const report = second.verificationState().report!;
    expect(report.completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 1, newestDay: '2026-11-20', checkpoint: { date: '2026-11-19' } });
    expect(report.summary.verdict).toBe('verified');
    // This session keeps checking against the history it was opened with; the next open gets the newer one.
    expect(await second.completenessSettings()).toMatchObject({ checkedAgainst: { date: '2026-11-19' }, stored: { date: '2026-11-20' } });
    second.startVerification();
    await second.verificationSettled();
    expect(second.verificationState().report!.completeness.checkpoint).toMatchObject({ status: 'same_history', extendedBy: 1 });
    await second.close();
  });

  it('a changed history is shown, never recorded over, until the user forgets it', async () => {
    const dir = await fx.copy();
    const aside = await fx.copy();
    const userData = path.join(fx.userData, 'mismatch');
    await (await opened(dir, userData)).close();

    // The newest day and its digest removed: the archive still verifies, the history does not.
    await moveDay(dir, aside, newest);
    const store = await opened(dir, userData);
    const report = store.verificationState().report!;
    expect(report.completeness.checkpoint?.status).toBe('mismatch');
    expect(report.completeness.findings).toMatchObject([{ kind: 'checkpoint_mismatch', file: digestName(newest), date: '2026-11-20' }]);
    expect(report.summary.verdict).toBe('invalid');
    await store.close();
    expect((await trustedStore(dir, userData).completenessSettings()).stored?.date).toBe('2026-11-20');

    const again = await opened(dir, userData);
    expect(again.verificationState().report!.completeness.checkpoint?.status).toBe('mismatch');
    const events = recordEvents(again);
    const settings = await again.forgetCheckpoint();
    expect(settings.checkedAgainst).toBeNull();
    await again.verificationSettled();
    const after = again.verificationState();
    expect(after).toMatchObject({ phase: 'settings', verdict: 'verified' });
    expect(after.report!.completeness.checkpoint).toBeNull();
    expect(events.map((e) => e.type)).toContain('completenessSettingsChanged');
    await again.close();
    expect((await trustedStore(dir, userData).completenessSettings()).stored?.date).toBe('2026-11-19');
  });

  it('a newest day that does not verify (its key not trusted) records nothing', async () => {
    const userData = path.join(fx.userData, 'untrusted');
    const store = new ArchiveStore({ root: fx.base, userDataDir: userData, pool: fx.pool });
    store.openIndex();
    await store.verificationSettled();
    expect(store.verificationState().verdict).toBe('untrusted_key');
    await store.close();
    expect((await new ArchiveStore({ root: fx.base, userDataDir: userData, pool: fx.pool }).completenessSettings()).stored).toBeNull();
  });
});

describe('the expected period', () => {
  it('is remembered per archive, and the report is worked out again with it (no day file read)', async () => {
    const userData = path.join(fx.userData, 'period');
    const store = await opened(fx.base, userData);
    const settings = await store.setExpectedPeriod({ from: '2026-11-16', through: null });
    expect(settings.expected).toEqual({ from: '2026-11-16', through: null });
    await store.verificationSettled();
    const state = store.verificationState();
    expect(state).toMatchObject({ phase: 'settings', verdict: 'invalid' });
    expect(state.report!.completeness.missingDays).toEqual(['2026-11-16', '2026-11-17']);
    expect(state.report!.completeness.expected).toEqual({ from: '2026-11-16', through: null });
    await store.close();

    // Another archive has its own settings; the same one, opened again, keeps its period.
    const other = await fx.copy();
    expect((await opened(other, userData).then(async (s) => [await s.completenessSettings(), await s.close()]))[0]).toMatchObject({ expected: null });
    const reopened = await opened(fx.base, userData);
    expect(reopened.verificationState().report!.completeness.missingDays).toEqual(['2026-11-16', '2026-11-17']);
    await reopened.setExpectedPeriod(null);
    await reopened.verificationSettled();
    expect(reopened.verificationState().verdict).toBe('verified');
    expect((await reopened.completenessSettings()).expected).toBeNull();
    await reopened.close();
  });

  it('a damaged settings file is ignored: no period, no checkpoint, and the archive still opens', async () => {
    const userData = path.join(fx.userData, 'damaged');
    await (await opened(fx.base, userData)).close();
    const [file] = await readdir(path.join(userData, 'archive-settings'));
    await writeFile(path.join(userData, 'archive-settings', file!), '{"v":1, "checkpoint": {"kind": "nope"');
    const store = await opened(fx.base, userData);
    expect(store.verificationState().verdict).toBe('verified');
    expect(store.verificationState().report!.completeness.checkpoint).toBeNull();
    await store.close();
  });
});
