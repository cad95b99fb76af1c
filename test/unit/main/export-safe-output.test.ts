// Safe writing: a full disk is reported with the destination's name (writes to /dev/full fail with
// ENOSPC), a cancelled export leaves nothing behind, temp files of dead exports are cleaned up and
// live ones are not, and a destination is checked before any work starts.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSink } from '../../../src/main/services/export/writers/file-sink';
import { checkDestination, describeIoError, ExportDestinationError, removeStaleTemps, SafeOutput } from '../../../src/main/services/export/safe-output';
import { ExportCancelledError, runExport } from '../../../src/main/services/export/export-service';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import { ExportFixture } from './export-fixture';

const fx = new ExportFixture();
beforeAll(() => fx.setup({ days: 2, perDay: 40 }), 60_000);
afterAll(() => fx.teardown());

describe('I/O errors name the destination', () => {
  it('a full disk (ENOSPC from /dev/full) surfaces as a clear error', async () => {
    const sink = new FileSink('/dev/full', '/exports/report.csv');
    const chunk = 'x'.repeat(1 << 20);
    await expect(
      (async () => {
        for (let i = 0; i < 4; i++) await sink.write(chunk);
        await sink.close();
      })(),
    ).rejects.toThrow(/no space left on the device while writing \/exports\/report\.csv/);
    await sink.destroy();
  });

  it('each errno gets a sentence', () => {
    const say = (code: string) => describeIoError(Object.assign(new Error(code), { code }), '/out/x.csv', 'writing');
    expect(say('EACCES')).toBe('permission denied while writing /out/x.csv');
    expect(say('EROFS')).toBe('/out/x.csv is on a read-only file system');
    expect(say('ENOENT')).toBe('cannot write /out/x.csv: the folder /out does not exist');
    expect(say('ENOTDIR')).toMatch(/a part of that path is a file/);
  });

  it('destinations are checked first: through a file, a missing folder, the archive, an existing file', async () => {
    await expect(checkDestination('/dev/null/x.csv', { overwrite: false })).rejects.toThrow(ExportDestinationError);
    await expect(checkDestination(path.join(fx.tmp, 'missing', 'x.csv'), { overwrite: false })).rejects.toThrow(/does not exist/);
    await expect(checkDestination(path.join(fx.archive, 'x.csv'), { archiveRoot: fx.archive, overwrite: false })).rejects.toThrow(/inside the archive/);
    const existing = path.join(fx.tmp, 'existing.csv');
    await writeFile(existing, 'x');
    await expect(checkDestination(existing, { overwrite: false })).rejects.toThrow(/already exists/);
    await expect(checkDestination(existing, { overwrite: true })).resolves.toBe(existing);
  });
});

describe('temp files', () => {
  it('commit renames into place; discard removes; neither leaves the other behind', async () => {
    const final = path.join(fx.tmp, 'commit.txt');
    const a = await SafeOutput.create(final, false);
    await writeFile(a.tempPath, 'done');
    await a.commit();
    await a.discard();
    expect(existsSync(final)).toBe(true);
    const b = await SafeOutput.create(path.join(fx.tmp, 'discard.txt'), false);
    await b.discard();
    expect(existsSync(b.tempPath)).toBe(false);
    expect(existsSync(path.join(fx.tmp, 'discard.txt'))).toBe(false);
  });

  it('removes temp files whose process is gone, and only those', async () => {
    const final = path.join(fx.tmp, 'stale.csv');
    const dead = path.join(fx.tmp, '.stale.csv.999999999-abcd1234.alog-tmp');
    const live = path.join(fx.tmp, `.stale.csv.${process.pid}-abcd1234.alog-tmp`);
    await writeFile(dead, 'x');
    await writeFile(live, 'x');
    expect(await removeStaleTemps(final)).toEqual([path.basename(dead)]);
    expect(existsSync(live)).toBe(true);
  });
});

describe('a cancelled export', () => {
  it('stops with ExportCancelledError and leaves neither file, manifest nor temp', async () => {
    const controller = new AbortController();
    const dir = path.join(fx.tmp, 'cancel');
    await mkdir(dir);
    const out = path.join(dir, 'x.jsonl');
    await expect(
      runExport(
        {
          index: fx.index,
          pool: fx.pool,
          trustedKeys: fx.trusted,
          toolVersion: 'test',
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'writing' && p.done > 0) controller.abort();
          },
        },
        { format: 'jsonl', out },
        builtinProfile('external-auditor'),
      ),
    ).rejects.toThrow(ExportCancelledError);
    expect(await readdir(dir)).toEqual([]);
  });
});
