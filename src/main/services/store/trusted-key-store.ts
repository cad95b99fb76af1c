import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyId, type TrustedKey } from '../../../shared/trusted-key';
import { parsePublicKey, type PublicKeyEntry } from '../keys/keys';

// The keys the user has trusted, kept as JSON in the user-data folder (never in an archive:
// whoever can rewrite an archive must not be able to make it trusted).

const STORE_FILE = 'trusted-keys.json';

const StoredKey = z.object({
  keyId: KeyId,
  /** SPKI PEM as re-exported on import: never the text the user pasted, which may hold more. */
  pem: z.string(),
  source: z.string(),
  addedAt: z.string(),
});
type StoredKey = z.infer<typeof StoredKey>;

const StoreFile = z.object({ v: z.literal(1), keys: z.array(StoredKey) });

export class TrustedKeyStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedKeyStoreError';
  }
}

export interface ImportResult {
  key: TrustedKey;
  alreadyTrusted: boolean;
}

/**
 * Imported keys persist; keys given on the command line (`--trust-key`) are trusted for this run
 * only and are listed beside them. Operations run one at a time so two imports cannot lose one.
 */
export class TrustedKeyStore {
  readonly file: string;
  #session: PublicKeyEntry[];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(userDataDir: string, sessionKeys: readonly PublicKeyEntry[] = []) {
    this.file = path.join(userDataDir, STORE_FILE);
    this.#session = [...sessionKeys];
  }

  list(): Promise<TrustedKey[]> {
    return this.#serial(async () => {
      const stored = await this.#load();
      const imported: TrustedKey[] = stored.map((k) => ({ keyId: k.keyId, source: k.source, origin: 'imported', addedAt: k.addedAt }));
      const importedIds = new Set(stored.map((k) => k.keyId));
      const session: TrustedKey[] = this.#session
        .filter((k) => !importedIds.has(k.keyId))
        .map((k) => ({ keyId: k.keyId, source: k.source, origin: 'command_line', addedAt: null }));
      return [...imported, ...session];
    });
  }

  /** The keys a verification trusts. */
  entries(): Promise<PublicKeyEntry[]> {
    return this.#serial(async () => {
      const stored = (await this.#load()).map((k) => parsePublicKey(k.pem, k.source));
      const ids = new Set(stored.map((k) => k.keyId));
      return [...stored, ...this.#session.filter((k) => !ids.has(k.keyId))];
    });
  }

  import(pem: string, source: string, now = new Date()): Promise<ImportResult> {
    return this.#serial(async () => {
      // A private key would be accepted by createPublicKey (it derives the public half), but it
      // must not be pasted here at all: say so rather than quietly storing a derived key.
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
        throw new TrustedKeyStoreError('this is a PRIVATE key: import the publisher\'s public key (-----BEGIN PUBLIC KEY-----) instead, and keep the private key secret');
      }
      const entry = parsePublicKey(pem, source);
      const stored = await this.#load();
      const existing = stored.find((k) => k.keyId === entry.keyId);
      if (existing) {
        return { key: { keyId: existing.keyId, source: existing.source, origin: 'imported', addedAt: existing.addedAt }, alreadyTrusted: true };
      }
      const record: StoredKey = {
        keyId: entry.keyId,
        pem: entry.key.export({ type: 'spki', format: 'pem' }).toString(),
        source,
        addedAt: now.toISOString(),
      };
      await this.#save([...stored, record]);
      const wasSession = this.#session.some((k) => k.keyId === entry.keyId);
      return { key: { keyId: record.keyId, source, origin: 'imported', addedAt: record.addedAt }, alreadyTrusted: wasSession };
    });
  }

  remove(keyId: string): Promise<boolean> {
    return this.#serial(async () => {
      const stored = await this.#load();
      const kept = stored.filter((k) => k.keyId !== keyId);
      const sessionBefore = this.#session.length;
      this.#session = this.#session.filter((k) => k.keyId !== keyId);
      if (kept.length !== stored.length) await this.#save(kept);
      return kept.length !== stored.length || this.#session.length !== sessionBefore;
    });
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<StoredKey[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new TrustedKeyStoreError(`cannot read the trusted keys in ${this.file}: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new TrustedKeyStoreError(`${this.file} is not valid JSON (${(e as Error).message}); fix or remove it`);
    }
    const parsed = StoreFile.safeParse(json);
    if (!parsed.success) throw new TrustedKeyStoreError(`${this.file} is not a trusted-keys file: ${z.prettifyError(parsed.error)}`);
    return parsed.data.keys;
  }

  async #save(keys: StoredKey[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Write then rename, so a crash leaves the old list or the new one, never half a file.
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ v: 1, keys }, null, 2) + '\n', { mode: 0o600 });
    await fs.rename(tmp, this.file);
  }
}
