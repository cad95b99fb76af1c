import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkerTask } from '../../../src/main/services/workers/protocol';
import { StoreFixture } from './store-fixture';

// What states the archive's integrity (exports, the integrity report) reads the one verification
// state: it waits for the run going instead of starting its own, a change of trusted keys is
// worked out without reading a day file, and a caller that gives up stops waiting, not the run.

const fx = new StoreFixture();

beforeAll(() => fx.setup({ perDay: 40 }));
afterAll(() => fx.teardown());

async function tasksOf<T>(body: () => Promise<T>): Promise<{ value: T; tasks: WorkerTask[] }> {
  const run = vi.spyOn(fx.pool, 'run');
  try {
    const value = await body();
    return { value, tasks: run.mock.calls.map((c) => c[0] as WorkerTask) };
  } finally {
    run.mockRestore();
  }
}

describe('currentReport', () => {
  it('before anything runs, starts the index pass (which verifies) and waits for it, with progress', async () => {
    const store = fx.store(fx.base);
    const progress: number[] = [];
    const { value, tasks } = await tasksOf(() => store.currentReport({ onProgress: (done) => progress.push(done) }));
    expect(value.report.summary.verdict).toBe('untrusted_key');
    expect(store.verificationState()).toMatchObject({ status: 'done', phase: 'index' });
    // One pass: the index build; no separate verification of the files.
    expect(tasks.filter((t) => t.kind === 'verifyFile')).toEqual([]);
    expect(tasks.filter((t) => t.kind === 'indexFile')).toHaveLength(3);
    expect(progress.length).toBeGreaterThan(0);
    // Asked again: the report in force, nothing run.
    const again = await tasksOf(() => store.currentReport());
    expect(again.tasks).toEqual([]);
    expect(again.value.finishedAt).toBe(value.finishedAt);
    await store.close();
  });

  it('a running pass is waited for, not started twice; after a key is trusted, the keys run reads no day file', async () => {
    const store = fx.store(fx.base);
    store.openIndex();
    const runId = store.verificationState().runId;
    const waited = await store.currentReport();
    expect(store.verificationState().runId).toBe(runId);
    expect(waited.report.summary.verdict).toBe('untrusted_key');

    const { value, tasks } = await tasksOf(async () => {
      await store.importTrustedKey(await fx.publicKeyPem(), 'test');
      return store.currentReport();
    });
    expect(value.report.summary.verdict).toBe('verified');
    expect(store.verificationState()).toMatchObject({ phase: 'keys', keysChangedSinceReport: false });
    expect(tasks.filter((t) => t.kind === 'verifyFile' || t.kind === 'indexFile')).toEqual([]);
    await store.close();
  });

  it('a caller that gives up stops waiting; the verification goes on for every other view', async () => {
    const store = fx.store(fx.base);
    const controller = new AbortController();
    const waiting = store.currentReport({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toThrow(/cancel/i);
    await store.verificationSettled();
    expect(store.verificationState()).toMatchObject({ status: 'done', verdict: 'untrusted_key' });
    await store.close();
  });

  it('a verification that is cancelled: the integrity cannot be stated, and the error says so', async () => {
    const store = fx.store(fx.base);
    const waiting = store.currentReport();
    store.cancelVerification();
    await expect(waiting).rejects.toThrow(/verification was cancelled; its integrity cannot be stated/);
    await store.close();
  });
});
