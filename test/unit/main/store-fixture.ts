import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArchiveStore } from '../../../src/main/services/store/archive-store';
import type { AppEvent } from '../../../src/shared/ipc-contract';
import { ArchiveFixture } from './archive-fixture';

/** A generated sealed archive plus a scratch user-data folder for ArchiveStore tests. */
export class StoreFixture extends ArchiveFixture {
  userData = '';
  private scratch = '';

  override async setup(opts: { days?: number; perDay?: number; sealed?: boolean } = {}): Promise<void> {
    await super.setup(opts);
    this.scratch = await mkdtemp(path.join(os.tmpdir(), 'alog-store-'));
    this.userData = path.join(this.scratch, 'user-data');
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    if (this.scratch) await rm(this.scratch, { recursive: true, force: true });
  }

  private stores = 0;

  /** A store on `root` with its own (empty) user-data folder unless one is given. */
  store(root: string, userDataDir = path.join(this.scratch, `ud-${++this.stores}`)): ArchiveStore {
    return new ArchiveStore({ root, userDataDir, pool: this.pool });
  }

  async publicKeyPem(): Promise<string> {
    return readFile(path.join(this.base, this.summary.publicKeyFile!), 'utf8');
  }
}

/** Collects a store's events. */
export function recordEvents(store: ArchiveStore): AppEvent[] {
  const events: AppEvent[] = [];
  store.onEvent((e) => events.push(e));
  return events;
}
