import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recentArchiveLabel, RecentArchives } from '../../../src/main/services/store/recent-archives';
import { MAX_RECENT_ARCHIVES } from '../../../src/shared/recent-archives';

let scratch = '';
let userData = '';
let warnings: string[] = [];
const recentsIn = (dir = userData, platform: NodeJS.Platform = 'linux') => new RecentArchives(dir, { warn: (m) => warnings.push(m), platform });

/** A folder that exists, standing for an archive. */
async function folder(name: string): Promise<string> {
  const dir = path.join(scratch, 'archives', name);
  await mkdir(dir, { recursive: true });
  return dir;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute));

beforeEach(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'alog-recent-'));
  userData = path.join(scratch, 'user-data');
  warnings = [];
});
afterEach(() => rm(scratch, { recursive: true, force: true }));

describe('RecentArchives', () => {
  it('starts empty without a file, and lists the newest first', async () => {
    const recents = recentsIn();
    expect(await recents.list()).toEqual([]);
    const a = await folder('a');
    const b = await folder('b');
    await recents.add(a, at(1));
    await recents.add(b, at(2));
    expect(await recents.list()).toEqual([
      { path: b, name: 'b', openedAt: at(2).toISOString(), missing: false },
      { path: a, name: 'a', openedAt: at(1).toISOString(), missing: false },
    ]);
    // Persisted: a second instance (the next launch) reads the same list.
    expect((await recentsIn().list()).map((r) => r.name)).toEqual(['b', 'a']);
    expect(warnings).toEqual([]);
  });

  it('keeps one entry per resolved path, moved to the top when opened again', async () => {
    const recents = recentsIn();
    const a = await folder('a');
    const b = await folder('b');
    await recents.add(a, at(1));
    await recents.add(b, at(2));
    await recents.add(`${a}/../a/.`, at(3));
    const list = await recents.list();
    expect(list.map((r) => r.path)).toEqual([a, b]);
    expect(list[0]!.openedAt).toBe(at(3).toISOString());
  });

  it('compares Windows paths without regard to case', async () => {
    const recents = recentsIn(userData, 'win32');
    const a = await folder('Archive');
    await recents.add(a, at(1));
    await recents.add(a.toUpperCase(), at(2));
    expect(await recents.list()).toHaveLength(1);
  });

  it(`remembers at most ${MAX_RECENT_ARCHIVES}`, async () => {
    const recents = recentsIn();
    for (let i = 0; i < MAX_RECENT_ARCHIVES + 3; i++) await recents.add(await folder(`a${i}`), at(i));
    const list = await recents.list();
    expect(list).toHaveLength(MAX_RECENT_ARCHIVES);
    expect(list[0]!.name).toBe(`a${MAX_RECENT_ARCHIVES + 2}`);
    expect(list.at(-1)!.name).toBe('a3');
  });

  it('flags folders that are gone (or are not folders) as missing, and keeps them', async () => {
    const recents = recentsIn();
    const gone = await folder('gone');
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'x');
    await recents.add(gone, at(1));
    await recents.add(file, at(2));
    await rm(gone, { recursive: true });
    expect((await recents.list()).map((r) => [r.name, r.missing])).toEqual([
      ['a-file', true],
      ['gone', true],
    ]);
  });

  it('clears the list and tells its listeners about every change', async () => {
    const recents = recentsIn();
    let changes = 0;
    const stop = recents.onChange(() => changes++);
    await recents.add(await folder('a'));
    await recents.clear();
    expect(await recents.list()).toEqual([]);
    expect(changes).toBe(2);
    stop();
    await recents.add(await folder('b'));
    expect(changes).toBe(2);
  });

  it('loses nothing when adds run concurrently', async () => {
    const recents = recentsIn();
    const dirs = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(folder));
    await Promise.all(dirs.map((d, i) => recents.add(d, at(i))));
    expect((await recents.list()).map((r) => r.name).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('writes atomically: a versioned JSON file and no temporary files left behind', async () => {
    const recents = recentsIn();
    const a = await folder('a');
    await recents.add(a, at(1));
    expect(await readdir(userData)).toEqual(['recent-archives.json']);
    expect(JSON.parse(await readFile(recents.file, 'utf8'))).toEqual({ v: 1, archives: [{ path: a, openedAt: at(1).toISOString() }] });
  });

  describe('a damaged file is ignored with a warning, never fatal', () => {
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"v": 1, "archives": [', /not valid JSON/],
      ['another version', '{"v": 2, "archives": []}', /not a recent-archives list/],
      ['a wrong shape', '{"v": 1, "archives": [{"path": 7}]}', /not a recent-archives list/],
      ['a bad time', '{"v": 1, "archives": [{"path": "/x", "openedAt": "yesterday"}]}', /not a recent-archives list/],
      ['an array', '[]', /not a recent-archives list/],
    ];
    it.each(cases)('%s', async (_label, text, warning) => {
      await mkdir(userData, { recursive: true });
      await writeFile(path.join(userData, 'recent-archives.json'), text);
      const recents = recentsIn();
      expect(await recents.list()).toEqual([]);
      expect(warnings.join('\n')).toMatch(warning);
      // The next open replaces it with a good list.
      const a = await folder('a');
      await recents.add(a, at(1));
      expect((await recentsIn().list()).map((r) => r.path)).toEqual([a]);
    });

    it('drops repeated and relative entries of a hand-edited file', async () => {
      const a = await folder('a');
      await mkdir(userData, { recursive: true });
      const entry = (p: string) => ({ path: p, openedAt: at(1).toISOString() });
      await writeFile(path.join(userData, 'recent-archives.json'), JSON.stringify({ v: 1, archives: [entry(a), entry('relative/b'), entry(a)] }));
      expect((await recentsIn().list()).map((r) => r.path)).toEqual([a]);
    });

    it('an unreadable user-data location: listing is empty, adding warns and does not throw', async () => {
      const blocker = path.join(scratch, 'blocker');
      await writeFile(blocker, 'a file where the user-data folder should be');
      const recents = recentsIn(blocker);
      expect(await recents.list()).toEqual([]);
      await expect(recents.add(await folder('a'))).resolves.toBeUndefined();
      expect(warnings.join('\n')).toMatch(/cannot save/);
    });
  });
});

describe('recentArchiveLabel', () => {
  const archive = (p: string, missing = false) => ({ path: p, name: path.basename(p), openedAt: at(1).toISOString(), missing });
  it('abbreviates the home folder and flags a missing folder', () => {
    expect(recentArchiveLabel(archive('/home/ann/audits/q3'), '/home/ann', 'linux')).toBe('~/audits/q3');
    expect(recentArchiveLabel(archive('/home/annette/x'), '/home/ann', 'linux')).toBe('/home/annette/x');
    expect(recentArchiveLabel(archive('/srv/q3', true), '/home/ann', 'linux')).toBe('/srv/q3 (not found)');
  });
  it('doubles & where menus read it as a mnemonic', () => {
    expect(recentArchiveLabel(archive('/srv/R&D'), '/home/ann', 'linux')).toBe('/srv/R&&D');
    expect(recentArchiveLabel(archive('/srv/R&D'), '/Users/ann', 'darwin')).toBe('/srv/R&D');
  });
});
