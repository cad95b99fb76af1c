import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveStore } from '../../../src/main/services/store/archive-store';
import { ArchiveOverview } from '../../../src/shared/archive-overview';
import { RecordAtLine } from '../../../src/shared/record-view';
import { VerificationState } from '../../../src/shared/verification-run';
import { editLines, readLines } from './archive-fixture';
import { recordEvents, StoreFixture } from './store-fixture';

// Three sealed days of 20 records (two gzipped, the newest plain), as in the verifier's tests.
const fx = new StoreFixture();
let newest: string;
let oldest: string;

beforeAll(async () => {
  await fx.setup();
  oldest = fx.days[0]!;
  newest = fx.days[fx.days.length - 1]!;
});
afterAll(() => fx.teardown());

async function verified(store: ArchiveStore): Promise<VerificationState> {
  store.startVerification();
  await store.verificationSettled();
  return store.verificationState();
}

describe('overview', () => {
  it('lists the day files with sizes, compression and digests, and no integrity before a run', async () => {
    const store = fx.store(fx.base);
    const o = ArchiveOverview.parse(await store.overview());
    expect(o.files.map((f) => f.file)).toEqual(fx.days);
    expect(o.files.map((f) => f.compressed)).toEqual([true, true, false]);
    expect(o.files.every((f) => f.bytes > 0 && f.digest !== null && f.integrity === null)).toBe(true);
    expect(o.hasDigests).toBe(true);
    expect(o.verifiedAt).toBeNull();
    expect(o.shippedKeys).toHaveLength(1);
    expect(o.shippedKeys[0]).toMatchObject({ trusted: false, error: null });
  });

  it('adds record counts and statuses once verification has run', async () => {
    const store = fx.store(fx.base);
    await store.importTrustedKey(await fx.publicKeyPem(), 'publisher.pem');
    await verified(store);
    const o = await store.overview();
    expect(o.files.map((f) => f.integrity?.status)).toEqual(['valid', 'valid', 'valid']);
    expect(o.files.map((f) => f.integrity?.records)).toEqual([20, 20, 20]);
    expect(o.verifiedAt).not.toBeNull();
    expect(o.shippedKeys[0]!.trusted).toBe(true);
  });
});

