import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DAY_FILE_PATTERN, DIGEST_FILE_PATTERN } from '../../../shared/seal';

export interface DayFile {
  /** File name relative to the archive root, e.g. `activations-2026-11-20.jsonl.gz`. */
  name: string;
  date: string;
  path: string;
  gzip: boolean;
  size: number;
  mtimeMs: number;
  /** Why the entry cannot be read as a file (dangling link, a folder, no permission), if so. */
  unreadable?: string;
}

export interface DigestFile {
  name: string;
  date: string;
  path: string;
}

export interface KeyFile {
  name: string;
  path: string;
}

export interface ArchiveLayout {
  root: string;
  /** Day files in date order. */
  dayFiles: DayFile[];
  digests: DigestFile[];
  keys: KeyFile[];
  /** Layout oddities worth telling the user (two files for one day, stray files). */
  notices: string[];
}

export class ArchiveNotFoundError extends Error {
  constructor(readonly archivePath: string, reason: string) {
    super(`cannot open archive ${archivePath}: ${reason}`);
    this.name = 'ArchiveNotFoundError';
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Finds the day files, digests and shipped keys of an archive folder. Reads nothing but names and sizes. */
export async function discoverArchive(root: string): Promise<ArchiveLayout> {
  const absRoot = path.resolve(root);
  let stat;
  try {
    stat = await fs.stat(absRoot);
  } catch (e) {
    throw new ArchiveNotFoundError(absRoot, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message);
  }
  if (!stat.isDirectory()) throw new ArchiveNotFoundError(absRoot, 'not a folder');

  const notices: string[] = [];
  const dayFiles: DayFile[] = [];
  for (const name of (await fs.readdir(absRoot)).sort()) {
    const m = DAY_FILE_PATTERN.exec(name);
    if (!m) continue;
    const p = path.join(absRoot, name);
    const entry = { name, date: m[1]!, path: p, gzip: Boolean(m[2]), size: 0, mtimeMs: 0 };
    // One bad entry (a dangling link, a folder named like a day file) is reported, never fatal.
    try {
      const st = await fs.stat(p);
      if (st.isFile()) dayFiles.push({ ...entry, size: st.size, mtimeMs: st.mtimeMs });
      else dayFiles.push({ ...entry, unreadable: 'not a regular file' });
    } catch (e) {
      dayFiles.push({ ...entry, unreadable: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
  }
  dayFiles.sort((a, b) => (a.date === b.date ? a.name.localeCompare(b.name) : a.date < b.date ? -1 : 1));
  for (let i = 1; i < dayFiles.length; i++) {
    if (dayFiles[i]!.date === dayFiles[i - 1]!.date) {
      notices.push(`two data files for ${dayFiles[i]!.date}: ${dayFiles[i - 1]!.name} and ${dayFiles[i]!.name}`);
    }
  }

  const digestDir = path.join(absRoot, 'digests');
  const digests: DigestFile[] = [];
  for (const name of (await listDir(digestDir)).sort()) {
    const m = DIGEST_FILE_PATTERN.exec(name);
    if (!m) continue;
    digests.push({ name: `digests/${name}`, date: m[1]!, path: path.join(digestDir, name) });
  }

  const keyDir = path.join(absRoot, 'keys');
  const keys: KeyFile[] = (await listDir(keyDir))
    .filter((n) => n.endsWith('.pem'))
    .sort()
    .map((name) => ({ name: `keys/${name}`, path: path.join(keyDir, name) }));

  return { root: absRoot, dayFiles, digests, keys, notices };
}
