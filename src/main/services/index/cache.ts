// Where index segments live: a per-user cache folder, one sub-folder per archive (keyed by the
// archive's real path), never inside the archive itself (archives are opened read-only).
import { createHash } from 'node:crypto';
import { open, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FileIdentity } from './segment';

export const FINGERPRINT_BYTES = 64 * 1024;

export class CacheLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheLocationError';
  }
}

/** $XDG_CACHE_HOME/activationlog-inspector, else ~/.cache/activationlog-inspector. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'activationlog-inspector');
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder holding one archive's segments. Refuses a cache inside the archive. */
export async function archiveCacheDir(archiveRoot: string, cacheRoot: string = defaultCacheRoot()): Promise<string> {
  const root = await realpath(archiveRoot);
  const absCache = path.resolve(cacheRoot);
  let realCache = absCache;
  try {
    realCache = await realpath(absCache);
  } catch {
    // not created yet: compare the path as given
  }
  if (isInside(realCache, root) || isInside(absCache, root)) {
    throw new CacheLocationError(`the index cache (${absCache}) must not be inside the archive (${root}); archives are read-only`);
  }
  const key = createHash('sha256').update(root).digest('hex').slice(0, 24);
  return path.join(absCache, 'archives', `${path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${key}`);
}

/** Size, mtime and SHA-256 of the first and last 64 KiB: cheap, and catches rewrites that keep the size. */
export async function fileIdentity(filePath: string): Promise<FileIdentity> {
  const fh = await open(filePath, 'r');
  try {
    const st = await fh.stat();
    const hash = createHash('sha256').update(`size:${st.size}\n`);
    const head = Buffer.alloc(Math.min(FINGERPRINT_BYTES, st.size));
    await fh.read(head, 0, head.length, 0);
    hash.update(head);
    const tailLen = Math.min(FINGERPRINT_BYTES, Math.max(0, st.size - head.length));
    if (tailLen > 0) {
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, st.size - tailLen);
      hash.update(tail);
    }
    return { size: st.size, mtimeMs: st.mtimeMs, fingerprint: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.fingerprint === b.fingerprint;
}

export function segmentFileName(dayFile: string): string {
  return `${dayFile}.seg`;
}
