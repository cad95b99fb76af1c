// Writing an export so that nobody ever sees half of it: everything goes to a hidden temp file in
// the destination folder (same file system, so the final rename is atomic), which is fsync'ed and
// then renamed over the destination. On an error or a cancel the temp file is removed; a process
// that is killed outright leaves at most that hidden temp file, never a partial export under the
// real name, and the next export into the folder removes temp files whose process is gone.
import { constants as fsConstants, unlinkSync } from 'node:fs';
import { open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export class ExportDestinationError extends Error {
  constructor(
    readonly filePath: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExportDestinationError';
  }
}

const TEMP_MARK = '.alog-tmp';

/** Temp files alive in this process, removed synchronously if the process exits early. */
const liveTemps = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of liveTemps) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  });
}

/** A readable reason for an I/O error on `p`, naming the path. */
export function describeIoError(e: unknown, p: string, doing: string): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOSPC':
      return `no space left on the device while ${doing} ${p}`;
    case 'EDQUOT':
      return `disk quota exceeded while ${doing} ${p}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied while ${doing} ${p}`;
    case 'EROFS':
      return `${p} is on a read-only file system`;
    case 'ENOTDIR':
      return `cannot write ${p}: a part of that path is a file, not a folder`;
    case 'ENOENT':
      return `cannot write ${p}: the folder ${path.dirname(p)} does not exist`;
    case 'EISDIR':
      return `cannot write ${p}: it is a folder`;
    case 'EEXIST':
      return `${p} already exists`;
    default:
      return `error while ${doing} ${p}: ${err.message ?? String(e)}`;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Checks a destination before any work starts: its folder exists and is a folder, it is not inside
 * the archive, and it does not exist yet (unless `overwrite`).
 */
export async function checkDestination(file: string, opts: { archiveRoot?: string; overwrite: boolean }): Promise<string> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw new ExportDestinationError(abs, describeIoError(e, abs, 'preparing'));
  }
  if (!st.isDirectory()) throw new ExportDestinationError(abs, `cannot write ${abs}: ${dir} is not a folder`);
  if (opts.archiveRoot) {
    const root = await realOrSelf(opts.archiveRoot);
    const realDir = await realOrSelf(dir);
    if (isInside(realDir, root) || isInside(dir, path.resolve(opts.archiveRoot))) {
      throw new ExportDestinationError(abs, `refusing to write ${abs} inside the archive ${root}: archives are read-only; choose a folder outside it`);
    }
  }
  try {
    const existing = await stat(abs);
    if (existing.isDirectory()) throw new ExportDestinationError(abs, `cannot write ${abs}: it is a folder`);
    if (!opts.overwrite) throw new ExportDestinationError(abs, `${abs} already exists (pass --overwrite to replace it)`);
  } catch (e) {
    if (e instanceof ExportDestinationError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ExportDestinationError(abs, describeIoError(e, abs, 'checking'));
  }
  return abs;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of `file` left by exports whose process no longer runs (killed with SIGKILL, power loss). */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_MARK)) continue;
    const m = /\.(\d+)-[0-9a-f]+\.alog-tmp$/.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    try {
      await unlink(path.join(dir, name));
      removed.push(name);
    } catch {
      // someone else removed it
    }
  }
  return removed;
}

/** A hidden temp file beside `final`, turned into `final` by `commit`. */
export class SafeOutput {
  readonly tempPath: string;
  private committed = false;
  private discarded = false;

  private constructor(
    readonly finalPath: string,
    private readonly overwrite: boolean,
  ) {
    this.tempPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_MARK}`);
  }

  /** Creates the (empty) temp file, exclusively, so the path is ours. */
  static async create(finalPath: string, overwrite: boolean): Promise<SafeOutput> {
    installExitHook();
    const out = new SafeOutput(path.resolve(finalPath), overwrite);
    let fh: FileHandle;
    try {
      fh = await open(out.tempPath, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644);
    } catch (e) {
      throw new ExportDestinationError(out.finalPath, describeIoError(e, out.finalPath, 'creating'));
    }
    liveTemps.add(out.tempPath);
    await fh.close();
    return out;
  }

  /** fsync the temp file and rename it into place (refusing to replace a file that appeared meanwhile). */
  async commit(): Promise<void> {
    if (this.discarded) throw new Error('output already discarded');
    let fh: FileHandle | undefined;
    try {
      fh = await open(this.tempPath, 'r+');
      await fh.sync();
    } catch (e) {
      throw new ExportDestinationError(this.finalPath, describeIoError(e, this.finalPath, 'flushing'));
    } finally {
      await fh?.close();
    }
    if (!this.overwrite) {
      try {
        await stat(this.finalPath);
        throw new ExportDestinationError(this.finalPath, `${this.finalPath} appeared while exporting; not replaced`);
      } catch (e) {
        if (e instanceof ExportDestinationError) throw e;
      }
    }
    try {
      await rename(this.tempPath, this.finalPath);
    } catch (e) {
      throw new ExportDestinationError(this.finalPath, describeIoError(e, this.finalPath, 'renaming into'));
    }
    liveTemps.delete(this.tempPath);
    this.committed = true;
    await syncDir(path.dirname(this.finalPath));
  }

  /** Removes the temp file (after an error or a cancel); a no-op once committed. */
  async discard(): Promise<void> {
    if (this.committed || this.discarded) return;
    this.discarded = true;
    try {
      await unlink(this.tempPath);
    } catch {
      // never created or already gone
    }
    liveTemps.delete(this.tempPath);
  }
}

/** fsync a folder so a rename inside it survives a crash (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows and some file systems refuse to open or sync a folder
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
