import type { ArchiveInfo } from '../../../../shared/ipc-contract';
import { api } from '../../api';

// Opening another archive from anywhere on the page (the header's field, a recent entry, a
// dropped folder): the backend switches, and the page's root remounts every view on the new one.
// The backend's `archiveOpened` event does the same for opens the page did not ask for (the
// desktop menu, a second launch), so a switch is never missed.

type Listener<T> = (value: T) => void;

function channel<T>() {
  const listeners = new Set<Listener<T>>();
  return {
    emit: (value: T) => {
      for (const listener of listeners) listener(value);
    },
    on: (listener: Listener<T>) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

const opened = channel<ArchiveInfo>();
const fieldRequested = channel<string>();

/** Asks the backend to open the folder; null once it is open, else the reason it is not. */
export async function openArchiveAt(path: string): Promise<string | null> {
  const result = await api.openArchive({ path }).catch((error: unknown) => ({
    ok: false as const,
    error: { message: error instanceof Error ? error.message : String(error) },
  }));
  if (!result.ok) return result.error.message;
  opened.emit(result.value);
  return null;
}

export const onArchiveOpenedHere = opened.on;

/** Opens the header's "Open archive" panel with a message (a drop the browser cannot use). */
export const requestOpenArchiveField = fieldRequested.emit;
export const onOpenArchiveFieldRequested = fieldRequested.on;

/** True in the desktop app, where the preload can say where a dropped folder is. */
export function canOpenDroppedFolders(): boolean {
  return window.files !== undefined;
}
