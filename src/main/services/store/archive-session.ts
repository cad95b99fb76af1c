import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppEvent, ArchiveInfo, EventListener, Unsubscribe } from '../../../shared/ipc-contract';
import { discoverArchive } from '../archive/layout';
import type { ArchiveStore } from './archive-store';
import type { RecentArchives } from './recent-archives';

export class ArchiveOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveOpenError';
  }
}

export interface ArchiveSessionOptions {
  /** Makes the store of an archive folder (the user-data folder, pool and index cache are the host's). */
  openStore: (root: string) => ArchiveStore;
  /** The archive open at start (the command line's, or the sample). */
  initialArchive: string;
  recents: RecentArchives;
}

/**
 * The archive the app has open, and opening another: the old store is closed, the new one opened,
 * the archive put first in the recent list, and an `archiveOpened` event tells the UI to read all
 * its state again. Events of whichever store is current reach the session's listeners, so a
 * window's event stream survives the switch. The Electron main process and the browser host both
 * hold one.
 */
export class ArchiveSession {
  readonly recents: RecentArchives;
  readonly #openStore: (root: string) => ArchiveStore;
  readonly #listeners = new Set<EventListener>();
  #store: ArchiveStore;
  #unsubscribe: Unsubscribe;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ArchiveSessionOptions) {
    this.recents = opts.recents;
    this.#openStore = opts.openStore;
    this.#store = opts.openStore(opts.initialArchive);
    this.#unsubscribe = this.#store.onEvent((event) => this.#emit(event));
    // Opening an archive verifies it: the index pass (what the cache lacks) and the archive's report.
    this.#store.openIndex();
  }

  get store(): ArchiveStore {
    return this.#store;
  }

  onEvent(listener: EventListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Opens the archive folder at `requested` (absolute, or `~/…`). Refuses, with a message meant for
   * the user, anything that is not a folder holding day files; the current archive then stays open.
   * Opening the archive already open only moves it to the top of the recent list.
   */
  open(requested: string): Promise<ArchiveInfo> {
    const run = this.#queue.then(() => this.#open(requested));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#unsubscribe();
    await this.#store.close();
  }

  async #open(requested: string): Promise<ArchiveInfo> {
    const root = resolveArchivePath(requested);
    await checkArchiveFolder(root);
    if (root === this.#store.root) {
      await this.recents.add(root);
      return this.#store.info();
    }
    // Closing the archive would cancel the export silently: the user decides first.
    if (this.#store.exports.running) {
      throw new ArchiveOpenError(`An export of ${path.basename(this.#store.root)} is running: cancel it or wait for it to finish, then open ${root}.`);
    }
    const next = this.#openStore(root);
    const previous = this.#store;
    this.#unsubscribe();
    this.#store = next;
    this.#unsubscribe = next.onEvent((event) => this.#emit(event));
    // Closing cancels the old archive's runs; nothing waits for it.
    previous.close().catch((error: unknown) => console.warn(`closing ${previous.root}:`, error));
    // The UI hears of the switch first: saving the recent list (which looks at every listed
    // folder, perhaps on a slow network share) must not hold it on the old archive.
    const info = next.info();
    this.#emit({ type: 'archiveOpened', archive: info });
    next.openIndex();
    await this.recents.add(root);
    return info;
  }

  #emit(event: AppEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** `~` and `~/…` are the user's home folder; the rest must already be absolute. */
export function resolveArchivePath(requested: string, home = os.homedir()): string {
  const trimmed = requested.trim();
  const expanded = trimmed === '~' ? home : /^~[\\/]/.test(trimmed) ? path.join(home, trimmed.slice(2)) : trimmed;
  if (!path.isAbsolute(expanded)) throw new ArchiveOpenError(`${trimmed} is not a full path: give the whole path of the archive folder`);
  return path.resolve(expanded);
}

/** Throws an ArchiveOpenError saying why `root` cannot be opened as an archive. */
export async function checkArchiveFolder(root: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ArchiveOpenError(`There is no folder at ${root}.`);
    if (code === 'EACCES' || code === 'EPERM') throw new ArchiveOpenError(`${root} cannot be read: permission denied.`);
    throw new ArchiveOpenError(`${root} cannot be opened: ${(e as Error).message}`);
  }
  if (!stat.isDirectory()) {
    throw new ArchiveOpenError(`${root} is a file, not a folder: open the archive folder that holds the day files (activations-YYYY-MM-DD.jsonl).`);
  }
  let layout;
  try {
    layout = await discoverArchive(root);
  } catch (e) {
    throw new ArchiveOpenError(`${root} cannot be read: ${(e as Error).message}`);
  }
  if (layout.dayFiles.length === 0 && layout.digests.length === 0) {
    throw new ArchiveOpenError(`${root} holds no day files (activations-YYYY-MM-DD.jsonl or .jsonl.gz): it is not an ActivationLog archive.`);
  }
}
