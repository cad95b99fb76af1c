import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MAX_RECENT_ARCHIVES, type RecentArchive } from '../../../shared/recent-archives';

// The archives the user opened lately, newest first, kept as JSON in the user-data folder. The
// list is a convenience: a damaged or unreadable file is ignored with a warning and replaced on
// the next open, and failing to save it never fails opening an archive.

const RECENT_FILE = 'recent-archives.json';

const StoredArchive = z.object({ path: z.string().min(1).max(4096), openedAt: z.iso.datetime() });
type StoredArchive = z.infer<typeof StoredArchive>;
const RecentFile = z.object({ v: z.literal(1), archives: z.array(StoredArchive) });

export interface RecentArchivesOptions {
  /** Where warnings go (a damaged file, a failed save); console.warn by default. */
  warn?: (message: string) => void;
  /** Windows paths compare without regard to case. */
  platform?: NodeJS.Platform;
}

export class RecentArchives {
  readonly file: string;
  readonly #warn: (message: string) => void;
  readonly #platform: NodeJS.Platform;
  readonly #listeners = new Set<() => void>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(userDataDir: string, opts: RecentArchivesOptions = {}) {
    this.file = path.join(path.resolve(userDataDir), RECENT_FILE);
    this.#warn = opts.warn ?? ((message) => console.warn(message));
    this.#platform = opts.platform ?? process.platform;
  }

  /** Newest first, each with whether its folder is still there. */
  list(): Promise<RecentArchive[]> {
    return this.#serial(async () => Promise.all((await this.#load()).map(describe)));
  }

  /** Puts the archive first (once, by its resolved path), keeping at most MAX_RECENT_ARCHIVES. */
  add(archivePath: string, now = new Date()): Promise<void> {
    return this.#serial(async () => {
      const resolved = path.resolve(archivePath);
      const key = this.#key(resolved);
      const kept = (await this.#load()).filter((a) => this.#key(a.path) !== key);
      await this.#save([{ path: resolved, openedAt: now.toISOString() }, ...kept].slice(0, MAX_RECENT_ARCHIVES));
    });
  }

  clear(): Promise<void> {
    return this.#serial(() => this.#save([]));
  }

  /** Called after every change of the list (the native menu rebuilds its Open Recent). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #key(p: string): string {
    return this.#platform === 'win32' ? p.toLowerCase() : p;
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<StoredArchive[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.#warn(`recent archives: cannot read ${this.file} (${(e as Error).message}); starting an empty list`);
      return [];
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      this.#warn(`recent archives: ignoring ${this.file}, which is not valid JSON (${(e as Error).message})`);
      return [];
    }
    const parsed = RecentFile.safeParse(json);
    if (!parsed.success) {
      this.#warn(`recent archives: ignoring ${this.file}, which is not a recent-archives list: ${z.prettifyError(parsed.error)}`);
      return [];
    }
    // Hand-edited files may repeat a folder or hold relative paths: keep the first of each.
    const byKey = new Map<string, StoredArchive>();
    for (const a of parsed.data.archives) {
      if (path.isAbsolute(a.path) && !byKey.has(this.#key(a.path))) byKey.set(this.#key(a.path), a);
    }
    return [...byKey.values()].slice(0, MAX_RECENT_ARCHIVES);
  }

  async #save(archives: StoredArchive[]): Promise<void> {
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // Write then rename, so a crash leaves the old list or the new one, never half a file.
      const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await fs.writeFile(tmp, JSON.stringify({ v: 1, archives }, null, 2) + '\n', { mode: 0o600 });
        await fs.rename(tmp, this.file);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    } catch (e) {
      this.#warn(`recent archives: cannot save ${this.file} (${(e as Error).message})`);
      return;
    }
    for (const listener of this.#listeners) listener();
  }
}

async function describe(stored: StoredArchive): Promise<RecentArchive> {
  let missing = true;
  try {
    missing = !(await fs.stat(stored.path)).isDirectory();
  } catch {
    // gone, or not reachable: shown as missing
  }
  return { path: stored.path, name: path.basename(stored.path) || stored.path, openedAt: stored.openedAt, missing };
}

/**
 * A recent archive as a menu item shows it: the path, with the home folder as `~` and `&` doubled
 * (Windows and Linux menus read a single one as a keyboard mnemonic), flagged when missing.
 */
export function recentArchiveLabel(archive: RecentArchive, home: string, platform: NodeJS.Platform = process.platform): string {
  const inHome = home !== '' && platform !== 'win32' && (archive.path === home || archive.path.startsWith(home + path.sep));
  const shown = inHome ? `~${archive.path.slice(home.length)}` : archive.path;
  const label = platform === 'darwin' ? shown : shown.replaceAll('&', '&&');
  return archive.missing ? `${label} (not found)` : label;
}