describe('verification runs', () => {
  it('the first run is the index pass: progress, then a valid report when the archive key is trusted', async () => {
    const store = fx.store(fx.base);
    await store.importTrustedKey(await fx.publicKeyPem());
    const events = recordEvents(store);
    const { runId } = store.startVerification();
    expect(store.verificationState()).toMatchObject({ status: 'running', phase: 'index', verdict: 'verifying' });
    expect(store.indexState().status).toBe('indexing');
    await store.verificationSettled();
    const state = VerificationState.parse(store.verificationState());
    expect(state).toMatchObject({ status: 'done', runId, error: null, keysChangedSinceReport: false, verdict: 'verified' });
    expect(state.reportSource).toEqual({ phase: 'index', filesRead: 3, filesFromCache: 0 });
    expect(state.report!.summary.ok).toBe(true);
    const mine = events.filter((e) => e.type.startsWith('verification'));
    expect(mine[0]).toEqual({ type: 'verificationStarted', runId });
    const progress = mine.filter((e) => e.type === 'verificationProgress');
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1]!;
    expect(last.type === 'verificationProgress' && last.progress.doneBytes).toBe(last.type === 'verificationProgress' && last.progress.totalBytes);
    expect(mine[mine.length - 1]).toEqual({ type: 'verificationFinished', runId, status: 'done', error: null });
  });

  it('without a trusted key: untrusted_key, never valid, and never called tampering', async () => {
    const state = await verified(fx.store(fx.base));
    expect(state.report!.summary.ok).toBe(false);
    expect(state.report!.summary.findingsByKind).toEqual({ untrusted_key: 3 });
    expect(state.verdict).toBe('untrusted_key');
    // The spec's status stays `invalid`; the verdict and the signature tell the difference.
    expect(state.report!.files.map((f) => [f.status, f.verdict])).toEqual(Array(3).fill(['invalid', 'untrusted_key']));
    expect(state.report!.digests.map((d) => [d.status, d.verdict, d.signature])).toEqual(Array(3).fill(['invalid', 'untrusted_key', 'untrusted_key']));
    expect(state.report!.keys).toEqual([{ keyId: fx.trusted.keyId, trusted: false, shippedFile: fx.summary.publicKeyFile, digests: 3 }]);
  });

  it('once the index is open, a run reads every day file again; a new one cancels the one going', async () => {
    const store = fx.store(fx.base);
    await verified(store);
    const events = recordEvents(store);
    const first = store.startVerification();
    const second = store.startVerification();
    expect(store.verificationState()).toMatchObject({ status: 'running', phase: 'reread', runId: second.runId });
    await store.verificationSettled();
    // Let the first run's cancellation finish too.
    await new Promise((r) => setTimeout(r, 50));
    const finished = events.filter((e) => e.type === 'verificationFinished');
    expect(finished).toContainEqual({ type: 'verificationFinished', runId: first.runId, status: 'cancelled', error: null });
    expect(finished).toContainEqual({ type: 'verificationFinished', runId: second.runId, status: 'done', error: null });
    expect(store.verificationState()).toMatchObject({ status: 'done', runId: second.runId, reportSource: { phase: 'reread', filesRead: 3, filesFromCache: 0 } });
  });

  it('an index pass going is the verification: asking again returns it', async () => {
    const store = fx.store(fx.base);
    const first = store.startVerification();
    expect(store.startVerification()).toEqual(first);
    await store.verificationSettled();
    expect(store.verificationState()).toMatchObject({ status: 'done', runId: first.runId, phase: 'index' });
  });

  it('cancels on request, keeping the previous report', async () => {
    const store = fx.store(fx.base);
    const before = await verified(store);
    const { runId } = store.startVerification();
    expect(store.cancelVerification('not-this-run')).toBe(false);
    expect(store.cancelVerification(runId)).toBe(true);
    await store.verificationSettled();
    const after = store.verificationState();
    expect(after.status).toBe('cancelled');
    expect(after.report).toEqual(before.report);
  });

  it('cancelling the index pass cancels the verification, and the index says so too', async () => {
    const store = fx.store(fx.base);
    const { runId } = store.startVerification();
    expect(store.cancelVerification(runId)).toBe(true);
    await store.verificationSettled();
    expect(store.verificationState()).toMatchObject({ status: 'cancelled', verdict: 'not_verified', report: null });
    expect(store.indexState().status).toBe('cancelled');
  });

  it('works the verdict out again when trusted keys change, without reading a day file', async () => {
    const store = fx.store(fx.base);
    await verified(store);
    const run = vi.spyOn(fx.pool, 'run');
    try {
      await store.importTrustedKey(await fx.publicKeyPem());
      expect(store.verificationState()).toMatchObject({ status: 'running', phase: 'keys' });
      await store.verificationSettled();
      expect(store.verificationState()).toMatchObject({ status: 'done', verdict: 'verified', keysChangedSinceReport: false, reportSource: { phase: 'index' } });
      await store.removeTrustedKey(fx.trusted.keyId);
      await store.verificationSettled();
      expect(store.verificationState()).toMatchObject({ status: 'done', verdict: 'untrusted_key' });
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });

  it('trusts the key the archive ships, by its id, in one step', async () => {
    const store = fx.store(fx.base);
    await verified(store);
    const result = await store.trustShippedKey(fx.trusted.keyId);
    expect(result.key).toMatchObject({ keyId: fx.trusted.keyId, origin: 'imported', source: `${fx.summary.publicKeyFile} of base` });
    await store.verificationSettled();
    expect(store.verificationState().verdict).toBe('verified');
    await expect(store.trustShippedKey('0123456789abcdef')).rejects.toThrow(/ships no key with the id 0123456789abcdef/);
  });

  it('fails cleanly when the archive folder is gone', async () => {
    const store = fx.store(path.join(fx.base, 'no-such-archive'));
    const state = await verified(store);
    expect(state.status).toBe('failed');
    expect(state.error).toMatch(/no such folder/);
  });
});

