import { z } from 'zod';
import { RECORD_COLUMNS } from './record-columns';

// The user's columns (order, widths, which are shown), kept in localStorage across sessions. Sort
// belongs to the question being asked, so it is not kept. What is read back is validated: an old
// or hand-edited entry never breaks the grid, it is just ignored.

const STORAGE_KEY = 'alog.records.columns.v1';

export const SavedColumn = z.object({
  colId: z.string().max(200),
  width: z.number().int().min(20).max(2000).optional(),
  hide: z.boolean().nullish(),
});
export type SavedColumn = z.infer<typeof SavedColumn>;

const SavedColumns = z.array(SavedColumn).max(200);

const known = new Set(RECORD_COLUMNS.map((c) => c.id));

export function loadColumnState(storage: Pick<Storage, 'getItem'> = window.localStorage): SavedColumn[] | undefined {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const parsed = SavedColumns.safeParse(JSON.parse(raw));
    if (!parsed.success) return undefined;
    // Only columns this version has; new columns keep their defaults.
    return parsed.data.filter((c) => known.has(c.colId));
  } catch {
    return undefined;
  }
}

export function saveColumnState(columns: readonly { colId: string; width?: number | null; hide?: boolean | null }[], storage: Pick<Storage, 'setItem'> = window.localStorage): void {
  const state: SavedColumn[] = columns
    .filter((c) => known.has(c.colId))
    .map((c) => ({ colId: c.colId, width: c.width === undefined || c.width === null ? undefined : Math.round(c.width), hide: c.hide ?? false }));
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the columns just are not remembered.
  }
}

export function clearColumnState(storage: Pick<Storage, 'removeItem'> = window.localStorage): void {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}
