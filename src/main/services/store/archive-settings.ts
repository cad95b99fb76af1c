// What the app remembers of each archive in the user-data folder (never inside the archive): the
// expected period the user set, and the checkpoint of the last verification whose newest day
// verified, which the next open of the same archive (by its real path) is checked against. One JSON
// file per archive, `archive-settings/<sha256 of the path>.json`, written whole or not at all; a
// damaged one is ignored with a warning (the app then knows no period and no checkpoint).
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Checkpoint } from '../../../shared/checkpoint';
import { ExpectedPeriod } from '../../../shared/completeness-settings';

const FOLDER = 'archive-settings';
const MAX_BYTES = 64 * 1024;

const SettingsFile = z.object({
  v: z.literal(1),
  /** The archive's real path, for whoever looks into the folder. */
  archive: z.string(),
  expected: ExpectedPeriod.nullable(),
  checkpoint: Checkpoint.nullable(),
});
export type ArchiveSettings = Pick<z.infer<typeof SettingsFile>, 'expected' | 'checkpoint'>;

const NONE: ArchiveSettings = { expected: null, checkpoint: null };

export class ArchiveSettingsStore {
  readonly folder: string;
  readonly #warn: (message: string) => void;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(userDataDir: string, warn: (message: string) => void = (m) => console.warn(m)) {
    this.folder = path.join(path.resolve(userDataDir), FOLDER);
    this.#warn = warn;
  }

  async load(archiveRoot: string): Promise<ArchiveSettings> {
    return this.#serial(() => this.#load(archiveRoot));
  }

  /** Changes the archive's settings (read, changed, written back, one change at a time). */
  update(archiveRoot: string, change: (s: ArchiveSettings) => ArchiveSettings): Promise<ArchiveSettings> {
    return this.#serial(async () => {
      const next = change(await this.#load(archiveRoot));
      await this.#save(archiveRoot, next);
      return next;
    });
  }

  async #file(archiveRoot: string): Promise<{ file: string; real: string }> {
    let real = path.resolve(archiveRoot);
    try {
      real = await realpath(real);
    } catch {
      // gone: keyed by the path as given
    }
    return { file: path.join(this.folder, `${createHash('sha256').update(real).digest('hex')}.json`), real };
  }

  async #load(archiveRoot: string): Promise<ArchiveSettings> {
    const { file } = await this.#file(archiveRoot);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.#warn(`cannot read ${file}: ${(e as Error).message}`);
      return NONE;
    }
    if (text.length > MAX_BYTES) {
      this.#warn(`${file} is too large to be this app's settings; ignored`);
      return NONE;
    }
    try {
      const parsed = SettingsFile.parse(JSON.parse(text));
      return { expected: parsed.expected, checkpoint: parsed.checkpoint };
    } catch (e) {
      this.#warn(`${file} is damaged and is ignored (${(e as Error).message.slice(0, 200)})`);
      return NONE;
    }
  }

  async #save(archiveRoot: string, s: ArchiveSettings): Promise<void> {
    const { file, real } = await this.#file(archiveRoot);
    await mkdir(this.folder, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ v: 1, archive: real, ...s }, null, 2) + '\n');
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