describe('trusted keys', () => {
  it('persist in the user-data folder across stores, and removal persists too', async () => {
    const userData = path.join(fx.userData, 'persist');
    const pem = await fx.publicKeyPem();
    const first = fx.store(fx.base, userData);
    const imported = await first.importTrustedKey(pem, 'publisher.pem');
    expect(imported.alreadyTrusted).toBe(false);
    expect(imported.key).toMatchObject({ keyId: fx.trusted.keyId, source: 'publisher.pem', origin: 'imported' });
    expect((await first.importTrustedKey(pem)).alreadyTrusted).toBe(true);

    const saved = JSON.parse(await readFile(path.join(userData, 'trusted-keys.json'), 'utf8'));
    expect(saved.keys).toHaveLength(1);

    const second = fx.store(fx.base, userData);
    expect(await second.listTrustedKeys()).toEqual([imported.key]);
    expect(await second.removeTrustedKey(fx.trusted.keyId)).toBe(true);
    expect(await second.removeTrustedKey(fx.trusted.keyId)).toBe(false);
    expect(await fx.store(fx.base, userData).listTrustedKeys()).toEqual([]);
  });

  it('rejects text that is not an Ed25519 public key, and private keys', async () => {
    const store = fx.store(fx.base);
    await expect(store.importTrustedKey('hello')).rejects.toThrow(/cannot use key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(store.importTrustedKey(rsa)).rejects.toThrow(/expected an Ed25519 public key/);
    const priv = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(store.importTrustedKey(priv)).rejects.toThrow(/PRIVATE key/);
    expect(await store.listTrustedKeys()).toEqual([]);
  });

  it('lists command-line keys for the session without persisting them', async () => {
    const userData = path.join(fx.userData, 'session');
    const store = new ArchiveStore({ root: fx.base, userDataDir: userData, pool: fx.pool, sessionKeys: [fx.trusted] });
    expect(await store.listTrustedKeys()).toEqual([{ keyId: fx.trusted.keyId, source: fx.trusted.source, origin: 'command_line', addedAt: null }]);
    const state = await verified(store);
    expect(state.report!.summary.ok).toBe(true);
    await expect(readFile(path.join(userData, 'trusted-keys.json'))).rejects.toThrow();
  });

  it('refuses a user-data folder inside the archive', () => {
    expect(() => fx.store(fx.base, path.join(fx.base, 'settings'))).toThrow(/inside the archive/);
    expect(() => fx.store(fx.base, fx.base)).toThrow(/inside the archive/);
  });

  it('reports a damaged settings file instead of silently forgetting the keys', async () => {
    const userData = path.join(fx.userData, 'damaged');
    const store = fx.store(fx.base, userData);
    await store.importTrustedKey(await fx.publicKeyPem());
    await writeFile(path.join(userData, 'trusted-keys.json'), '{"v":1,"keys":[{"keyId":"zz"}]}');
    await expect(store.listTrustedKeys()).rejects.toThrow(/not a trusted-keys file/);
    await expect(store.importTrustedKey(await fx.publicKeyPem())).rejects.toThrow(/not a trusted-keys file/);
  });
});

describe('records by file and line', () => {
  it('reads any line of a plain or gzipped file, parsed', async () => {
    const store = fx.store(fx.base);
    for (const file of [oldest, newest]) {
      const lines = await readLines(fx.base, file);
      for (const line of [1, 7, lines.length]) {
        const r = RecordAtLine.parse(await store.recordAt(file, line));
        expect(r.raw).toBe(lines[line - 1]);
        expect(r.parsed.ok && (r.parsed.value as { activation_id: string }).activation_id).toBe(JSON.parse(lines[line - 1]!).activation_id);
        expect(r.violations).toEqual([]);
        expect(r.bytes).toBe(Buffer.byteLength(lines[line - 1]!));
      }
    }
  });

  it('says how many lines a file has when asked for one past its end', async () => {
    const store = fx.store(fx.base);
    await expect(store.recordAt(oldest, 21)).rejects.toThrow(/has no line 21 \(it has 20 lines\)/);
    await expect(store.recordAt(newest, 999)).rejects.toThrow(/it has 20 lines/);
  });

  it('reads only day files of this archive', async () => {
    const store = fx.store(fx.base);
    await expect(store.recordAt('activations-1999-01-01.jsonl', 1)).rejects.toThrow(/not a day file of this archive/);
    await expect(store.recordAt('../etc/passwd', 1)).rejects.toThrow(/not a day file/);
  });

  it('follows a record_hash_mismatch finding to the tampered line, with its offset', async () => {
    const dir = await fx.copy();
    await editLines(dir, newest, (lines) => {
      lines[4] = lines[4]!.replace('"body":"', '"body":"X');
    });
    const store = fx.store(dir);
    await store.importTrustedKey(await fx.publicKeyPem());
    const state = await verified(store);
    const finding = state.report!.files.find((f) => f.file === newest)!.findings.find((f) => f.kind === 'record_hash_mismatch')!;
    expect(finding.line).toBe(5);
    const record = await store.recordAt(newest, finding.line!);
    expect(record.raw).toContain('"body":"X');
    const lines = await readLines(dir, newest);
    expect(record.offset).toBe(lines.slice(0, 4).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
  });

  it('shows hostile content as data: parse errors, bad UTF-8, CRLF, __proto__ keys', async () => {
    const dir = await fx.copy();
    const hostile = '{"activation_id":"<script>alert(1)</script>","__proto__":{"polluted":true},"note":"\u202Egnp.exe"}';
    await editLines(dir, newest, (lines) => [...lines, '{"truncated": ', hostile + '\r', 'not json at all']);
    const raw = await readFile(path.join(dir, newest));
    await writeFile(path.join(dir, newest), Buffer.concat([raw, Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]));
    const store = fx.store(dir);

    const truncated = await store.recordAt(newest, 21);
    expect(truncated.parsed).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });

    const h = await store.recordAt(newest, 22);
    expect(h.notes).toContain('the line ends in \\r\\n instead of \\n');
    expect(h.raw).toBe(hostile);
    expect(h.parsed.ok).toBe(true);
    const value = h.parsed.ok ? (h.parsed.value as Record<string, unknown>) : {};
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(h.violations.length).toBeGreaterThan(0);

    expect((await store.recordAt(newest, 23)).parsed.ok).toBe(false);
    const badUtf8 = await store.recordAt(newest, 24);
    expect(badUtf8.parsed).toEqual({ ok: false, error: 'not valid UTF-8, so not a record' });
    expect(badUtf8.raw).toBe('{\uFFFD\uFFFD}');
  });

  it('refuses to parse absurdly deep nesting but still shows the text', async () => {
    const dir = await fx.copy();
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    await editLines(dir, newest, (lines) => [...lines, deep]);
    const r = await fx.store(dir).recordAt(newest, 21);
    expect(r.parsed).toMatchObject({ ok: false, error: expect.stringMatching(/nested more than/) });
    expect(r.raw).toBe(deep);
  });
});
