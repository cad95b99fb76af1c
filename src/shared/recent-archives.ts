import { z } from 'zod';

/** How many archives the File > Open Recent menu and the header's list remember. */
export const MAX_RECENT_ARCHIVES = 10;

/** Longest archive path accepted from the UI (Linux's PATH_MAX). */
export const MAX_ARCHIVE_PATH_LENGTH = 4096;

export const RecentArchive = z.object({
  /** Absolute, as it was opened. */
  path: z.string(),
  /** The folder's name. */
  name: z.string(),
  /** When it was last opened (ISO-8601). */
  openedAt: z.string(),
  /** The folder is no longer there (moved, deleted, or on a drive that is not mounted). */
  missing: z.boolean(),
});
export type RecentArchive = z.infer<typeof RecentArchive>;

/** An absolute path on any platform (`/…`, `C:\…`, `\\server\share…`), or one under the home folder (`~/…`). */
const FULL_PATH = /^(\/|~(\/|\\|$)|[A-Za-z]:[\\/]|\\\\)/;

/** A folder path the user typed, picked or dropped. Whether it is an archive is the backend's to say. */
export const ArchivePathInput = z
  .string()
  .trim()
  .min(1, 'type the path of an archive folder')
  .max(MAX_ARCHIVE_PATH_LENGTH, `a folder path is at most ${MAX_ARCHIVE_PATH_LENGTH} characters`)
  .refine((p) => !p.includes('\u0000'), 'a folder path cannot hold a NUL character')
  .refine((p) => FULL_PATH.test(p), 'give the full path of the folder, starting with / (or a drive letter, or ~ for your home folder)');
