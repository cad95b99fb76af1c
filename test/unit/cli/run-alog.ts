import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ALOG = path.resolve(__dirname, '../../../out/cli/alog.cjs');

/** Runs the bundled CLI as a user would; never rejects: the exit code is part of the answer. */
export async function alog(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ALOG, ...args], { env: { ...process.env, ALOG_WORKERS: '2' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
