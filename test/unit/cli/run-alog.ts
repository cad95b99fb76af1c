import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
/** The CLI's entry, for tests that spawn it themselves (to signal it half-way). */
export const ALOG = path.join(REPO, 'bin/alog.cjs');

/** `node bin/alog.cjs ARGS…` as a user runs it (two workers, no colour), waited for. */
export function alog(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ALOG, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    env: { ...process.env, ALOG_WORKERS: '2', NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
